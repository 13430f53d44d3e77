/**
 * Benchmarks: `npm run bench` (= build, then this file). Prints each figure next to its target
 * and writes .tmp/bench/results.json. Nothing here asserts on time: figures are reported, and
 * the README records them with the date they were measured.
 *
 *   first-screen JS (gzip) ≤ 160 KB · cold offline start (4× CPU) ≤ 1.5 s · autosave p95 ≤ 50 ms
 *   filter 10,000 intakes ≤ 100 ms · 12-MP photo resize+hash ≤ 800 ms · Lighthouse perf ≥ 95, a11y 100
 *
 * Browser figures run in Debian Chromium against the production build (dist, or E2E_DIST), on
 * the app's own origin, using the app's own modules (tests/bench/browser/benchEntry.ts).
 * Server benches in tests/bench/server/ (run.ts, or every script there except lib.ts) run afterwards.
 *
 * The photo backlog bench (tests/bench/photoSync.ts: the app's store and sync engine in Chromium
 * against the product server, beside the raw PUT limit of the same run) runs after the browser ones.
 *
 * The live sync bench (tests/bench/liveSync.ts: 10 tablets running the app in Chromium; commit on
 * one → visible on the others, p50/p95; convergence after the server is killed and restarted)
 * runs after the photo backlog bench.
 *
 * The vehicle index bench (tests/bench/vehicleIndex.ts, issue 11) runs after it (BENCH_SKIP=vehicles).
 *
 * Options (env): BENCH_SKIP=lighthouse,photo,burst,photosync,livesync,vehicles,... to skip parts; BENCH_SAMPLES (autosave, 300).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import type { BrowserContext, Page } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  REPO_ROOT,
  distDir,
  goOffline,
  goOnline,
  launchBrowser,
  startServer,
  startStaticServer,
  tabletContext,
  waitForServiceWorker,
} from '../e2e/harness';
import type { BenchApi } from './browser/benchEntry';

const OUT = resolve(REPO_ROOT, '.tmp/bench');
const BENCH_JS_DIR = join(OUT, 'browser');
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);

interface Figure {
  name: string;
  value: number | null;
  unit: string;
  target: string;
  ok: boolean | null;
  note?: string;
}
const figures: Figure[] = [];
const details: Record<string, unknown> = {};

function report(name: string, value: number | null, unit: string, target: string, ok: boolean | null, note?: string): void {
  figures.push({ name, value, unit, target, ok, note });
  const v = value === null ? 'n/a' : unit === 'KB' ? value.toFixed(1) : unit === 'ms' ? value.toFixed(1) : String(value);
  console.log(`  ${name.padEnd(44)} ${`${v} ${unit}`.padStart(12)}   target ${target.padEnd(10)} ${ok === null ? '' : ok ? 'OK' : 'OVER'}${note ? `   (${note})` : ''}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

// ---------------------------------------------------------------------------------------------
// 1. Bundle size: the first screen is the entry chunk plus everything it imports statically.

const STATIC_IMPORT = /(?:^|[;}\s)])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;

function jsSizes(dist: string): void {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  const seen = new Set<string>();
  const queue = entries.map((u) => u.replace(/^\//, ''));
  while (queue.length) {
    const rel = queue.shift() as string;
    if (seen.has(rel)) continue;
    seen.add(rel);
    const src = readFileSync(join(dist, rel), 'utf8');
    const dir = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    for (const m of src.matchAll(STATIC_IMPORT)) {
      const spec = m[1] as string;
      const target = spec.startsWith('/') ? spec.slice(1) : join(dir, spec).replace(/\\/g, '/');
      if (existsSync(join(dist, target))) queue.push(target);
    }
  }
  const gz = (f: string) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length / 1024;
  const first = [...seen].reduce((a, f) => a + gz(f), 0);
  const linked = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)].reduce((a, m) => a + gz((m[1] as string).replace(/^\//, '')), 0);
  const inline = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].reduce((a, m) => a + gzipSync(Buffer.from(m[1] as string), { level: 9 }).length / 1024, 0);
  const css = linked + inline; // the entry CSS is inlined into index.html (vite.config.ts)
  const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  const total = all.reduce((a, f) => a + gz(join('assets', f)), 0);
  const sw = readdirSync(dist).filter((f) => f.endsWith('.js'));
  const swTotal = sw.reduce((a, f) => a + gz(f), 0);
  const perChunk = Object.fromEntries(all.map((f) => [f, Number(gz(join('assets', f)).toFixed(1))]));
  details.js = { firstScreenFiles: [...seen], perChunkGzipKB: perChunk, cssGzipKB: css, serviceWorkerGzipKB: swTotal };
  report('first-screen JS (gzip)', first, 'KB', '≤ 160 KB', first <= 160, `${seen.size} file(s); CSS ${css.toFixed(1)} KB`);
  report('all app JS (gzip, every lazy screen)', total, 'KB', '—', null, `${all.length} chunks; service worker ${swTotal.toFixed(1)} KB`);
}

// ---------------------------------------------------------------------------------------------
// Browser helpers

async function buildBenchBundle(): Promise<void> {
  await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    publicDir: false,
    plugins: [react()],
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: BENCH_JS_DIR,
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry: resolve(REPO_ROOT, 'tests/bench/browser/benchEntry.ts'), formats: ['es'], fileName: () => 'bench.js' },
    },
  });
}

async function injectBench(page: Page): Promise<void> {
  await page.addScriptTag({ url: '/__bench/bench.js', type: 'module' });
  await page.waitForFunction(() => '__bench' in window);
}

async function bench<R>(page: Page, fn: (b: BenchApi, arg: unknown) => Promise<R> | R, arg?: unknown): Promise<R> {
  if (!(await page.evaluate(() => '__bench' in window))) await injectBench(page);
  return page.evaluate(
    ([src, a]) => new Function('b', 'a', `return (${src})(b, a)`)((window as unknown as { __bench: unknown }).__bench, a),
    [fn.toString(), arg] as const,
  ) as Promise<R>;
}

async function throttle(ctx: BrowserContext, page: Page, rate: number) {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return cdp;
}

/** Load `url` in a fresh page and return ms from navigation start until `predicate` holds. */
async function timeToReady(ctx: BrowserContext, url: string, predicateSrc: string, cpuRate: number): Promise<number> {
  const page = await ctx.newPage();
  await throttle(ctx, page, cpuRate);
  // The predicate is polled on every animation frame and DOM mutation from the first script on.
  await page.addInitScript(`(() => {
    const ready = ${predicateSrc};
    const check = () => { if (window.__readyAt === undefined && ready()) window.__readyAt = performance.now(); };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    const raf = () => { check(); if (window.__readyAt === undefined) requestAnimationFrame(raf); };
    requestAnimationFrame(raf);
  })()`);
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __readyAt?: number }).__readyAt !== undefined, undefined, { timeout: 60_000 });
  const t = await page.evaluate(() => (window as unknown as { __readyAt: number }).__readyAt);
  await page.close();
  return t;
}

// The intake form is interactive when its first control is on screen and enabled.
const FORM_READY = `() => { const el = document.querySelector('main input:not([type=hidden]), main textarea, main select'); return !!el && !el.disabled && el.getBoundingClientRect().height > 0; }`;
const LIST_READY = `() => !!document.querySelector('main ul li a, main section p.muted')`;

// ---------------------------------------------------------------------------------------------

async function browserBenches(dist: string): Promise<void> {
  const server = await startStaticServer(dist, { mounts: { '/__bench/': BENCH_JS_DIR } });
  const browser = await launchBrowser();
  try {
    const ctx = await tabletContext(browser, 'landscape');
    const page = await ctx.newPage();
    await page.goto(server.baseUrl + '/');
    await injectBench(page);
    await bench(page, (b) => b.seedSession());
    const draftId = await bench(page, (b) => b.createDraft());
    await waitForServiceWorker(page);

    // 2. Cold offline start to an interactive form, CPU 4× slower, after the SW installed.
    if (!skip.has('cold')) {
      await goOffline(ctx);
      const url = `${server.baseUrl}/#/intake/${draftId}/customer`;
      await timeToReady(ctx, url, FORM_READY, 4).catch(() => NaN); // warm the HTTP/code caches once
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push(await timeToReady(ctx, url, FORM_READY, 4));
      await goOnline(ctx);
      details.coldOfflineStartMs = runs;
      report('cold offline start → form (4× CPU), median', median(runs), 'ms', '≤ 1500 ms', median(runs) <= 1500, `5 runs: ${runs.map((r) => r.toFixed(0)).join(', ')}`);
    }

    // 3. Autosave commit latency (updateSection → transaction committed).
    if (!skip.has('autosave')) {
      const plain = await bench(page, (b, a) => b.autosaveSamples(String((a as [string, number])[0]), (a as [string, number])[1]), [draftId, SAMPLES]);
      report('autosave commit p50', pct(plain, 50), 'ms', '—', null, `${plain.length} samples`);
      report('autosave commit p95', pct(plain, 95), 'ms', '≤ 50 ms', pct(plain, 95) <= 50, `max ${Math.max(...plain).toFixed(1)} ms`);
      const cdp = await throttle(ctx, page, 4);
      const slow = await bench(page, (b, a) => b.autosaveSamples(String((a as [string, number])[0]), (a as [string, number])[1]), [draftId, Math.min(SAMPLES, 150)]);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      report('autosave commit p95 (4× CPU)', pct(slow, 95), 'ms', '≤ 50 ms', pct(slow, 95) <= 50, `p50 ${pct(slow, 50).toFixed(1)} ms`);
      details.autosave = { plain, slow };
    }

    // 4. 10,000 intakes: first render of the list, then filter by plate.
    if (!skip.has('list')) {
      const t0 = Date.now();
      const count = await bench(page, (b) => b.seedIntakes(10_000));
      details.seed = { count, seconds: (Date.now() - t0) / 1000 };
      const firsts: number[] = [];
      for (let i = 0; i < 3; i++) firsts.push(await timeToReady(ctx, server.baseUrl + '/#/', LIST_READY, 1));
      report(`list first render (${count} intakes)`, median(firsts), 'ms', '—', null, `3 runs: ${firsts.map((r) => r.toFixed(0)).join(', ')}`);
      const firsts4 = [];
      for (let i = 0; i < 3; i++) firsts4.push(await timeToReady(ctx, server.baseUrl + '/#/', LIST_READY, 4));
      report(`list first render (${count}, 4× CPU)`, median(firsts4), 'ms', '—', null);

      const plate = await bench(page, (b) => b.plateOf(4321));
      const query = plate.slice(-5); // the digits an advisor types
      const pure = await bench(page, (b, q) => b.filterPure(String(q), 20), query);
      details.filterPure = pure;
      report('filter 10,000 by plate (pure function, p95)', pct(pure.ms, 95), 'ms', '—', null, `${pure.hits} hit(s); loading rows ${pure.loadMs.toFixed(0)} ms`);

      // In the real list screen: type into the search box, time until the DOM shows the result.
      for (const cpu of [1, 4]) {
        const listPage = await ctx.newPage();
        await throttle(ctx, listPage, cpu);
        await listPage.goto(server.baseUrl + '/#/');
        await listPage.getByRole('button', { name: '全部' }).click();
        await listPage.locator('main ul li').first().waitFor({ timeout: 60_000 });
        const uiRuns: number[] = [];
        for (let i = 0; i < 5; i++) {
          const q = i % 2 === 0 ? query : '';
          const ms = await listPage.evaluate(async ({ q, plate }) => {
            const input = document.querySelector('main input[type=search]') as HTMLInputElement;
            const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
            const done = () => {
              const items = [...document.querySelectorAll('main ul li')];
              return q ? items.length > 0 && items.every((li) => li.textContent!.includes(q)) && items.some((li) => li.textContent!.includes(plate)) : items.length >= 200;
            };
            return new Promise<number>((ok) => {
              const t0 = performance.now();
              const mo = new MutationObserver(() => {
                if (done()) {
                  mo.disconnect();
                  ok(performance.now() - t0);
                }
              });
              mo.observe(document.querySelector('main')!, { subtree: true, childList: true, characterData: true });
              setter.call(input, q);
              input.dispatchEvent(new Event('input', { bubbles: true }));
            });
          }, { q, plate });
          if (q) uiRuns.push(ms);
        }
        details[`filterUi_cpu${cpu}`] = uiRuns;
        report(`filter 10,000 by plate in the list UI (${cpu}× CPU)`, median(uiRuns), 'ms', '≤ 100 ms', median(uiRuns) <= 100, `keystroke → DOM, runs ${uiRuns.map((x) => x.toFixed(0)).join(', ')}`);
        await listPage.close();
      }
    }

    // 5. 12-megapixel photo: resize + hash through the app's photo pipeline.
    if (!skip.has('photo')) {
      const r = await bench(page, (b, id) => b.photoBench(5, String(id)), draftId);
      details.photo = r;
      const note = `4000×3000 JPEG ${(r.bytes / 1e6).toFixed(1)} MB → ${r.out.width}×${r.out.height} ${(r.out.bytes / 1e3).toFixed(0)} KB; runs ${r.ms.map((x) => x.toFixed(0)).join(', ')}`;
      report('12-MP photo resize + hash, median', median(r.ms), 'ms', '≤ 800 ms', median(r.ms) <= 800, note);
      report('12-MP photo full capture (+store+verify)', median(r.captureMs), 'ms', '—', null);
      const cdp = await throttle(ctx, page, 4);
      const slow = await bench(page, (b) => b.photoBench(3));
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      report('12-MP photo resize + hash (4× CPU), median', median(slow.ms), 'ms', '≤ 800 ms', median(slow.ms) <= 800);
    }

    // 6. A burst of 10 camera photos stored through the capture queue (the next never waits).
    if (!skip.has('burst')) {
      const r = await bench(page, (b, id) => b.captureBurst(10, String(id)), draftId);
      details.captureBurst = r;
      report('burst of 10 12-MP photos stored (capture queue)', r.burstMs, 'ms', '≤ 2000 ms', r.burstMs <= 2000, `${r.stored} stored, ${(r.bytesIn / 1e6).toFixed(1)} MB in; one after another ${r.sequentialMs.toFixed(0)} ms`);
    }
    await ctx.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Lighthouse (mobile preset: simulated slow 4G and 4× CPU), on the first screen of a new tablet,
// served by the product server itself (compression included), as a tablet would get it.

async function lighthouseBench(dist: string): Promise<void> {
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  process.env.E2E_DIST = dist;
  const server = await startServer();
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM_PATH,
    chromeFlags: [...CHROMIUM_ARGS.filter((f) => f !== '--headless'), '--headless=new'],
  });
  try {
    const result = await lighthouse(server.baseUrl + '/', { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] });
    const lhr = result?.lhr;
    if (!lhr) throw new Error('no Lighthouse result');
    const perf = Math.round((lhr.categories.performance?.score ?? 0) * 100);
    const a11y = Math.round((lhr.categories.accessibility?.score ?? 0) * 100);
    const audit = (id: string) => lhr.audits[id]?.displayValue ?? '';
    details.lighthouse = {
      perf,
      a11y,
      fcp: audit('first-contentful-paint'),
      lcp: audit('largest-contentful-paint'),
      tbt: audit('total-blocking-time'),
      cls: audit('cumulative-layout-shift'),
      failedA11y: Object.values(lhr.audits)
        .filter((a) => a.score === 0 && lhr.categories.accessibility?.auditRefs.some((r) => r.id === a.id))
        .map((a) => a.id),
    };
    report('Lighthouse performance (mobile)', perf, '', '≥ 95', perf >= 95, `FCP ${audit('first-contentful-paint')}, LCP ${audit('largest-contentful-paint')}, TBT ${audit('total-blocking-time')}`);
    report('Lighthouse accessibility', a11y, '', '100', a11y === 100);
  } finally {
    chrome.kill();
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------

function serverBenches(): void {
  const dir = resolve(REPO_ROOT, 'tests/bench/server');
  if (!existsSync(dir)) return;
  // run.ts if the server benches have one entry point; otherwise every script but the helpers.
  const files = existsSync(join(dir, 'run.ts'))
    ? ['run.ts']
    : readdirSync(dir)
        .filter((f) => f.endsWith('.ts') && !/^(lib|helpers?|_.*)\.ts$/.test(f) && !f.endsWith('.d.ts'))
        .sort();
  for (const f of files) {
    console.log(`\n— server bench: tests/bench/server/${f}`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { stdio: 'inherit', cwd: REPO_ROOT, env: process.env });
    if (r.status !== 0) console.log(`  (exited with ${r.status})`);
  }
}

async function main(): Promise<void> {
  const dist = distDir();
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no build at ${dist}: run npm run build`);
  mkdirSync(OUT, { recursive: true });
  console.log(`Walkaround benchmarks — ${new Date().toISOString()} — build ${dist}`);
  console.log(`Chromium ${CHROMIUM_PATH}, Node ${process.version}\n`);
  jsSizes(dist);
  if (!skip.has('browser')) {
    await buildBenchBundle();
    await browserBenches(dist);
  }
  if (!skip.has('lighthouse')) {
    try {
      await lighthouseBench(dist);
    } catch (e) {
      report('Lighthouse', null, '', '≥ 95 / 100', null, `failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!skip.has('photosync')) {
    console.log('\n— photo backlog sync in Chromium vs the raw PUT limit: tests/bench/photoSync.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'tests/bench/photoSync.ts')], { stdio: 'inherit', cwd: REPO_ROOT, env: process.env });
    if (r.status !== 0) console.log(`  (exited with ${r.status})`);
  }
  if (!skip.has('livesync')) {
    console.log('\n— live sync, 10 tablets in Chromium: tests/bench/liveSync.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'tests/bench/liveSync.ts')], { stdio: 'inherit', cwd: REPO_ROOT, env: process.env });
    if (r.status !== 0) console.log(`  (exited with ${r.status})`);
  }
  if (!skip.has('vehicles')) {
    console.log('\n— vehicle index (issue 11): 50,000 vehicles / 200,000 visits, first sync, size, plate-prefix lookup at 4× CPU: tests/bench/vehicleIndex.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'tests/bench/vehicleIndex.ts')], { stdio: 'inherit', cwd: REPO_ROOT, env: process.env });
    if (r.status !== 0) console.log(`  (exited with ${r.status})`);
  }
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ at: new Date().toISOString(), figures, details }, null, 2));
  console.log(`\nDetails: ${join(OUT, 'results.json')}`);
  if (!skip.has('server')) serverBenches();
}

await main();
