/**
 * Photo backlog bench (issue 12): a tablet back online with INTAKES × PER_INTAKE photos of
 * PHOTO_BYTES each, in real Chromium against the product server (PGlite; PostgreSQL too when
 * BENCH_DATABASE_URL is set), through the app's own store and sync engine; and in the same run
 * the raw limit: the same bytes PUT from the page to a bare Node HTTP server on loopback with
 * the same concurrency. Prints MB/s, intakes/s, requests made and the ratio to the raw limit;
 * asserts nothing. `node --import tsx tests/bench/photoSync.ts` after `npm run build` (or
 * `npm run bench`, which runs it too). BENCH_ROUNDS rounds per backend (default 3, alternating
 * between backends, each round on a fresh server and tablet store), medians printed with every
 * round's ratio: one round swings by ±20% on this 2-core VM. Files are removed at exit, so a
 * second bench started within ~30 s of the first pays for its deletions (see removeAtExit).
 *
 * BENCH_RECORDS_FIRST=1: the records pushed and pulled before the timed run, so it times the
 * photos' part of a sync run alone (for telling apart what the push and pull beside it cost).
 *
 * BENCH_PROFILE=1: CPU-profile the page (CDP Profiler) and the server (node:inspector, it runs in
 * this process) during the sync run; prints the top self-time functions of each and writes the
 * .cpuprofile files to .tmp/bench/photo/ (open them in Chrome DevTools).
 */
import '../../src/server/threadpool'; // the server runs in this process: the same pool as main.ts gives it
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpuDuring, formatCpu } from './cpuTime';
import { summarizeProfile, type CpuProfile } from './profileSummary';
import { bundleEntry } from './bundleEntry';
import pg from 'pg';
import { REPO_ROOT, VIEWPORTS, launchBrowser, removeAtExit, startServer, tabletContext } from '../e2e/harness';
import { writeBlob, writeBlobs } from '../../src/server/blobs/store';
import { readBlobBatch } from '../../src/server/blobs/batchReader';
import { MAX_BATCH_BYTES } from '../../src/shared/blobBatch';
import { launchBareChromium, type BareBrowser } from './bareChromium';
import type { PhotoBenchApi } from './browser/photoSyncEntry';
import { SEND_BYTES } from '../../src/sync/uploadPhotos';

const INTAKES = Number(process.env.BENCH_INTAKES ?? 50);
const PER_INTAKE = Number(process.env.BENCH_PHOTOS_PER_INTAKE ?? 10);
const PHOTO_BYTES = Number(process.env.BENCH_PHOTO_BYTES ?? 200 * 1024);
/** Rounds per backend (alternating), median printed: one round swings ±20% on this 2-core VM. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Pause before each timed phase (see settle). */
const QUIET_MS = Number(process.env.BENCH_QUIET_MS ?? 2000);
const OUT = resolve(REPO_ROOT, '.tmp/bench/photo');
const PROFILE = !!process.env.BENCH_PROFILE;
/** BENCH_PHOTO_DRIVER=playwright: the earlier driver (for comparing with figures measured before 12-01 12:00). */
const DRIVER = process.env.BENCH_PHOTO_DRIVER === 'playwright' ? 'playwright' : 'bare';

/** Playwright behind the same small interface (its network tracking on, as in every Playwright page). */
async function playwrightAsBare(): Promise<BareBrowser> {
  const browser = await launchBrowser();
  return {
    async newPage() {
      const ctx = await tabletContext(browser, 'landscape');
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      return {
        send: async <T>(method: string, params?: Record<string, unknown>) => (await cdp.send(method as 'Profiler.enable', params as undefined)) as T,
        evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
        goto: async (url: string) => void (await page.goto(url)),
      };
    },
    close: () => browser.close(),
  };
}

const bundle = (): Promise<string> => bundleEntry('tests/bench/browser/photoSyncEntry.ts', OUT, 'photo.js');

/**
 * A bare HTTP sink: PUT /put consumes the body and answers 201 (CORS, preflight cached). PUT
 * /durable does the least any server that keeps photos must do, and nothing else: SHA-256 of the
 * bytes and the product's own durable write (writeBlob: temp file, fsync, rename, directory
 * fsync), no framing, no session, no database. The engine against it shows how much of the gap
 * to the raw limit is that work, which on this 2-core VM shares the CPU with the tablet's browser.
 */
function rawServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'walkaround-bench-durable-'));
  removeAtExit(dir);
  const srv = http.createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'PUT');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-max-age', '600');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.url === '/ingest') {
      // The product's own ingest of a batch body, without Fastify, session or database: read and
      // hashed as it arrives (readBlobBatch), written durably in phases (writeBlobs).
      void (async () => {
        const frame = await readBlobBatch(req, MAX_BATCH_BYTES);
        if (!frame.ok) return void res.writeHead(frame.status).end(frame.reason);
        await writeBlobs(dir, frame.blobs.map((b) => ({ sha256: b.actualSha256, parts: b.parts })));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      })().catch((e: unknown) => res.writeHead(500).end(String(e)));
      return;
    }
    const durable = req.url === '/durable';
    const hash = durable ? createHash('sha256') : null;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      if (!hash) return;
      hash.update(c);
      chunks.push(c);
    });
    req.on('end', () => {
      const done = () => res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      if (!hash) return done();
      writeBlob(dir, hash.digest('hex'), Buffer.concat(chunks)).then(done, (e: unknown) => res.writeHead(500).end(String(e)));
    });
  });
  return new Promise((ok) =>
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      ok({ url: `http://127.0.0.1:${port}/put`, close: () => new Promise((done) => srv.close(() => done())) });
    }),
  );
}

/**
 * Write back every dirty page before a timed phase (sync(1)). Chromium writes IndexedDB without
 * fsync, so the kernel wrote the capture's ~100 MB (and a phase's files) back during the NEXT
 * phase, on the same two cores: the raw limit of one round swung between 101 and 173 MB/s. On a
 * tablet the backlog was captured over a morning; its write-back is long done when it syncs.
 */
const settleSync = (): void => void execFileSync('sync');
/**
 * Before each timed phase: dirty pages written back (above) and a pause of QUIET_MS, so that what
 * the previous phase left running (Chromium compacting IndexedDB after the capture's 100 MB, the
 * database's background writers, the server's garbage collection) is not counted in the next.
 * On a tablet the backlog was captured over a morning. Without it, phases run in the same round
 * disagreed by up to 40% (the hashing sink once beat the bare one).
 */
async function settle(): Promise<void> {
  settleSync();
  await new Promise((r) => setTimeout(r, QUIET_MS));
  settleSync();
}

const mb = (bytes: number) => bytes / (1024 * 1024);

/** A fresh schema on BENCH_DATABASE_URL, dropped afterwards. */
async function pgSchema(url: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const sql = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await sql(`CREATE SCHEMA ${name}`);
  return { name, drop: () => sql(`DROP SCHEMA ${name} CASCADE`) };
}

interface Round {
  appRate: number;
  photoRate: number;
  rawRate: number;
  rawBatchedRate: number;
  /** The same PUTs to a sink that hashes and durably writes each photo (see rawServer). */
  durableRate: number;
  /** The engine's bodies read from IndexedDB in the timed window, to the bare sink (the tablet's part alone). */
  fromStoreRate: number;
  /** The same, to a sink running the product's own ingest (readBlobBatch + writeBlobs) and nothing else. */
  ingestRate: number;
  ms: number;
  photosMs: number;
  requests: number;
  /** Printed for the round whose sync-run ratio is the median. */
  detail: string[];
}

/** Schemas dropped at the end of the bench, not between rounds (see removeAtExit in the harness). */
const dropLater: (() => Promise<void>)[] = [];

async function one(kind: 'pglite' | 'postgres', code: string, rawUrl: string, round: number): Promise<Round> {
  const url = process.env.BENCH_DATABASE_URL ?? '';
  const schema = kind === 'postgres' ? await pgSchema(url) : null;
  if (schema) dropLater.push(schema.drop);
  // Files removed at exit, not between the runs (see removeAtExit in the harness).
  const server = await startServer(schema ? { databaseUrl: url, extra: { pgSchema: schema.name }, removeAtExit: true } : { removeAtExit: true });
  // A bare DevTools pipe, not Playwright: see bareChromium.ts (Playwright's network tracking copies every body into JSON).
  const browser = DRIVER === 'playwright' ? await playwrightAsBare() : await launchBareChromium({ removeProfileAtExit: true });
  try {
    const page = await browser.newPage(VIEWPORTS.landscape);
    await page.goto(server.baseUrl + '/api/health'); // the server's origin, without the app (its own sync would race the bench)
    await page.evaluate(`(() => { const s = document.createElement('script'); s.type = 'module'; s.textContent = ${JSON.stringify(code)}; document.head.append(s); })()`);
    for (let i = 0; !(await page.evaluate<boolean>(`'__photoBench' in window`)); i++) {
      if (i > 200) throw new Error('bench bundle did not load');
      await new Promise((r) => setTimeout(r, 50));
    }
    const call = <R>(fn: (b: PhotoBenchApi, arg: unknown) => Promise<R>, arg?: unknown): Promise<R> =>
      page.evaluate<R>(`(${fn.toString()})(window.__photoBench, ${JSON.stringify(arg ?? null)})`);
    const demo = server.demo;
    if (!demo) throw new Error('no demo credentials');
    await call((b, c) => b.signIn(c as { dealership: string; username: string; password: string }), { dealership: demo.dealership ?? 'demo', username: demo.username, password: demo.password });
    const cap = await call((b, a) => b.capture(...(a as [number, number, number])), [INTAKES, PER_INTAKE, PHOTO_BYTES]);
    let stopProfiles: (() => Promise<void>) | null = null;
    if (PROFILE) {
      await page.send('Profiler.enable');
      await page.send('Profiler.setSamplingInterval', { interval: 200 });
      await page.send('Profiler.start');
      const node = new Session();
      node.connect();
      await node.post('Profiler.enable');
      await node.post('Profiler.setSamplingInterval', { interval: 200 });
      await node.post('Profiler.start');
      stopProfiles = async () => {
        const pageProfile = (await page.send<{ profile: CpuProfile }>('Profiler.stop')).profile;
        const serverProfile = (await node.post('Profiler.stop')).profile as unknown as CpuProfile;
        node.disconnect();
        mkdirSync(OUT, { recursive: true });
        writeFileSync(resolve(OUT, `page-${kind}.cpuprofile`), JSON.stringify(pageProfile));
        writeFileSync(resolve(OUT, `server-${kind}.cpuprofile`), JSON.stringify(serverProfile));
        console.log(`\n    page CPU profile during the sync run (self time; .tmp/bench/photo/page-${kind}.cpuprofile):\n${summarizeProfile(pageProfile)}`);
        console.log(`    server process CPU profile (bench's own process: server + driver; server-${kind}.cpuprofile):\n${summarizeProfile(serverProfile)}`);
      };
    }
    if (process.env.BENCH_RECORDS_FIRST) await call((b) => b.recordsFirst());
    await settle();
    const t0 = performance.now();
    const { value: s, cpu: syncCpu } = await cpuDuring(browser.pid ?? null, () => call((b) => b.sync()));
    const syncWall = performance.now() - t0;
    await stopProfiles?.();
    await settle();
    const t1 = performance.now();
    const { value: r, cpu: rawCpu } = await cpuDuring(browser.pid ?? null, () => call((b, u) => b.raw(String(u)), rawUrl));
    const rawWall = performance.now() - t1;
    await settle();
    const rb = await call((b, u) => b.raw(String(u), true), rawUrl);
    await settle();
    const fromStore = await call((b, u) => b.rawFromStore(String(u)), rawUrl);
    const fromStoreRate = mb(fromStore.bytes) / (fromStore.ms / 1000);
    await settle();
    const ingest = await call((b, u) => b.rawFromStore(String(u)), rawUrl.replace(/\/put$/, '/ingest'));
    const ingestRate = mb(ingest.bytes) / (ingest.ms / 1000);
    await settle();
    const durable = await call((b, u) => b.raw(String(u)), rawUrl.replace(/\/put$/, '/durable'));
    const durableRate = mb(durable.bytes) / (durable.ms / 1000);
    const rawBatchedRate = mb(rb.bytes) / (rb.ms / 1000);
    const total = mb(cap.bytes);
    const appRate = total / (s.ms / 1000);
    const photoRate = total / (s.photosMs / 1000);
    const rawRate = mb(r.bytes) / (r.ms / 1000);
    const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    const ratio = (x: number) => `${((x / rawRate) * 100).toFixed(0)}%`;
    console.log(
      `    ${label.padEnd(10)} round ${round}: capture ${(cap.ms / 1000).toFixed(1)} s (${(cap.ms / cap.photos).toFixed(1)} ms/photo); sync run ${(s.ms / 1000).toFixed(2)} s ${appRate.toFixed(1)} MB/s, ${s.requests} requests (uploaded ${s.uploaded}, left ${s.left}); photo phase ${(s.photosMs / 1000).toFixed(2)} s ${photoRate.toFixed(1)} MB/s; raw limit ${rawRate.toFixed(1)} MB/s (hashed + durable ${durableRate.toFixed(1)}); ratio ${ratio(appRate)} / ${ratio(photoRate)}`,
    );
    const tl = s.timeline;
    const detail = [
      `    photo phase (before it ${s.beforeMs.toFixed(0)} ms, after it ${s.afterMs.toFixed(0)} ms): an upload in flight ${(tl.uploadBusyShare * 100).toFixed(0)}% of the time, ${tl.meanInFlight.toFixed(1)} in flight on average; ${Object.entries(tl.byPath).map(([k, v]) => `${k} ${v.n}× ${v.meanMs.toFixed(0)} ms`).join(', ')}`,
      `    raw limit: ${r.requests} PUTs, ${r.concurrency} in flight, ${(r.ms / 1000).toFixed(2)} s; the engine's request pattern (${rb.requests} bodies of ≤ ${mb(SEND_BYTES).toFixed(0)} MB) to bare node:http ${rawBatchedRate.toFixed(1)} MB/s`,
      `    CPU during the sync run: ${formatCpu(syncCpu, syncWall)}`,
      `    CPU during the raw limit: ${formatCpu(rawCpu, rawWall)}`,
    ];
    if (process.env.BENCH_SPANS) detail.push(`    requests (ms from the run's start; photos ${s.upStart.toFixed(0)}–${s.upEnd.toFixed(0)}):\n${s.spans.map((x) => `      ${x}`).join('\n')}`);
    return { appRate, photoRate, rawRate, rawBatchedRate, durableRate, fromStoreRate, ingestRate, ms: s.ms, photosMs: s.photosMs, requests: s.requests, detail };
  } finally {
    await browser.close();
    await server.close();
  }
}

const median = (xs: number[]): number => {
  const a = [...xs].sort((x, y) => x - y);
  const m = Math.floor(a.length / 2);
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
};

function summary(kind: 'pglite' | 'postgres', rounds: Round[]): void {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  const total = mb(INTAKES * PER_INTAKE * PHOTO_BYTES);
  const m = (f: (r: Round) => number) => median(rounds.map(f));
  console.log(`\n  photo backlog → ${label} (driver: ${DRIVER === 'bare' ? 'bare DevTools pipe' : 'Playwright, network tracking on'}): ${INTAKES} intakes × ${PER_INTAKE} photos × ${(PHOTO_BYTES / 1024).toFixed(0)} KB = ${total.toFixed(1)} MB, median of ${rounds.length} rounds`);
  console.log(`    sync run (push + photos + pull)   ${(m((r) => r.ms) / 1000).toFixed(2)} s  ${m((r) => r.appRate).toFixed(1)} MB/s  ${(INTAKES / (m((r) => r.ms) / 1000)).toFixed(1)} intakes/s  ${m((r) => r.requests)} requests`);
  console.log(`    photo phase alone                 ${(m((r) => r.photosMs) / 1000).toFixed(2)} s  ${m((r) => r.photoRate).toFixed(1)} MB/s`);
  console.log(`    raw limit (same bytes, bare node:http, same concurrency)  ${m((r) => r.rawRate).toFixed(1)} MB/s  (engine's request pattern ${m((r) => r.rawBatchedRate).toFixed(1)} MB/s)`);
  console.log(`    the tablet's part alone: the engine's bodies read from IndexedDB in the timed window, to the bare sink  ${m((r) => r.fromStoreRate).toFixed(1)} MB/s`);
  console.log(`    the same bodies to a sink running only the product's ingest (readBlobBatch + writeBlobs: hash, durable writes; no Fastify, session or database)  ${m((r) => r.ingestRate).toFixed(1)} MB/s; photo phase against it ${(m((r) => r.photoRate / r.ingestRate) * 100).toFixed(0)}%`);
  console.log(`    the same PUTs to a sink that only hashes and durably writes each photo (the product's writeBlob)  ${m((r) => r.durableRate).toFixed(1)} MB/s; photo phase against it ${(m((r) => r.photoRate / r.durableRate) * 100).toFixed(0)}%`);
  console.log(`    ratio to the raw limit of the same round: sync run ${(m((r) => r.appRate / r.rawRate) * 100).toFixed(0)}%, photo phase ${(m((r) => r.photoRate / r.rawRate) * 100).toFixed(0)}%  (rounds: ${rounds.map((r) => `${((r.appRate / r.rawRate) * 100).toFixed(0)}/${((r.photoRate / r.rawRate) * 100).toFixed(0)}%`).join(', ')})`);
  const byRatio = [...rounds].sort((a, b) => a.appRate / a.rawRate - b.appRate / b.rawRate);
  console.log(`    the median round:`);
  for (const line of byRatio[Math.floor((byRatio.length - 1) / 2)]!.detail) console.log(line);
}

const code = await bundle();
const raw = await rawServer();
const kinds: ('pglite' | 'postgres')[] = process.env.BENCH_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
const results = new Map(kinds.map((k) => [k, [] as Round[]]));
try {
  // Alternating rounds: a drift in the machine's load falls on both backends alike.
  console.log(`\n  photo backlog rounds (${ROUNDS} per backend, alternating; ratio = sync run / photo phase against the raw limit of the same round):`);
  for (let round = 1; round <= ROUNDS; round++) for (const k of kinds) results.get(k)!.push(await one(k, code, raw.url, round));
  for (const k of kinds) summary(k, results.get(k)!);
} finally {
  await raw.close();
  for (const drop of dropLater) await drop();
}
