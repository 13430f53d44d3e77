/**
 * The walk-around in real Chromium against the production build: all six positions in walking
 * order, one finding each (made from its item's own control; type, severity, a marker tapped on
 * the diagram, a photo through the camera button and the file chooser it opens), the rest of each
 * position "其余项目正常", with the network off; then a reload finds every marker and thumbnail.
 *
 * The photo is a wide 4000×2000 JPEG (left half red, right half blue) carrying EXIF orientation
 * 6 ("rotate 90° clockwise to display"), as a tablet camera writes a portrait photo. Stored, it
 * must be upright (red on top) and shrunk to a long edge of 1600 px: 800×1600.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goOffline, goOnline, inspectImage, login, runAxe, startE2E, tabletContext, type E2EEnv } from './harness';
import { defaultTemplate, positionsInOrder } from '../../src/shared/template/template';

let env: E2EEnv;

beforeAll(async () => {
  env = await startE2E();
});

afterAll(async () => {
  await env?.close();
});

/**
 * The app's page. '/index.html' rather than '/': the product server's static plugin answered
 * 403 for '/' while it was being built; the hash routes work the same from either.
 */
const appUrl = () => `${env.baseUrl}/index.html`;

/** Insert an APP1/Exif segment carrying only an Orientation tag right after the JPEG's SOI. */
function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at offset 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, orientation >> 8, orientation & 0xff, 0x00, 0x00, // Orientation, SHORT, 1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = body.length + 2;
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, len >> 8, len & 0xff]), body]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

/** A wide camera-size JPEG made by the browser itself: left half red, right half blue. */
async function makePhoto(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 4000;
    c.height = 2000;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#ff0000';
    ctx.fillRect(0, 0, 2000, 2000);
    ctx.fillStyle = '#0000ff';
    ctx.fillRect(2000, 0, 2000, 2000);
    const blob = await new Promise<Blob>((ok) => c.toBlob((b) => ok(b!), 'image/jpeg', 0.9));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return withExifOrientation(Buffer.from(b64, 'base64'), 6);
}

/**
 * Until the login screen lands, a device session is written straight into the app's kv store
 * (after the app has opened and created its database) and the page reloaded.
 */
async function seedSessionIfNoLogin(page: Page): Promise<void> {
  const newIntake = page.getByRole('button', { name: /新建接车/ });
  try {
    await newIntake.waitFor({ timeout: 5_000 });
    return;
  } catch {
    /* no session: seed one */
  }
  await page.evaluate(
    () =>
      new Promise<void>((ok, fail) => {
        const req = indexedDB.open('walkaround');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction('kv', 'readwrite');
          tx.objectStore('kv').put({
            key: 'session',
            value: {
              token: 'e2e',
              deviceId: 'e2e-device',
              dealership: { id: 'd1', name: '示范4S店', slug: 'demo' },
              staff: { id: 'advisor-e2e', name: '王芳', role: 'advisor' },
            },
          });
          tx.oncomplete = () => {
            db.close();
            ok();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
  await page.reload();
  await newIntake.waitFor();
}

async function openNewIntake(page: Page): Promise<string> {
  await page.goto(appUrl());
  await login(page);
  await seedSessionIfNoLogin(page);
  await page.getByRole('button', { name: /新建接车/ }).tap();
  await page.waitForURL(/#\/intake\/[^/]+\/customer/);
  const id = /#\/intake\/([^/]+)\//.exec(page.url())![1]!;
  await page.goto(`${appUrl()}#/intake/${id}/walkaround`);
  return id;
}

describe('walk-around', () => {
  it('six positions, one finding with a marker and a photo each; all still there after a reload', async () => {
    const ctx = await tabletContext(env.browser, 'landscape');
    const page = await ctx.newPage();
    const id = await openNewIntake(page);
    const photo = await makePhoto(page);
    const order = positionsInOrder(defaultTemplate);
    // The lane's Wi-Fi is poor: the whole walk-around, photos included, works with no network.
    await page.getByRole('heading', { name: '方位 1：左前' }).waitFor();
    await goOffline(ctx);

    for (const [i, p] of order.entries()) {
      const n = i + 1;
      await page.getByRole('heading', { name: `方位 ${p.order}：${p.label['zh-CN']}` }).waitFor();
      const item = p.items[0]!;
      const itemName = defaultTemplate.exteriorItems[item]!['zh-CN'];
      // Each item is its own control: "在<item>标记损伤".
      await page.getByRole('button', { name: `在${itemName}标记损伤` }).tap();
      const card = page.getByRole('region', { name: new RegExp(`损伤 ${n}：${itemName}`) });
      await card.waitFor();

      // Placing mode is on: tap inside this position's region, off-centre, towards the body
      // (the side strips carry the position labels, which markers are kept clear of).
      const svg = page.getByTestId('vehicle-diagram');
      const box = (await svg.boundingBox())!;
      const mx = p.region.x + p.region.w * (p.region.x === 0 && p.region.w < 1 ? 0.65 : 0.35);
      const my = p.region.y + p.region.h * 0.4;
      await svg.tap({ position: { x: box.width * mx, y: box.height * my } });
      await card.getByText('已标记位置').waitFor();

      await card.getByRole('button', { name: '划痕' }).tap();
      await card.getByRole('button', { name: '轻微' }).tap();

      // The camera opens only once the finding is stored; it is a real button, pressed by role,
      // that opens the file input behind it.
      const camera = card.getByRole('button', { name: `为损伤 ${n} 拍照` });
      await expect.poll(() => camera.isEnabled()).toBe(true);
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), camera.tap()]);
      await chooser.setFiles({ name: `damage-${n}.jpg`, mimeType: 'image/jpeg', buffer: photo });
      await card.getByText('照片已保存').waitFor();
      await card.locator('img.photo-thumb').waitFor();

      // The marker is drawn where it was tapped.
      const marker = svg.locator('[data-finding]').nth(i);
      const [mb, now] = [(await marker.boundingBox())!, (await svg.boundingBox())!];
      expect(Math.abs(mb.x + mb.width / 2 - (now.x + now.width * mx))).toBeLessThan(4);
      expect(Math.abs(mb.y + mb.height / 2 - (now.y + now.height * my))).toBeLessThan(4);

      if (i === 0) {
        const img = await inspectImage(page, '[data-finding-card] img.photo-thumb');
        // EXIF orientation applied (portrait, red on top) and long edge shrunk to 1600.
        expect({ width: img.width, height: img.height }).toEqual({ width: 800, height: 1600 });
        expect(img.top[0]).toBeGreaterThan(200);
        expect(img.top[2]).toBeLessThan(60);
        expect(img.bottom[2]).toBeGreaterThan(200);
        expect(img.bottom[0]).toBeLessThan(60);
        expect(await runAxe(page, 'walkaround with a finding')).toEqual([]);
      }

      // One finding does not stand for the other items: "其余项目正常" (one tap) completes the position.
      await page.getByRole('button', { name: new RegExp(`^方位 ${p.order} ${p.label['zh-CN']}：未完成`) }).waitFor();
      await page.getByRole('button', { name: '其余项目正常' }).tap();
      await page.getByRole('button', { name: new RegExp(`^方位 ${p.order} ${p.label['zh-CN']}：1 处损伤`) }).waitFor();

      const next = order[i + 1];
      if (next) await page.getByRole('button', { name: `下一个方位：${next.order} ${next.label['zh-CN']} →` }).tap();
    }
    await page.getByText('已完成 6/6 个方位').waitFor();
    await page.getByText('六个方位均已完成').waitFor();
    // What the advisor sees before the tablet may go: the last tap's write committed (the other
    // reload tests wait for the same; CI once reloaded here before it was, and 6/6 did not come back).
    await page.locator('.save-status[data-state="saved"]').waitFor();

    // Reload: everything comes back from the tablet's own store.
    await goOnline(ctx);
    await page.reload();
    await page.goto(`${appUrl()}#/intake/${id}/walkaround`);
    await page.getByText('已完成 6/6 个方位').waitFor();
    const svg = page.getByTestId('vehicle-diagram');
    await expect.poll(() => svg.locator('[data-finding][data-found-at="intake"]').count()).toBe(6);
    for (const p of order) {
      await page.getByRole('button', { name: new RegExp(`^方位 ${p.order} ${p.label['zh-CN']}：1 处损伤`) }).tap();
      await page.getByRole('heading', { name: `方位 ${p.order}：${p.label['zh-CN']}` }).waitFor();
      const thumb = page.locator('[data-finding-card] img.photo-thumb');
      await thumb.waitFor();
      const img = await inspectImage(page, '[data-finding-card] img.photo-thumb');
      expect({ width: img.width, height: img.height }).toEqual({ width: 800, height: 1600 });
    }
    // Tap a thumbnail: the large view opens and closes.
    await page.locator('[data-finding-card] button.photo-open').first().tap();
    await page.getByRole('dialog', { name: '照片查看' }).locator('img.photo-large').waitFor();
    await page.getByRole('button', { name: '关闭' }).tap();
    await ctx.close();
  });

  it('portrait: no empty entries from the diagram; "no damage here" completes a position and moves on; no serious accessibility violations', async () => {
    const ctx = await tabletContext(env.browser, 'portrait');
    const page = await ctx.newPage();
    await openNewIntake(page);
    await page.getByRole('heading', { name: '方位 1：左前' }).waitFor();
    // One hand in portrait: "no damage here" and "next position" are on screen as the step opens,
    // without scrolling (a tap would scroll them into view: measured before any tap).
    for (const control of [page.getByRole('checkbox', { name: '本方位无损伤' }), page.getByRole('button', { name: /^下一个方位：/ })]) {
      const b = (await control.boundingBox())!;
      expect(b.y, `${control}`).toBeGreaterThanOrEqual(0);
      expect(b.y + b.height, `${control}`).toBeLessThanOrEqual(page.viewportSize()!.height);
    }
    expect(await runAxe(page, 'walkaround portrait')).toEqual([]);
    // A tap on the diagram while not marking anything asks for the part and records nothing
    // until one is chosen: no empty damage entries.
    const svg = page.getByTestId('vehicle-diagram');
    const box = (await svg.boundingBox())!;
    await svg.tap({ position: { x: box.width * 0.3, y: box.height * 0.35 } });
    const chooser = page.getByRole('group', { name: '在此处标记损伤：选择部位' });
    await chooser.waitFor();
    await chooser.getByRole('button', { name: '取消' }).tap();
    await chooser.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '在本方位中心放置标记' }).tap();
    await chooser.getByRole('button', { name: '取消' }).tap();
    expect(await page.locator('[data-finding-card]').count()).toBe(0);
    expect(await svg.locator('[data-finding]').count()).toBe(0);

    // "No damage here": the position is complete and the walk moves on to position 2 by itself.
    await page.getByRole('checkbox', { name: '本方位无损伤' }).tap();
    await page.getByRole('heading', { name: '方位 2：车头' }).waitFor();
    await page.getByRole('button', { name: /^方位 1 左前：无损伤/ }).waitFor();
    await page.getByText('已完成 1/6 个方位').waitFor();
    await page.getByText('方位 1 已完成，转到下一个方位').waitFor();
    expect(await runAxe(page, 'walkaround portrait, position 2')).toEqual([]);

    // A file that is not a readable image: said in words, nothing referenced.
    await page.getByRole('button', { name: '在前保险杠标记损伤' }).tap();
    const camera = page.getByRole('button', { name: '为损伤 1 拍照' });
    await expect.poll(() => camera.isEnabled()).toBe(true);
    const [fileChooser] = await Promise.all([page.waitForEvent('filechooser'), camera.tap()]);
    await fileChooser.setFiles({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a jpeg at all') });
    await page.getByRole('alert').filter({ hasText: '无法读取这张照片' }).waitFor();
    expect(await page.locator('[data-finding-card] img.photo-thumb').count()).toBe(0);
    await ctx.close();
  });
});
