/**
 * One whole intake, the way it happens in the lane, in real Chromium against the production
 * build served by the real server, on a tablet (landscape AND portrait) with touch:
 *
 *   log in online → network off → new intake → customer/vehicle/complaint → (tab closed one
 *   second after typing; reopened, the text is there) → three-piece set and valuables → cabin →
 *   walk-around, all six positions with a finding, a marker and a photo through the camera input
 *   (one portrait photo with an EXIF orientation tag) → recommendations with the customer's
 *   decisions → review → customer mode: customer signs (touch strokes), advisor signs (pointer
 *   strokes) → hand back with the PIN → reload, still offline: everything is there → print view
 *   shows the content hash. axe-core on every screen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { goOffline, inspectImage, login, REPO_ROOT, runAxe, startE2E, tabletContext, waitForServiceWorker, type E2EEnv, type Orientation } from './harness';
import { defaultTemplate, positionsInOrder } from '../../src/shared/template/template';
import type { Intake } from '../../src/model/intake/schema';
import { contentHash } from '../../src/model/intake/signedContent';

let env: E2EEnv;

beforeAll(async () => {
  env = await startE2E();
});

afterAll(async () => {
  await env?.close();
});

const PHOTO = readFileSync(join(REPO_ROOT, 'tests/fixtures/damage-landscape.jpg'));
const PHOTO_EXIF6 = readFileSync(join(REPO_ROOT, 'tests/fixtures/damage-portrait-exif6.jpg'));
const VIN = '1M8GDM9AXKP042788';

const app = () => `${env.baseUrl}/index.html`;

async function axe(page: Page, label: string): Promise<void> {
  expect(await runAxe(page, label)).toEqual([]);
}

async function typeInto(page: Page, label: RegExp | string, text: string): Promise<void> {
  const field = page.getByLabel(label).first();
  await field.tap();
  await field.pressSequentially(text);
}

async function readIntake(page: Page, id: string): Promise<Intake> {
  return page.evaluate(
    (id) =>
      new Promise<Intake>((ok, fail) => {
        const r = indexedDB.open('walkaround');
        r.onerror = () => fail(r.error);
        r.onsuccess = () => {
          const db = r.result;
          const req = db.transaction('intakes').objectStore('intakes').get(id);
          req.onsuccess = () => {
            db.close();
            ok(req.result as Intake);
          };
          req.onerror = () => fail(req.error);
        };
      }),
    id,
  );
}

/** A wavy stroke with real touch events (CDP), as a finger draws it. */
async function touchStroke(cdp: CDPSession, box: { x: number; y: number; width: number; height: number }, row: number): Promise<void> {
  const pts = Array.from({ length: 20 }, (_, i) => ({ x: box.x + box.width * (0.1 + (0.8 * i) / 19), y: box.y + box.height * row + Math.sin(i / 2) * box.height * 0.1 }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [pts[0]!] });
  for (const p of pts.slice(1)) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await new Promise((r) => setTimeout(r, 20));
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** A stroke with a mouse-type pointer (a stylus on many Android tablets arrives this way). */
async function pointerStroke(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) {
    await page.mouse.move(box.x + box.width * (0.2 + i * 0.03), box.y + box.height * (0.6 + Math.sin(i / 2) * 0.1));
    await page.waitForTimeout(20);
  }
  await page.mouse.up();
}

async function fullIntake(orientation: Orientation): Promise<void> {
  const ctx: BrowserContext = await tabletContext(env.browser, orientation);
  let page = await ctx.newPage();
  const errors: string[] = [];
  const watch = (p: Page) => p.on('pageerror', (e) => errors.push(String(e)));
  watch(page);
  const plate = orientation === 'landscape' ? '京A12345' : '沪B67890';
  const name = orientation === 'landscape' ? '王小明' : '李华';

  // Online once: log in (the tablet keeps its session and staff PINs), service worker installed.
  await page.goto(app());
  expect(await login(page), 'demo advisor logs in through the login screen').toBe(true);
  await waitForServiceWorker(page);
  const newIntakeButton = page.getByRole('button', { name: /新建接车/ });
  await newIntakeButton.waitFor();
  await axe(page, `${orientation} list`);

  // From here on, no network at all.
  await goOffline(ctx);
  await newIntakeButton.tap();
  await page.waitForURL(/#\/intake\/[^/]+\/customer/);
  const id = /#\/intake\/([^/]+)\//.exec(page.url())![1]!;

  // 1. Customer, vehicle, visit, complaint.
  await typeInto(page, /客户姓名/, name);
  await typeInto(page, /手机号/, '13800138000');
  await typeInto(page, /车牌号/, plate.toLowerCase());
  expect(await page.getByLabel(/车牌号/).inputValue()).toBe(plate);
  await typeInto(page, /VIN/, VIN);
  await typeInto(page, /品牌/, '大众');
  await typeInto(page, /车型/, '迈腾');
  await typeInto(page, /年款/, '2021');
  await typeInto(page, /行驶里程/, '45230');
  await page.getByRole('button', { name: '3/8' }).tap();
  await typeInto(page, /故障描述/, '冷车启动异响');
  expect(await page.getByLabel(/故障描述/).inputValue()).toBe('冷车启动异响');
  await page.getByRole('button', { name: '间歇出现' }).tap();
  await page.getByText('已自动保存').waitFor();
  await axe(page, `${orientation} customer step`);

  // The tab is closed one second after typing: reopening finds the text.
  await typeInto(page, /故障描述/, '，约一分钟');
  expect(await page.getByLabel(/故障描述/).inputValue()).toBe('冷车启动异响，约一分钟');
  await page.waitForTimeout(1000);
  await page.close();
  page = await ctx.newPage();
  watch(page);
  await page.goto(`${app()}#/intake/${id}/customer`);
  await expect.poll(() => page.getByLabel(/故障描述/).inputValue()).toBe('冷车启动异响，约一分钟');

  // 2. Three-piece set and valuables.
  await page.getByRole('link', { name: /三件套与贵重物品 →/ }).tap();
  for (const label of ['座椅套', '方向盘套', '脚垫']) await page.getByLabel(label).tap();
  await page.getByLabel('已提醒顾客取走贵重物品').tap();
  const phone = page.getByTestId('valuable-phone');
  await phone.getByRole('button', { name: '交由保管' }).tap();
  await phone.getByLabel(/交由保管的物品描述/).tap();
  await phone.getByLabel(/交由保管的物品描述/).pressSequentially('华为手机 1 部');
  await page.getByRole('button', { name: '其余全部已取走' }).tap();
  await page.getByText('留在车内 0 项 · 交由保管 1 项 · 未确认 0 项').waitFor();
  await axe(page, `${orientation} valuables step`);

  // 3. Cabin.
  await page.getByRole('link', { name: /车内检查 →/ }).tap();
  await page.getByLabel('已征得顾客同意检查车内').tap();
  const ac = page.getByTestId('cabin-ac');
  await ac.getByRole('button', { name: '有问题' }).tap();
  await ac.getByLabel('空调：问题说明').tap();
  await ac.getByLabel('空调：问题说明').pressSequentially('不制冷');
  await page.getByRole('button', { name: '其余全部正常' }).tap();
  await page.getByText(/已检 10\/10 项 · 有问题 1 项/).waitFor();
  await axe(page, `${orientation} cabin step`);

  // 4. Walk-around: six positions clockwise, a finding with marker and photo at each.
  await page.getByRole('link', { name: /环车检查 →/ }).tap();
  const order = positionsInOrder(defaultTemplate);
  for (const [i, p] of order.entries()) {
    const n = i + 1;
    await page.getByRole('heading', { name: `方位 ${p.order}：${p.label['zh-CN']}` }).waitFor();
    const itemName = defaultTemplate.exteriorItems[p.items[0]!]!['zh-CN'];
    await page.getByRole('button', { name: `在${itemName}标记损伤` }).tap();
    const card = page.getByRole('region', { name: new RegExp(`损伤 ${n}：${itemName}`) });
    await card.waitFor();
    const svg = page.getByTestId('vehicle-diagram');
    const box = (await svg.boundingBox())!;
    await svg.tap({ position: { x: box.width * (p.region.x + p.region.w * 0.5), y: box.height * (p.region.y + p.region.h * 0.5) } });
    await card.getByText('已标记位置').waitFor();
    await card.getByRole('button', { name: i % 2 === 0 ? '划痕' : '凹陷' }).tap();
    await card.getByRole('button', { name: '轻微' }).tap();
    const camera = card.getByRole('button', { name: `为损伤 ${n} 拍照` });
    await expect.poll(() => camera.isEnabled()).toBe(true);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), camera.tap()]);
    await chooser.setFiles({ name: `damage-${n}.jpg`, mimeType: 'image/jpeg', buffer: i === 0 ? PHOTO_EXIF6 : PHOTO });
    await card.getByText('照片已保存').waitFor();
    await card.locator('img.photo-thumb').waitFor();
    if (i === 0) {
      // The portrait photo is stored upright (EXIF orientation applied): 600×1200, red on top.
      const img = await inspectImage(page, '[data-finding-card] img.photo-thumb');
      expect({ width: img.width, height: img.height }).toEqual({ width: 600, height: 1200 });
      expect(img.top[0]).toBeGreaterThan(200); // red on top: EXIF orientation applied
      expect(img.top[2]).toBeLessThan(60);
      await axe(page, `${orientation} walk-around with a finding`);
    }
    // The other items of the position were looked at too: one tap.
    await page.getByRole('button', { name: '其余项目正常' }).tap();
    const next = order[i + 1];
    if (next) await page.getByRole('button', { name: `下一个方位：${next.order} ${next.label['zh-CN']} →` }).tap();
  }
  await page.getByText('已完成 6/6 个方位').waitFor();

  // 5. Recommendations and the customer's decisions.
  await page.getByRole('link', { name: /维修建议 →/ }).tap();
  await page.getByRole('button', { name: '建议维修：车内 · 空调' }).tap();
  const rec1 = page.getByTestId('rec-1');
  await rec1.getByLabel('工时费（元）').tap();
  await rec1.getByLabel('工时费（元）').pressSequentially('180');
  await rec1.getByRole('button', { name: '本次维修' }).tap();
  // A walk-around finding recommended and declined for now (not safety-related).
  await page.getByRole('button', { name: /^建议维修：/ }).first().tap();
  const rec2 = page.getByTestId('rec-2');
  await rec2.getByRole('button', { name: '暂不维修' }).tap();
  await page.getByLabel(/预计交车时间/).fill('2999-12-01T17:30');
  await page.getByRole('button', { name: '微信' }).tap();
  await page.getByRole('button', { name: '旧件不带走' }).tap();
  await page.getByRole('group', { name: '免费洗车' }).getByRole('button', { name: '是' }).tap();
  await page.getByLabel('行驶证').tap();
  await page.getByRole('button', { name: '钥匙增加一把' }).tap();
  await page.getByText('已自动保存').waitFor();
  await axe(page, `${orientation} work step`);

  // 6. Review, then customer mode.
  await page.getByRole('link', { name: /确认签字 →/ }).tap();
  await page.getByRole('heading', { name: '记录已完整，可以请顾客确认签字' }).waitFor();
  await axe(page, `${orientation} review`);
  await page.getByRole('button', { name: /进入顾客签字模式/ }).tap();
  await page.waitForURL(/\/sign$/);
  await page.getByRole('heading', { name: '请核对接车内容' }).waitFor();
  await axe(page, `${orientation} customer mode`);
  await page.getByRole('button', { name: '确认无误，签字' }).tap();
  await page.getByRole('dialog', { name: '顾客签字' }).waitFor();
  const cdp = await ctx.newCDPSession(page);
  let pad = (await page.locator('.signature-pad').boundingBox())!;
  await touchStroke(cdp, pad, 0.4);
  await touchStroke(cdp, pad, 0.6);
  await axe(page, `${orientation} customer signature`);
  await page.getByRole('button', { name: '确认签名' }).tap();
  await page.getByRole('dialog', { name: '服务顾问签字' }).waitFor();
  pad = (await page.locator('.signature-pad').boundingBox())!;
  await pointerStroke(page, pad);
  await page.getByRole('button', { name: '确认签名' }).tap();
  await page.getByRole('heading', { name: '签字完成，谢谢！' }).waitFor();
  await axe(page, `${orientation} signed`);
  // An extra CDP session left attached would make the reload below forget the offline emulation.
  await cdp.detach();

  const signed = await readIntake(page, id);
  expect(signed.status).toBe('signed');
  expect(signed.contentHash).toMatch(/^[0-9a-f]{64}$/);
  expect(contentHash(signed)).toBe(signed.contentHash);
  expect(signed.signatures.map((s) => s.role)).toEqual(['customer', 'advisor']);
  expect(signed.walkaround.findings).toHaveLength(6);
  expect(signed.walkaround.findings.every((f) => f.photos.length === 1)).toBe(true);

  // Hand the tablet back with the advisor's PIN.
  await page.getByRole('button', { name: '交还顾问' }).tap();
  await page.getByLabel('PIN 码').fill(env.server.demo?.pin ?? '1234');
  await page.getByRole('button', { name: '确认', exact: true }).tap();
  await page.waitForURL(/\/review$/);

  // Reload, still offline: the app and the whole record come back from the tablet.
  await page.reload();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.goto(`${app()}#/`);
  const row = page.getByRole('link', { name: new RegExp(plate) });
  await row.waitFor();
  expect(await row.innerText()).toContain('已签字');
  await page.goto(`${app()}#/intake/${id}/customer`);
  await page.getByLabel(/客户姓名/).waitFor();
  expect(await page.getByLabel(/客户姓名/).inputValue()).toBe(name);
  expect(await page.getByLabel(/VIN/).inputValue()).toBe(VIN);
  expect(await page.getByLabel(/故障描述/).inputValue()).toBe('冷车启动异响，约一分钟');
  await page.goto(`${app()}#/intake/${id}/valuables`);
  expect(await page.getByTestId('valuable-phone').getByLabel(/交由保管的物品描述/).inputValue()).toBe('华为手机 1 部');
  await page.goto(`${app()}#/intake/${id}/cabin`);
  expect(await page.getByTestId('cabin-ac').getByLabel('空调：问题说明').inputValue()).toBe('不制冷');
  await page.goto(`${app()}#/intake/${id}/walkaround`);
  await page.getByText('已完成 6/6 个方位').waitFor();
  await expect.poll(() => page.getByTestId('vehicle-diagram').locator('[data-finding]').count()).toBe(6);
  await page.goto(`${app()}#/intake/${id}/review`);
  await page.getByRole('heading', { name: '已签字' }).first().waitFor();
  await axe(page, `${orientation} signed review`);
  const reread = await readIntake(page, id);
  expect(reread.contentHash).toBe(signed.contentHash);
  expect(contentHash(reread)).toBe(signed.contentHash);

  // Print view: the hash the customer signed.
  await page.goto(`${app()}#/intake/${id}/print`);
  await page.getByRole('heading', { name: '接车登记表 · 客户联' }).waitFor();
  expect(await page.locator('[data-hash]').getAttribute('data-hash')).toBe(signed.contentHash);
  expect(await page.getByText(plate).count()).toBeGreaterThan(0);
  await axe(page, `${orientation} print`);

  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(errors).toEqual([]);
  await ctx.close();
}

describe('a full intake with no network', () => {
  it('landscape 1180×820', async () => {
    await fullIntake('landscape');
  });

  it('portrait 820×1180', async () => {
    await fullIntake('portrait');
  });
});
