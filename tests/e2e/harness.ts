/**
 * The shared e2e harness: the PRODUCTION build served by the real server (in-process), real
 * Debian Chromium driven by playwright-core, tablet contexts, offline switches, service-worker
 * readiness, axe-core and a login helper.
 *
 * Typical use in a *.e2e.ts file:
 *
 *   let env: E2EEnv;
 *   beforeAll(async () => { env = await startE2E(); });
 *   afterAll(async () => { await env.close(); });
 *   it('...', async () => {
 *     const ctx = await tabletContext(env.browser, 'landscape');
 *     const page = await ctx.newPage();
 *     await page.goto(env.baseUrl);
 *     await login(page);
 *   });
 *
 * Each startE2E() gets its own server on a random port with a fresh temporary data directory
 * (PGlite) and blob directory, so test files never share state; the random port also means a
 * fresh browser origin (IndexedDB, service worker) per file.
 *
 * Until src/server/app.ts exists the harness serves the dist folder with a tiny static server
 * (SPA fallback), so PWA tests can run without the API.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags from the team brief: headless, no sandbox (containers), no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** The production build to serve: env E2E_DIST or ./dist. */
export function distDir(): string {
  return resolve(REPO_ROOT, process.env.E2E_DIST ?? 'dist');
}

export interface DemoCredentials {
  dealership?: string;
  username: string;
  password: string;
  name?: string;
  /** The staff PIN (customer-mode hand-back, user switch), when the server exports one. */
  pin?: string;
}

export interface RunningServer {
  baseUrl: string;
  /** 'product' = src/server/app.ts buildApp(); 'static' = the dist-only fallback. */
  kind: 'product' | 'static';
  /** Demo advisor credentials, when the product server exports them. */
  demo: DemoCredentials | null;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Server

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServerOptions {
  /** Rewrite a file's bytes before sending (e.g. a changed sw.js to simulate a new release). */
  transform?: (urlPath: string, body: Buffer) => Buffer;
  /** Extra folders served under a URL prefix, e.g. { '/__bench/': '.tmp/bench/browser' }. */
  mounts?: Record<string, string>;
  /** gzip text responses when the client accepts it (as a production deployment would). */
  gzip?: boolean;
}

/** A minimal static server for dist: exact files, else index.html (SPA fallback). */
export async function startStaticServer(distRoot = distDir(), opts: StaticServerOptions = {}): Promise<RunningServer> {
  const root = resolve(distRoot);
  const server: Server = createServer((req, res) => {
    void (async () => {
      let urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let base = root;
      for (const [prefix, dir] of Object.entries(opts.mounts ?? {})) {
        if (urlPath.startsWith(prefix)) {
          base = resolve(dir);
          urlPath = '/' + urlPath.slice(prefix.length);
        }
      }
      let file = normalize(join(base, urlPath));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      const st = await stat(file).catch(() => null);
      if (!st || st.isDirectory()) {
        if (urlPath.startsWith('/api/')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no api in static mode"}');
          return;
        }
        file = join(base, 'index.html');
      }
      const name = file.slice(base.length).split(sep).join('/');
      const raw = await readFile(file);
      const body = opts.transform ? opts.transform(name, raw) : raw;
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      const zip = opts.gzip === true && /gzip/.test(String(req.headers['accept-encoding'])) && /text|json|javascript|svg/.test(type);
      res.writeHead(200, {
        'content-type': type,
        // Like the product server: the SW and the HTML must always be revalidated.
        'cache-control': /\/(sw\.js|index\.html)$/.test(name) || name.endsWith('.webmanifest') ? 'no-cache' : 'public, max-age=31536000, immutable',
        ...(zip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      });
      res.end(req.method === 'HEAD' ? undefined : zip ? gzipSync(body) : body);
    })().catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    kind: 'static',
    demo: null,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

interface FastifyLike {
  listen(opts: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
  server: { address(): AddressInfo | string | null };
}

type BuildApp = (opts: Record<string, unknown>) => Promise<FastifyLike> | FastifyLike;

/** Options for the product server; unknown keys are passed through to buildApp(). */
export interface ServerOptions {
  /** Force the static fallback even when the product server exists. */
  staticOnly?: boolean;
  /** Use this PostgreSQL URL instead of a fresh PGlite directory. */
  databaseUrl?: string;
  extra?: Record<string, unknown>;
  /** Remove the data and blob dirs when this process exits, not at close (benches: see removeAtExit). */
  removeAtExit?: boolean;
}

const removeAtExitDirs: string[] = [];
/**
 * Remove `dir` when this process exits. For benches: ext4 passes over inodes freed in the last
 * seconds when it allocates new ones, so deleting a run's thousand files right before the next
 * run made that run's file creation up to twice as costly (measured: the server's CPU for the
 * same 500-photo upload was 0.93 s in a quiet directory and 1.8 s just after such a deletion).
 */
export function removeAtExit(dir: string): void {
  if (removeAtExitDirs.length === 0) process.once('exit', () => removeAtExitDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  removeAtExitDirs.push(dir);
}

/**
 * Start the real product server (src/server/app.ts buildApp) on a random port with a fresh
 * temporary PGlite data dir and blob dir; falls back to the static server when the product
 * server does not exist yet.
 */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const staticDir = distDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`No production build at ${staticDir}: run \`npm run build\` (or set E2E_DIST).`);
  }
  const appFile = resolve(REPO_ROOT, 'src/server/app.ts');
  if (opts.staticOnly || !existsSync(appFile)) return startStaticServer(staticDir);

  // Imported by path at run time so this file type-checks before the server exists.
  const mod = (await import(pathToFileURL(appFile).href)) as { buildApp?: BuildApp };
  if (typeof mod.buildApp !== 'function') return startStaticServer(staticDir);

  const tmp = mkdtempSync(join(tmpdir(), 'walkaround-e2e-'));
  const dataDir = join(tmp, 'pgdata');
  const blobDir = join(tmp, 'blobs');
  const app = await mod.buildApp({
    dataDir,
    blobDir,
    staticDir,
    logger: false,
    announce: false,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    ...opts.extra,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : Number(String(addr).split(':').pop());
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    kind: 'product',
    demo: await loadDemoCredentials(),
    close: async () => {
      await app.close();
      if (opts.removeAtExit) removeAtExit(tmp);
      else rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * The demo advisor from src/server/demo.ts. Accepts a few export shapes, since the module is
 * owned by the server engineer: DEMO_ADVISOR / demoAdvisor / DEMO_USERS[...role==='advisor'].
 */
export async function loadDemoCredentials(): Promise<DemoCredentials | null> {
  const file = resolve(REPO_ROOT, 'src/server/demo.ts');
  if (!existsSync(file)) return null;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const pickUser = (u: unknown): DemoCredentials | null => {
    if (!u || typeof u !== 'object') return null;
    const o = u as Record<string, unknown>;
    const username = (o.username ?? o.login ?? o.email ?? o.user) as string | undefined;
    const password = o.password as string | undefined;
    if (typeof username !== 'string' || typeof password !== 'string') return null;
    const dealership = (o.dealership ?? o.dealershipSlug ?? o.slug) as unknown;
    return {
      username,
      password,
      dealership: typeof dealership === 'string' ? dealership : typeof mod.DEMO_DEALERSHIP_SLUG === 'string' ? mod.DEMO_DEALERSHIP_SLUG : undefined,
      name: typeof o.name === 'string' ? o.name : undefined,
      pin: typeof o.pin === 'string' ? o.pin : undefined,
    };
  };
  for (const key of ['DEMO_ADVISOR', 'demoAdvisor', 'DEMO_ADVISOR_CREDENTIALS']) {
    const c = pickUser(mod[key]);
    if (c) return c;
  }
  for (const key of ['DEMO_USERS', 'demoUsers', 'DEMO_STAFF', 'demoStaff', 'DEMO_LOGINS']) {
    const list = mod[key];
    const arr = Array.isArray(list) ? list : list && typeof list === 'object' ? Object.values(list) : [];
    const advisor = arr.find((u) => (u as { role?: string })?.role === 'advisor') ?? arr[0];
    const c = pickUser(advisor);
    if (c) return c;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Browser

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export type Orientation = 'landscape' | 'portrait';

export const VIEWPORTS: Record<Orientation, { width: number; height: number }> = {
  landscape: { width: 1180, height: 820 },
  portrait: { width: 820, height: 1180 },
};

/** A tablet: iPad-Air-sized viewport, touch, mobile, 2× pixels, Chinese locale. */
export async function tabletContext(browser: Browser, orientation: Orientation = 'landscape', baseURL?: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: VIEWPORTS[orientation],
    screen: VIEWPORTS[orientation],
    hasTouch: true,
    isMobile: true,
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'allow',
    ...(baseURL ? { baseURL } : {}),
  });
  ctx.setDefaultTimeout(15_000);
  // Functions passed to page.evaluate from code run through tsx/esbuild (keepNames) call a
  // __name helper that does not exist in the page.
  await ctx.addInitScript('globalThis.__name ??= (f) => f;');
  return ctx;
}

export function goOffline(ctx: BrowserContext): Promise<void> {
  return ctx.setOffline(true);
}

export function goOnline(ctx: BrowserContext): Promise<void> {
  return ctx.setOffline(false);
}

/**
 * Wait until a service worker controls the page and has finished installing (its precache is
 * complete), so an offline reload is served from the cache. The first load of a site is not
 * controlled until clients.claim() or a reload; we reload once if needed.
 */
export async function waitForServiceWorker(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(() => 'serviceWorker' in navigator, undefined, { timeout: timeoutMs });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
  if (!controlled) {
    await page.reload({ waitUntil: 'load' });
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', undefined, { timeout: timeoutMs });
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/**
 * Run axe-core on the page and return the serious and critical violations (tests assert the
 * list is empty). The label is included in each entry so a failure says which screen it was.
 */
export async function runAxe(page: Page, label: string): Promise<AxeViolation[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: `${label}: ${v.id}`,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
}

/**
 * Log in through the app's own login screen as the demo advisor. Returns false (and does
 * nothing) when there is no login screen or no demo credentials yet, so tests can run before
 * the auth feature lands; returns true when the app shows a signed-in shell.
 */
export async function login(page: Page, creds: DemoCredentials | null = null): Promise<boolean> {
  const c = creds ?? (await loadDemoCredentials());
  if (!c) return false;
  const user = page.getByLabel(/用户名|账号|工号|Username|User name/i).first();
  try {
    await user.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    return false; // already signed in, or no login form yet
  }
  const dealership = page.getByLabel(/门店|经销商|Dealership|Store/i).first();
  if (c.dealership && (await dealership.count()) > 0 && (await dealership.isEditable())) {
    await dealership.fill(c.dealership);
  }
  await user.fill(c.username);
  await page.getByLabel(/密码|Password/i).first().fill(c.password);
  await page.getByRole('button', { name: /^(登录|Log in|Sign in)$/i }).tap();
  await user.waitFor({ state: 'detached', timeout: 15_000 });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Everything at once

export interface E2EEnv {
  server: RunningServer;
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

export async function startE2E(opts: ServerOptions & { browserArgs?: string[] } = {}): Promise<E2EEnv> {
  const server = await startServer(opts);
  const browser = await launchBrowser(opts.browserArgs);
  return {
    server,
    browser,
    baseUrl: server.baseUrl,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

/** Size and top/bottom colour of a rendered <img>, as decoded by the browser. */
export async function inspectImage(page: Page, selector: string): Promise<{ width: number; height: number; top: number[]; bottom: number[] }> {
  return page.locator(selector).first().evaluate(async (el) => {
    const img = el as HTMLImageElement;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const top = Array.from(ctx.getImageData(Math.floor(c.width / 2), Math.floor(c.height * 0.1), 1, 1).data);
    const bottom = Array.from(ctx.getImageData(Math.floor(c.width / 2), Math.floor(c.height * 0.9), 1, 1).data);
    return { width: img.naturalWidth, height: img.naturalHeight, top, bottom };
  });
}
