/**
 * The PWA contract, against the production build in real Chromium:
 * - the service worker installs and precaches the app; a cold start with no network renders
 *   the shell (and a lazily loaded screen);
 * - the app is installable (manifest served with its type, icons incl. a maskable one);
 * - a new release is only offered, never applied under an open form, and applied on request
 *   elsewhere;
 * - no serious/critical axe violations on the first screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  distDir,
  goOffline,
  goOnline,
  launchBrowser,
  login,
  runAxe,
  startServer,
  startStaticServer,
  tabletContext,
  waitForServiceWorker,
  type RunningServer,
} from './harness';

let browser: Browser;
let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The header's app name is the shell's first paint: h1 "接车环检". */
async function expectShell(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 1, name: '接车环检' }).waitFor({ state: 'visible' });
}

describe('PWA', () => {
  it('serves an installable manifest with a maskable icon', async () => {
    const ctx = await tabletContext(browser, 'landscape');
    const page = await ctx.newPage();
    await page.goto(server.baseUrl + '/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const res = await page.request.get(new URL(href as string, server.baseUrl).href);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/application\/(manifest\+)?json/);
    const manifest = (await res.json()) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest.short_name).toBe('接车环检');
    expect(manifest.display).toBe('standalone');
    expect(manifest.start_url).toBe('/');
    const sizes = manifest.icons.map((i) => i.sizes);
    expect(sizes).toContain('192x192');
    expect(sizes).toContain('512x512');
    const maskable = manifest.icons.filter((i) => (i.purpose ?? '').split(' ').includes('maskable'));
    expect(maskable.length).toBeGreaterThan(0);
    for (const icon of manifest.icons) {
      const r = await page.request.get(new URL(icon.src, server.baseUrl).href);
      expect(r.status(), icon.src).toBe(200);
      expect(r.headers()['content-type']).toBe(icon.type);
      const png = await r.body();
      // PNG IHDR: width and height at bytes 16..24 must match the declared size.
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(png.readUInt32BE(16)).toBe(w);
      expect(png.readUInt32BE(20)).toBe(h);
    }

    // Chromium's own installability check (manifest, icons, service worker, secure origin).
    await waitForServiceWorker(page);
    const cdp = await ctx.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // 'in-incognito' describes Playwright's throwaway profile, not the app.
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    await ctx.close();
  });

  it('installs the service worker and starts cold with no network', async () => {
    const ctx = await tabletContext(browser, 'portrait');
    const page = await ctx.newPage();
    await page.goto(server.baseUrl + '/');
    await expectShell(page);
    await waitForServiceWorker(page);
    const signedIn = await login(page);

    // Every precached URL is in the cache: lazy screens open offline too.
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      let n = 0;
      for (const name of names) n += (await (await caches.open(name)).keys()).length;
      return n;
    });
    expect(cached).toBeGreaterThan(5);

    await goOffline(ctx);
    // Cold start: a new page (new JS heap) in the offline context, straight to the app URL.
    await page.close();
    const offlinePage = await ctx.newPage();
    await offlinePage.goto(server.baseUrl + '/');
    await expectShell(offlinePage);
    expect(await offlinePage.evaluate(() => navigator.onLine)).toBe(false);
    await offlinePage.reload();
    await expectShell(offlinePage);

    // A lazily loaded chunk (settings screen) comes from the precache.
    await offlinePage.goto(server.baseUrl + '/#/settings');
    await expectShell(offlinePage);
    await offlinePage.waitForFunction(() => !document.querySelector('main [role="status"]') || document.querySelector('main')!.textContent !== '加载中…');
    const mainText = await offlinePage.locator('main').innerText();
    expect(mainText.trim().length).toBeGreaterThan(0);

    // Back to the first screen (the list when signed in, the login screen otherwise): axe.
    await offlinePage.goto(server.baseUrl + '/#/');
    await expectShell(offlinePage);
    if (signedIn) await offlinePage.getByRole('heading', { level: 2 }).first().waitFor();
    expect(await runAxe(offlinePage, signedIn ? 'list (offline)' : 'first screen (offline)')).toEqual([]);
    await goOnline(ctx);
    await ctx.close();
  });

  it('offers a new release, never applies it under an open form, applies it on request', async () => {
    // A second server on the same build whose sw.js can change, like a deployment would.
    let release = 1;
    const staticServer = await startStaticServer(distDir(), {
      transform: (path, body) => (path === '/sw.js' && release > 1 ? Buffer.concat([body, Buffer.from(`\n// release ${release}\n`)]) : body),
    });
    const ctx = await tabletContext(browser, 'landscape');
    try {
      const page = await ctx.newPage();
      await page.goto(staticServer.baseUrl + '/#/intake/some-draft/customer');
      await expectShell(page);
      await waitForServiceWorker(page);
      await expectShell(page);

      release = 2;
      // The app checks for updates whenever it becomes visible (installed iOS apps).
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      const prompt = page.getByRole('status').filter({ hasText: '有新版本可用' });
      await prompt.waitFor({ state: 'visible', timeout: 30_000 });
      // A form route: the prompt says to close the form first and offers no button.
      await expect(prompt.innerText()).resolves.toContain('请先关闭正在填写的表单');
      expect(await page.getByRole('button', { name: '立即更新' }).count()).toBe(0);
      // ...and the waiting worker stays waiting.
      await page.waitForTimeout(500);
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);

      // Leaving the form makes the update available.
      await page.evaluate(() => {
        (window as unknown as { __beforeUpdate: boolean }).__beforeUpdate = true;
        location.hash = '#/';
      });
      const button = page.getByRole('button', { name: '立即更新' });
      await button.waitFor({ state: 'visible' });
      await expect(runAxe(page, 'update prompt')).resolves.toEqual([]);
      await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), button.tap()]);
      await expectShell(page);
      // The page reloaded under the new worker, which is now active with nothing waiting.
      expect(await page.evaluate(() => (window as unknown as { __beforeUpdate?: boolean }).__beforeUpdate)).toBeUndefined();
      const reg = await page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        return { waiting: r?.waiting ?? null, controlled: navigator.serviceWorker.controller !== null };
      });
      expect(reg).toEqual({ waiting: null, controlled: true });
      expect(await page.getByRole('button', { name: '立即更新' }).count()).toBe(0);
    } finally {
      await ctx.close();
      await staticServer.close();
    }
  });
});
