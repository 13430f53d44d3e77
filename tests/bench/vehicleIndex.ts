/**
 * Vehicle index bench (issue 11): a dealership with VEHICLES vehicles and VISITS signed visits
 * (default 50,000 / 200,000), made by the real trigger (migrations/0005) from intake rows inserted
 * in bulk (minimal intake data: vehicle, customer, odometer, signedAt). Then, in real Chromium on
 * the product server's origin, through the app's own code: a new tablet's first sync of the index
 * over loopback, the index's size on the tablet, and plate-prefix lookups at 4× CPU throttling.
 * PGlite; PostgreSQL too when BENCH_DATABASE_URL is set. Prints figures, asserts nothing.
 * `node --import tsx tests/bench/vehicleIndex.ts` after `npm run build` (npm run bench runs it;
 * BENCH_SKIP=vehicles skips it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { bundleEntry } from './bundleEntry';
import pg from 'pg';
import { REPO_ROOT, distDir, launchBrowser, tabletContext } from '../e2e/harness';
import { buildApp } from '../../src/server/app';
import type { VehicleBenchApi } from './browser/vehicleIndexEntry';

const VEHICLES = Number(process.env.BENCH_VEHICLES ?? 50_000);
const VISITS = Number(process.env.BENCH_VISITS ?? 200_000);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 60);
const OUT = resolve(REPO_ROOT, '.tmp/bench/vehicles');
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

const bundle = (): Promise<string> => bundleEntry('tests/bench/browser/vehicleIndexEntry.ts', OUT, 'vehicles.js');

/** Visit g (1..VISITS) is of vehicle (g-1) % VEHICLES: each car comes VISITS/VEHICLES times. */
const SEED_SQL = `INSERT INTO intakes (dealership_id, id, data, section_revs, status, content_hash, seq,
    created_by_device, created_by_staff, updated_by_device, updated_by_staff)
  SELECT $1, gen_random_uuid(),
    jsonb_build_object(
      'vehicle', jsonb_build_object('plate', '沪' || substr('${LETTERS}', (x.v % 24) + 1, 1) || lpad((x.v / 24)::text, 5, '0'),
        'plateOther', false, 'vin', 'LSV' || lpad(x.v::text, 14, '0'), 'make', '大众', 'model', '帕萨特', 'year', 2015 + x.v % 10, 'colour', '白'),
      'customer', jsonb_build_object('name', '客户' || x.v, 'salutation', '', 'mobile', '139' || lpad(x.v::text, 8, '0')),
      'visit', jsonb_build_object('odometerKm', 10000 + x.k * 7000 + x.v % 5000),
      'status', 'signed',
      'signedAt', to_char(timestamp '2024-01-01' + g * interval '3 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    '{}'::jsonb, 'signed', md5(g::text) || md5(g::text || 'x'), g, $2, $3, $2, $3
  FROM generate_series($4::bigint, $5::bigint) g, LATERAL (SELECT ((g - 1) % $6)::int AS v, ((g - 1) / $6)::int AS k) x`;

async function seed(app: Awaited<ReturnType<typeof buildApp>>): Promise<{ ms: number }> {
  const q = app.wa.database.query.bind(app.wa.database);
  const [d] = await q<{ id: string; staff: string }>(`SELECT d.id, s.id AS staff FROM dealerships d JOIN staff s ON s.dealership_id = d.id WHERE d.slug = 'demo' AND s.username = 'advisor'`, []);
  if (!d) throw new Error('no demo dealership');
  const t0 = performance.now();
  const step = 20_000;
  for (let from = 1; from <= VISITS; from += step) {
    await q(SEED_SQL, [d.id, randomUUID(), d.staff, from, Math.min(VISITS, from + step - 1), VEHICLES]);
  }
  await q(`UPDATE dealerships SET change_seq = $2 WHERE id = $1`, [d.id, VISITS]);
  const [c] = await q<{ n: string; v: string }>(`SELECT count(*)::text AS n, sum(visit_count)::text AS v FROM vehicles WHERE dealership_id = $1`, [d.id]);
  console.log(`    seeded ${VISITS.toLocaleString('en')} signed visits → ${Number(c?.n).toLocaleString('en')} vehicles (${Number(c?.v).toLocaleString('en')} visits counted) in ${((performance.now() - t0) / 1000).toFixed(1)} s (trigger per row)`);
  return { ms: performance.now() - t0 };
}

async function pgSchema(url: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const sql = async (text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await sql(`CREATE SCHEMA ${name}`);
  return { name, drop: () => sql(`DROP SCHEMA ${name} CASCADE`) };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

async function one(kind: 'pglite' | 'postgres', code: string): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? '';
  const schema = kind === 'postgres' ? await pgSchema(url) : null;
  const tmp = mkdtempSync(join(tmpdir(), 'walkaround-bench-vehicles-'));
  const app = await buildApp({
    ...(schema ? { databaseUrl: url, pgSchema: schema.name } : { dataDir: join(tmp, 'pgdata') }),
    blobDir: join(tmp, 'blobs'),
    staticDir: distDir(),
    logger: false,
    announce: false,
    rateLimit: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
  console.log(`\n  vehicle index → ${label}: ${VEHICLES.toLocaleString('en')} vehicles, ${VISITS.toLocaleString('en')} visits`);
  const browser = await launchBrowser();
  try {
    await seed(app);
    const ctx = await tabletContext(browser, 'landscape');
    const page = await ctx.newPage();
    await page.goto(`${base}/api/health`); // the server's origin, without the app (its own sync would race the bench)
    await page.addScriptTag({ content: code, type: 'module' });
    await page.waitForFunction(() => '__vehicleBench' in window);
    const call = <R>(fn: (b: VehicleBenchApi, arg: unknown) => Promise<R>, arg?: unknown): Promise<R> =>
      page.evaluate(([src, a]) => new Function('b', 'a', `return (${src})(b, a)`)((window as unknown as { __vehicleBench: unknown }).__vehicleBench, a), [fn.toString(), arg] as const) as Promise<R>;
    await call((b) => b.signIn({ dealership: 'demo', username: 'advisor', password: 'demo-advisor-1' }));
    const s = await call((b) => b.firstSync());
    console.log(`    first sync of the index (new tablet, loopback)   ${(s.ms / 1000).toFixed(2)} s   target ≤ 10 s   ${s.rows.toLocaleString('en')} rows, ${s.requests} requests, ${(s.wireBytes / 1024 / 1024).toFixed(1)} MB on the wire (compressed)`);
    const z = await call((b, u) => b.size(Number(u)), s.usageBefore);
    console.log(`    index size on the tablet (stored chunks)         ${(z.storedBytes / 1024 / 1024).toFixed(2)} MB   target ≤ 5 MB   (storage estimate growth ${(z.usageDelta / 1024 / 1024).toFixed(2)} MB; the same rows as JSON ${(z.jsonBytes / 1024 / 1024).toFixed(2)} MB; ${z.rows.toLocaleString('en')} vehicles in ${z.chunks} chunks)`);
    console.log(`    reading the index into memory (once, 1× CPU)     ${z.loadMs.toFixed(0)} ms`);
    // Prefixes as typed: province + letter + 1-3 digits, spread over the plates that exist.
    const prefixes = Array.from({ length: LOOKUPS }, (_, i) => {
      const v = Math.floor((i * 7919) % VEHICLES);
      const plate = `沪${LETTERS[v % 24]}${String(Math.floor(v / 24)).padStart(5, '0')}`;
      return plate.slice(0, 3 + (i % 3));
    });
    const cdp = await ctx.newCDPSession(page);
    const warm = await call((b, p) => b.lookups(p as string[]), prefixes.slice(0, 5));
    void warm;
    const plain = await call((b, p) => b.lookups(p as string[]), prefixes);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const slow = await call((b, p) => b.lookups(p as string[]), prefixes);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    console.log(`    plate-prefix lookup, 4× CPU (${LOOKUPS} prefixes)   p50 ${pct(slow.ms, 50).toFixed(1)} ms, p95 ${pct(slow.ms, 95).toFixed(1)} ms, max ${Math.max(...slow.ms).toFixed(1)} ms   target ≤ 50 ms   (no throttling p50 ${pct(plain.ms, 50).toFixed(1)} / p95 ${pct(plain.ms, 95).toFixed(1)} ms; up to 8 matches, ${Math.min(...slow.found)}–${Math.max(...slow.found)} found)`);
  } finally {
    await browser.close();
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
    await schema?.drop();
  }
}

const code = await bundle();
// BENCH_VEHICLES_PGLITE=0 leaves the embedded database out (its bulk seeding of 200,000 visits
// through the trigger takes minutes on this VM).
if (process.env.BENCH_VEHICLES_PGLITE !== '0') await one('pglite', code);
if (process.env.BENCH_DATABASE_URL) await one('postgres', code);
