/**
 * Issue 9, finding 1 in the browser: a tablet whose outbox holds one mutation the server cannot
 * accept (a fault-injection proxy in front of the real server answers 500 to every push that
 * carries the marker plate) still syncs every other change, and shows the stuck one to staff on
 * the sync badge and in Settings, with its reason. Nothing is dropped: once the server takes it,
 * it goes up too.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { goOffline, goOnline, login, startE2E, tabletContext, waitForServiceWorker, type E2EEnv } from './harness';

const POISON = '京A00500';
const GOOD = '京B12345';

let env: E2EEnv;
let proxy: Server;
let proxyUrl = '';
/** While true, the proxy answers 500 to pushes carrying the poison plate. */
let faulty = true;
let injected = 0;

/** Forwards everything to the real server, except pushes with the marker while `faulty`. */
function startProxy(target: URL): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (faulty && req.method === 'POST' && req.url === '/api/sync/push' && body.toString('utf8').includes(POISON)) {
        injected++;
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal', message: 'injected fault' }));
        return;
      }
      const up = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** The server's own view, asked directly (not through the proxy). */
async function serverPlates(): Promise<string[]> {
  const login = await fetch(`${env.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ dealership: 'demo', username: 'advisor', password: 'demo-advisor-1', deviceName: 'checker' }),
  });
  const { token } = (await login.json()) as { token: string };
  const list = await fetch(`${env.baseUrl}/api/intakes`, { headers: { authorization: `Bearer ${token}` } });
  return ((await list.json()) as { intakes: { plate: string }[] }).intakes.map((i) => i.plate);
}

beforeAll(async () => {
  env = await startE2E();
  proxy = await startProxy(new URL(env.baseUrl));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => proxy?.close(ok));
  await env?.close();
});

async function newIntakeWithPlate(page: Page, plate: string) {
  await page.goto(`${proxyUrl}/index.html#/`);
  await page.getByRole('button', { name: /新建接车/ }).tap();
  await page.waitForURL(/#\/intake\/[^/]+\/customer/);
  const field = page.getByLabel(/车牌号/).first();
  await field.tap();
  await field.pressSequentially(plate);
  await page.getByText('已自动保存').first().waitFor();
}

describe('one change the server cannot accept', () => {
  it('does not hold back the others, and is shown to staff until it goes', async () => {
    const ctx = await tabletContext(env.browser, 'landscape', proxyUrl);
    const page = await ctx.newPage();
    await page.goto(`${proxyUrl}/index.html`);
    expect(await login(page)).toBe(true);
    await page.getByRole('button', { name: /新建接车/ }).waitFor();
    await waitForServiceWorker(page);

    await goOffline(ctx);
    await newIntakeWithPlate(page, POISON);
    await newIntakeWithPlate(page, GOOD);
    await goOnline(ctx);

    // The good intake reaches the server although the poisoned push fails every time.
    await expect.poll(serverPlates, { timeout: 30_000, interval: 1000 }).toContain(GOOD);
    expect(await serverPlates()).not.toContain(POISON);
    expect(injected).toBeGreaterThan(0);

    // Staff see it: sync now until it is stuck; the badge counts it, Settings names it and why.
    await page.goto(`${proxyUrl}/index.html#/settings`);
    const list = page.getByTestId('stuck-changes');
    await list.waitFor({ timeout: 30_000 });
    for (let i = 0; i < 6 && (await page.locator('.sync-badge').getAttribute('data-stuck')) !== '1'; i++) {
      const now = page.getByRole('button', { name: '立即同步' });
      await now.waitFor();
      if (await now.isEnabled()) await now.tap();
      await page.waitForTimeout(1500);
    }
    expect(await page.locator('.sync-badge').getAttribute('data-stuck')).toBe('1');
    expect(await page.getByRole('link', { name: /1 项未被接收/ }).count()).toBe(1);
    const text = await list.textContent();
    expect(text).toContain(POISON);
    expect(text).toContain('HTTP 500');
    expect(await page.locator('[data-count="stuck"]').textContent()).toBe('1');

    // The server is fixed: the stuck change goes on a later try, and nothing was lost.
    faulty = false;
    await page.evaluate(async () => {
      // Make the stuck entry due now instead of in a minute (the retry delay is not under test here).
      const open = indexedDB.open('walkaround');
      const db: IDBDatabase = await new Promise((ok, fail) => {
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const tx = db.transaction('outbox', 'readwrite');
      const store = tx.objectStore('outbox');
      const all: { retryAt?: string | null }[] = await new Promise((ok) => {
        const r = store.getAll();
        r.onsuccess = () => ok(r.result as { retryAt?: string | null }[]);
      });
      for (const e of all) store.put({ ...e, retryAt: new Date(0).toISOString() });
      await new Promise((ok) => (tx.oncomplete = ok));
      db.close();
    });
    await page.getByRole('button', { name: '立即同步' }).tap();
    await expect.poll(serverPlates, { timeout: 30_000, interval: 1000 }).toContain(POISON);
    await page.getByText('本机所有记录都已同步到服务器。').waitFor({ timeout: 30_000 });
    expect(await page.locator('.sync-badge').getAttribute('data-stuck')).toBe('0');
    await ctx.close();
  });
});
