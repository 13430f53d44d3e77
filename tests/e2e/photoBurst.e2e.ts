/**
 * Several photos in a row, in real Chromium against the production build and the real server:
 * the camera button stays usable while the first photos are still being resized and stored, every
 * photo lands on the finding in shutter order, and after "sync now" the server holds every one
 * of them (sent several to a request through POST /api/blobs/batch) and the intake is complete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { inspectImage, login, startE2E, tabletContext, type E2EEnv } from './harness';
import { defaultTemplate, positionsInOrder } from '../../src/shared/template/template';

let env: E2EEnv;
const appUrl = () => `${env.baseUrl}/index.html`;

beforeAll(async () => {
  env = await startE2E();
});
afterAll(async () => {
  await env?.close();
});

const COLOURS: [number, number, number][] = [
  [255, 0, 0],
  [0, 200, 0],
  [0, 0, 255],
  [255, 220, 0],
  [200, 0, 200],
];

/** Camera-size JPEGs (4000×3000), one solid colour each, made by the browser itself. */
async function makePhotos(page: Page): Promise<Buffer[]> {
  const b64s = await page.evaluate(async (colours) => {
    const out: string[] = [];
    for (const [r, g, b] of colours) {
      const c = document.createElement('canvas');
      c.width = 4000;
      c.height = 3000;
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(0, 0, 4000, 3000);
      const blob = await new Promise<Blob>((ok) => c.toBlob((x) => ok(x!), 'image/jpeg', 0.9));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push(btoa(s));
    }
    return out;
  }, COLOURS);
  return b64s.map((s) => Buffer.from(s, 'base64'));
}

describe('a burst of photos', () => {
  it('keeps the camera usable, stores every photo in order, and syncs them all in batches', async () => {
    const ctx = await tabletContext(env.browser, 'landscape');
    const page = await ctx.newPage();
    const batchRequests: number[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/blobs/batch')) batchRequests.push(r.postDataBuffer()?.length ?? 0);
    });
    await page.goto(appUrl());
    expect(await login(page)).toBe(true);
    await page.getByRole('button', { name: /新建接车/ }).tap();
    await page.waitForURL(/#\/intake\/[^/]+\/customer/);
    const id = /#\/intake\/([^/]+)\//.exec(page.url())![1]!;
    await page.goto(`${appUrl()}#/intake/${id}/walkaround`);
    const first = positionsInOrder(defaultTemplate)[0]!;
    const itemName = defaultTemplate.exteriorItems[first.items[0]!]!['zh-CN'];
    await page.getByRole('heading', { name: `方位 ${first.order}：${first.label['zh-CN']}` }).waitFor();
    await page.getByRole('button', { name: `在${itemName}标记损伤` }).tap();
    const card = page.getByRole('region', { name: new RegExp(`损伤 1：${itemName}`) });
    await card.waitFor();
    const photos = await makePhotos(page);

    const input = card.getByLabel('为损伤 1 拍照');
    await expect.poll(() => input.isEnabled()).toBe(true);
    await input.setInputFiles(photos.slice(0, 3).map((buffer, i) => ({ name: `burst-${i}.jpg`, mimeType: 'image/jpeg', buffer })));
    // Three 12-MP photos are still being processed: the camera can be used again at once.
    expect(await input.isEnabled()).toBe(true);
    await input.setInputFiles(photos.slice(3).map((buffer, i) => ({ name: `burst-${i + 3}.jpg`, mimeType: 'image/jpeg', buffer })));
    await card.getByText('照片已保存').waitFor({ timeout: 30_000 });
    await expect.poll(() => card.locator('img.photo-thumb').count(), { timeout: 30_000 }).toBe(5);
    // Shutter order: each thumbnail is the colour of the photo taken in its place.
    for (let i = 0; i < COLOURS.length; i++) {
      const img = await inspectImage(page, `[data-finding-card] .photo-strip li:nth-child(${i + 1}) img.photo-thumb`);
      expect(img.width).toBe(1600);
      for (let c = 0; c < 3; c++) expect(Math.abs(img.top[c]! - COLOURS[i]![c]!)).toBeLessThan(40);
    }

    await page.goto(`${appUrl()}#/settings`);
    await page.getByRole('button', { name: '立即同步' }).tap();
    await page.getByText('本机所有记录都已同步到服务器。').waitFor({ timeout: 30_000 });
    expect(batchRequests.length).toBeGreaterThan(0);
    expect(batchRequests.length).toBeLessThan(5); // several photos to a request

    // The server holds every photo of the intake.
    const token = await page.evaluate(
      () =>
        new Promise<string>((ok, fail) => {
          const req = indexedDB.open('walkaround');
          req.onerror = () => fail(req.error);
          req.onsuccess = () => {
            const g = req.result.transaction('kv').objectStore('kv').get('session');
            g.onsuccess = () => ok((g.result as { value: { token: string } }).value.token);
            g.onerror = () => fail(g.error);
          };
        }),
    );
    const res = await fetch(`${env.baseUrl}/api/intakes/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { missingPhotos: string[]; intake?: unknown };
    expect(body.missingPhotos).toEqual([]);
    expect(JSON.stringify(body).match(/"photos":\["[0-9a-f]{64}"(,"[0-9a-f]{64}"){4}\]/)).not.toBeNull();
    await ctx.close();
  });
});
