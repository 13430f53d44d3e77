/**
 * Signing in real Chromium against the PRODUCTION build (where react-signature-canvas arrives as
 * `{ default: … }` under Vite 8: only a built-app test can catch a broken import), on a tablet
 * with touch: an empty signature is refused, strokes drawn with touch events survive a rotation
 * mid-signature (same stroke count, canvas not blank, backing store at devicePixelRatio), both
 * signatures bind the shown hash, the record is frozen, customer mode holds against navigation
 * and lets go only with the advisor's PIN, and the print view carries the hash.
 *
 * The intake is seeded straight into the tablet's IndexedDB (a ready record built from the
 * shared fixtures), so this test does not depend on every intake step's UI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { scrypt } from '@noble/hashes/scrypt.js';
import { login, runAxe, startE2E, tabletContext, VIEWPORTS, type E2EEnv } from './harness';
import { newIntake } from '../../src/model/intake/newIntake';
import type { Intake } from '../../src/model/intake/schema';
import { readySections } from '../unit/reviewFixtures';

let env: E2EEnv;

beforeAll(async () => {
  env = await startE2E();
});

afterAll(async () => {
  await env?.close();
});

const FALLBACK_PIN = '2468';
/** Set SHOTS_DIR to keep screenshots of each screen for a visual check. */
async function shot(page: Page, name: string, fullPage = false) {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png`, fullPage });
}
/** The app's page. (GET / answered 403 from the product server's static route at the time of
 * writing, with index:false; /index.html is the same document and hash routes work on it.) */
const app = () => `${env.baseUrl}/index.html`;

/** Raw IndexedDB access inside the page (the app's Dexie database, already opened by the app). */
async function idb<T>(page: Page, op: 'get' | 'put', store: string, arg: unknown): Promise<T> {
  return page.evaluate(
    async ({ op, store, arg }) => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('walkaround');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      try {
        return await new Promise<unknown>((ok, fail) => {
          const tx = db.transaction(store, op === 'get' ? 'readonly' : 'readwrite');
          const req = op === 'get' ? tx.objectStore(store).get(arg as IDBValidKey) : tx.objectStore(store).put(arg);
          req.onsuccess = () => ok(req.result);
          req.onerror = () => fail(req.error);
        });
      } finally {
        db.close();
      }
    },
    { op, store, arg },
  ) as Promise<T>;
}

/** Signed in through the real login when it exists; otherwise a device session and a staff PIN seeded locally. */
async function signedIn(page: Page): Promise<{ staffId: string; pin: string }> {
  await page.goto(app());
  const demo = env.server.demo as (typeof env.server.demo & { pin?: string }) | null;
  if (await login(page)) {
    await page.waitForFunction(() => !document.querySelector('input[type=password]'));
    const { value: session } = await idb<{ value: { staff: { id: string } } }>(page, 'get', 'kv', 'session');
    return { staffId: session.staff.id, pin: demo?.pin ?? '1234' };
  }
  await page.waitForFunction(() => indexedDB.databases().then((d) => d.some((x) => x.name === 'walkaround')));
  const staffId = crypto.randomUUID();
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const params = { N: 1024, r: 8, p: 1, dkLen: 32 };
  const hash = scrypt(FALLBACK_PIN, salt, params);
  await idb(page, 'put', 'kv', {
    key: 'session',
    value: { token: 'e2e', deviceId: 'e2e-tablet', dealership: { id: crypto.randomUUID(), name: 'E2E 汽车服务', slug: 'e2e' }, staff: { id: staffId, name: '李顾问', role: 'advisor' } },
  });
  await idb(page, 'put', 'kv', {
    key: 'auth.staff',
    value: [{ id: staffId, username: 'li', name: '李顾问', role: 'advisor', pin: { algorithm: 'scrypt', ...params, salt: Buffer.from(salt).toString('base64'), hash: Buffer.from(hash).toString('base64') } }],
  });
  await page.reload();
  return { staffId, pin: FALLBACK_PIN };
}

async function seedReadyIntake(page: Page, advisor: { id: string; name: string }): Promise<Intake> {
  const base = newIntake({ advisor });
  // No photo bytes on this tablet: the finding records why (a finding needs a photo or a reason).
  const intake: Intake = {
    ...base,
    ...readySections(base),
    walkaround: { ...readySections(base).walkaround, findings: readySections(base).walkaround.findings.map((f) => ({ ...f, photos: [], noPhotoReason: '顾客不同意拍照' })) },
  };
  await idb(page, 'put', 'intakes', intake);
  return intake;
}

/** One stroke with real touch events (CDP), a wavy line across part of the pad. */
async function touchStroke(cdp: CDPSession, box: { x: number; y: number; width: number; height: number }, row: number, from = 0.1, to = 0.9) {
  const y0 = box.y + box.height * row;
  const pts = Array.from({ length: 24 }, (_, i) => {
    const f = from + ((to - from) * i) / 23;
    return { x: box.x + box.width * f, y: y0 + Math.sin(i / 2) * box.height * 0.12 };
  });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [pts[0]!] });
  for (const p of pts.slice(1)) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await new Promise((r) => setTimeout(r, 20)); // signature_pad samples every 16 ms
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

async function padState(page: Page) {
  return page.locator('.signature-pad').evaluate((el) => {
    const canvas = el.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
    return {
      strokes: Number(el.getAttribute('data-strokes')),
      cssWidth: el.clientWidth,
      cssHeight: el.clientHeight,
      canvasWidth: canvas.width,
      canvasHeight: canvas.height,
      inked,
      scrollY: window.scrollY,
    };
  });
}

async function padBox(page: Page) {
  return (await page.locator('.signature-pad').boundingBox())!;
}

describe('customer signing', () => {
  it('refuses an empty signature, keeps strokes through a rotation, signs, freezes, locks, prints', async () => {
    const ctx: BrowserContext = await tabletContext(env.browser, 'landscape');
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const staff = await signedIn(page);
    const { value: session } = await idb<{ value: { staff: { id: string; name: string }; dealership: { name: string } } }>(page, 'get', 'kv', 'session');
    const intake = await seedReadyIntake(page, { id: session.staff.id, name: session.staff.name });

    // Review: ready, so customer mode opens.
    await page.goto(`${app()}#/intake/${intake.id}/review`);
    await page.getByRole('heading', { name: '记录已完整，可以请顾客确认签字' }).waitFor();
    expect(await runAxe(page, 'review')).toEqual([]);
    await shot(page, '1-review');
    await page.getByRole('button', { name: /进入顾客签字模式/ }).tap();
    await page.waitForURL(/\/sign$/);
    await page.getByRole('heading', { name: '请核对接车内容' }).waitFor();
    expect(await page.locator('.app-header').count()).toBe(0);
    expect(await page.getByRole('link', { name: /修改/ }).count()).toBe(0);

    // Customer mode holds: another route typed in comes straight back.
    await page.evaluate(() => {
      location.hash = '#/';
    });
    await page.waitForTimeout(200);
    expect(page.url()).toMatch(new RegExp(`#/intake/${intake.id}/sign$`));
    await page.getByRole('heading', { name: '请核对接车内容' }).waitFor();
    await page.goBack();
    await page.waitForTimeout(200);
    expect(page.url()).toMatch(new RegExp(`#/intake/${intake.id}/sign$`));
    await page.getByRole('heading', { name: '请核对接车内容' }).waitFor();
    expect(await runAxe(page, 'customer mode')).toEqual([]);
    await shot(page, '2-customer');

    // The declined safety item must be confirmed before signing.
    const start = page.getByRole('button', { name: '确认无误，签字' });
    expect(await start.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /更换前刹车片/ }).tap();
    await start.tap();
    await page.getByRole('dialog', { name: '顾客签字' }).waitFor();

    // Empty: refused.
    await page.getByRole('button', { name: '确认签名' }).tap();
    await page.getByText('请先签名').waitFor();

    const cdp = await ctx.newCDPSession(page);
    const scrollBefore = await page.evaluate(() => window.scrollY);
    let box = await padBox(page);
    await touchStroke(cdp, box, 0.4, 0.1, 0.6);
    await touchStroke(cdp, box, 0.6, 0.2, 0.8);
    await shot(page, '3-sheet-landscape');
    const before = await padState(page);
    expect(before.strokes).toBe(2);
    expect(before.inked).toBeGreaterThan(500);
    expect(before.canvasWidth).toBe(before.cssWidth * 2); // deviceScaleFactor 2
    expect(before.scrollY).toBe(scrollBefore); // the page never moved under the finger

    // Rotate mid-signature: landscape → portrait. Resizing clears a canvas; the strokes come back.
    await page.setViewportSize(VIEWPORTS.portrait);
    await expect.poll(async () => (await padState(page)).cssWidth).toBeLessThan(before.cssWidth);
    await expect.poll(async () => (await padState(page)).inked).toBeGreaterThan(200);
    const after = await padState(page);
    await shot(page, '4-sheet-portrait');
    expect(await runAxe(page, 'signature sheet')).toEqual([]);
    expect(after.strokes).toBe(before.strokes);
    expect(after.canvasWidth).toBe(after.cssWidth * 2);
    expect(after.canvasHeight).toBe(after.cssHeight * 2);

    // A third stroke in portrait, then confirm.
    box = await padBox(page);
    await touchStroke(cdp, box, 0.5, 0.15, 0.85);
    expect((await padState(page)).strokes).toBe(3);
    await page.getByRole('button', { name: '确认签名' }).tap();

    // Advisor signs.
    await page.getByRole('dialog', { name: '服务顾问签字' }).waitFor();
    box = await padBox(page);
    await touchStroke(cdp, box, 0.45, 0.1, 0.7);
    // … and one stroke with a mouse-type pointer (a pen on Windows/Android arrives this way).
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(box.x + box.width * (0.3 + i * 0.03), box.y + box.height * (0.6 + Math.sin(i / 2) * 0.1));
      await page.waitForTimeout(20);
    }
    await page.mouse.up();
    expect((await padState(page)).strokes).toBe(2);
    await page.getByRole('button', { name: '确认签名' }).tap();
    await page.getByRole('heading', { name: '签字完成，谢谢！' }).waitFor();
    await shot(page, '5-done');

    // Frozen: the stored record is signed, bound to one hash, with both signatures.
    const stored = await idb<Intake>(page, 'get', 'intakes', intake.id);
    expect(stored.status).toBe('signed');
    expect(stored.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.signatures.map((s) => s.role)).toEqual(['customer', 'advisor']);
    expect(stored.signatures[0]!.strokes).toHaveLength(3);
    expect(stored.signatures.every((s) => s.contentHash === stored.contentHash)).toBe(true);
    const { contentHash } = await import('../../src/model/intake/signedContent');
    expect(contentHash(stored)).toBe(stored.contentHash);

    // Leaving needs the advisor's PIN: a wrong one is refused, the right one returns to review.
    await page.getByRole('button', { name: '交还顾问' }).tap();
    await page.getByRole('dialog', { name: '交还服务顾问' }).waitFor();
    expect(await runAxe(page, 'PIN dialog')).toEqual([]);
    await page.getByLabel('PIN 码').fill('999999');
    await page.getByRole('button', { name: '确认', exact: true }).tap();
    await page.getByText('PIN 码不正确').waitFor();
    expect(page.url()).toMatch(/\/sign$/);
    await page.getByLabel('PIN 码').fill(staff.pin);
    await page.getByRole('button', { name: '确认', exact: true }).tap();
    await page.waitForURL(/\/review$/);
    // "Back" after the hand-back does not lock the advisor out again.
    await page.goBack();
    // Under load the app may take a moment to route away from the finished signing screen: wait
    // for it to settle somewhere other than /sign, then check it stays there.
    await page.waitForFunction(() => !location.hash.endsWith('/sign'), null, { timeout: 10_000 });
    await page.waitForTimeout(300);
    expect(page.url()).not.toMatch(/\/sign$/);
    await page.goto(`${app()}#/intake/${intake.id}/review`);

    // The review shows the signed, read-only record; no way back to editing.
    await page.getByRole('heading', { name: '已签字' }).first().waitFor();
    expect(await page.getByRole('link', { name: /^修改/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /进入顾客签字模式/ }).count()).toBe(0);
    expect(await page.locator('svg.signature-image path').count()).toBeGreaterThan(3);
    await shot(page, '6-review-signed');
    expect(await runAxe(page, 'signed review (portrait)')).toEqual([]);

    // Every step is read-only now: no input on the customer step can be edited.
    await page.goto(`${app()}#/intake/${intake.id}/customer`);
    const inputs = page.locator('main input[type=text], main input[type=tel], main input[type=number], main textarea');
    await inputs.first().waitFor();
    for (const input of await inputs.all()) expect(await input.isEditable()).toBe(false);
    expect(contentHash(await idb<Intake>(page, 'get', 'intakes', intake.id))).toBe(stored.contentHash);
    await page.goto(`${app()}#/intake/${intake.id}/review`);

    // Print view: the full hash and the signed time.
    await page.getByRole('link', { name: '打印接车登记表' }).tap();
    await page.waitForURL(/\/print$/);
    await page.getByRole('heading', { name: '接车登记表 · 客户联' }).waitFor();
    expect(await page.locator('[data-hash]').getAttribute('data-hash')).toBe(stored.contentHash);
    expect((await page.locator('[data-hash] .hash-group').allInnerTexts()).join('')).toBe(stored.contentHash);
    expect(await page.getByText(session.dealership.name).count()).toBeGreaterThan(0);
    expect(await runAxe(page, 'print')).toEqual([]);
    await shot(page, '7-print');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    await shot(page, '8-print-media', true);

    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('cannot be signed with a partial finding or an unlooked-at position; each reason links to what is missing', async () => {
    const ctx = await tabletContext(env.browser, 'landscape');
    const page = await ctx.newPage();
    await signedIn(page);
    const { value: session } = await idb<{ value: { staff: { id: string; name: string } } }>(page, 'get', 'kv', 'session');
    const ready = await seedReadyIntake(page, { id: session.staff.id, name: session.staff.name });
    // Damage 1 without its severity; the front (车头) never looked at.
    const intake: Intake = {
      ...ready,
      walkaround: {
        positions: { ...ready.walkaround.positions, f: { items: {}, noDamage: false, completedAt: null } },
        findings: ready.walkaround.findings.map((f) => ({ ...f, severity: '' })),
      },
    };
    await idb(page, 'put', 'intakes', intake);
    const findingId = intake.walkaround.findings[0]!.id;

    await page.goto(`${app()}#/intake/${intake.id}/review`);
    await page.getByRole('heading', { name: '签字前还需完成 2 项' }).waitFor();
    expect(await page.getByRole('button', { name: /进入顾客签字模式/ }).isDisabled()).toBe(true);
    const gaps = page.getByRole('list', { name: '尚未完成的项目' });
    await gaps.getByRole('link', { name: /^环车方位“车头”未完成检查/ }).waitFor();

    // The finding's reason links to that very finding: its position opens, its card has focus.
    await gaps.getByRole('link', { name: '损伤 1（左前门）：信息不完整（部位、损伤类型、程度）' }).tap();
    await page.waitForURL(new RegExp(`#/intake/${intake.id}/walkaround/${findingId}$`));
    await page.getByRole('heading', { name: '方位 1：左前' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-finding-card') ?? null)).toBe(findingId);
    const card = page.getByRole('region', { name: /损伤 1：左前门/ });
    await card.getByText('请选择程度').waitFor();
    await card.getByRole('button', { name: '轻微' }).tap();
    await card.getByText('请选择程度').waitFor({ state: 'detached' });

    // The position link: the front, whose items nobody looked at; "本方位无损伤" attests it.
    await page.goto(`${app()}#/intake/${intake.id}/review`);
    await page.getByRole('heading', { name: '签字前还需完成 1 项' }).waitFor();
    await gaps.getByRole('link', { name: /^环车方位“车头”未完成检查/ }).tap();
    await page.getByRole('heading', { name: '方位 2：车头' }).waitFor();
    await page.getByRole('checkbox', { name: '本方位无损伤' }).tap();
    await page.getByRole('heading', { name: '方位 3：右前' }).waitFor();

    await page.goto(`${app()}#/intake/${intake.id}/review`);
    await page.getByRole('heading', { name: '记录已完整，可以请顾客确认签字' }).waitFor();
    expect(await page.getByRole('button', { name: /进入顾客签字模式/ }).isDisabled()).toBe(false);
    const stored = await idb<Intake>(page, 'get', 'intakes', intake.id);
    expect(stored.walkaround.findings[0]!.severity).toBe('minor');
    expect(Object.values(stored.walkaround.positions.f!.items).every((v) => v === 'ok')).toBe(true);
    await ctx.close();
  });

  it("keeps the customer's signature across a reload until the advisor signs", async () => {
    const ctx = await tabletContext(env.browser, 'portrait');
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await signedIn(page);
    const { value: session } = await idb<{ value: { staff: { id: string; name: string } } }>(page, 'get', 'kv', 'session');
    const intake = await seedReadyIntake(page, { id: session.staff.id, name: session.staff.name });
    await page.goto(`${app()}#/intake/${intake.id}/review`);
    await page.getByRole('button', { name: /进入顾客签字模式/ }).tap();
    await page.waitForURL(/\/sign$/);
    await page.getByRole('checkbox', { name: /更换前刹车片/ }).tap();
    await page.getByRole('button', { name: '确认无误，签字' }).tap();
    await page.getByRole('dialog', { name: '顾客签字' }).waitFor();
    const cdp = await ctx.newCDPSession(page);
    await touchStroke(cdp, await padBox(page), 0.4, 0.1, 0.7);
    await touchStroke(cdp, await padBox(page), 0.6, 0.2, 0.8);
    await page.getByRole('button', { name: '确认签名' }).tap();
    await page.getByRole('dialog', { name: '服务顾问签字' }).waitFor();
    await expect
      .poll(async () => Object.keys((await idb<{ value: Record<string, unknown> } | undefined>(page, 'get', 'kv', 'sign.heldSignatures'))?.value ?? {}))
      .toEqual([intake.id]);

    // Reload between the two signatures: the customer does not sign again.
    await page.reload();
    await page.getByRole('dialog', { name: '服务顾问签字' }).waitFor();
    expect(await page.getByRole('dialog', { name: '顾客签字' }).count()).toBe(0);
    const cdp2 = await ctx.newCDPSession(page);
    await touchStroke(cdp2, await padBox(page), 0.5, 0.1, 0.8);
    await page.getByRole('button', { name: '确认签名' }).tap();
    await page.getByRole('heading', { name: '签字完成，谢谢！' }).waitFor();

    const stored = await idb<Intake>(page, 'get', 'intakes', intake.id);
    expect(stored.status).toBe('signed');
    expect(stored.signatures.map((s) => s.role)).toEqual(['customer', 'advisor']);
    expect(stored.signatures[0]!.strokes).toHaveLength(2); // the customer's own two strokes, from before the reload
    expect(stored.signatures.every((s) => s.contentHash === stored.contentHash)).toBe(true);
    await expect.poll(async () => Object.keys((await idb<{ value: Record<string, unknown> } | undefined>(page, 'get', 'kv', 'sign.heldSignatures'))?.value ?? {})).toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
