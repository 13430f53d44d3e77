/**
 * Push and pull latency with 50 simulated tablets of one dealership (issue 3 target on
 * PostgreSQL over loopback: p99 ≤ 100 ms). The server runs in its own process, as in production;
 * each simulated tablet has its own kept-alive connection and asks for br/gzip like a browser.
 * A sync = push one new intake with two section edits, then pull to the head.
 *
 * Three loads, one after the other on the same server:
 *  1. first burst after the server started (cold: no pooled database connections yet, nothing
 *     compiled or cached): all 50 tablets sync at the same moment, once. Printed as its worst case.
 *  2. at once (the target): 10 rounds; in each, all 50 tablets start a sync at the same moment,
 *     as when the lane's Wi-Fi comes back; the next round starts when all have finished.
 *  3. saturated: each tablet syncs 10 times back to back, never pausing (about 20 syncs per
 *     tablet per second, far beyond real use): the server's throughput; latency there is queueing.
 * Also printed: the time the server itself spent on each request (Fastify's elapsedTime), and the
 * CPU used by the server process, PostgreSQL and the simulated tablets: all three share this
 * machine's cores, so the tablets' own work (building pushes, decompressing pulls) slows the server.
 *
 * Run: node --import tsx tests/bench/server/tablets-latency.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { benchBackends, line, ms, percentile, startServerProcess, tabletTransport, type PullSummary, type RemoteServer } from './lib';
import { demo, loginAs, type Tablet } from '../../integration/helpers/client';
import { draft, mCreate, mPatch } from '../../integration/helpers/fixtures';

const TABLETS = 50;
const ROUNDS = 10;

/** CPU time (ms) of all PostgreSQL server processes on this machine (0 where there are none). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks * 10; // USER_HZ = 100
}

interface Times {
  push: number[];
  pull: number[];
}

/** Each tablet's cursor and how many intakes it has received. */
type Seen = Map<Tablet, { cursor: number; intakes: number }>;

async function pullToHead(tab: Tablet, seen: Seen, into: number[] | null): Promise<void> {
  const mine = seen.get(tab) ?? { cursor: 0, intakes: 0 };
  seen.set(tab, mine);
  for (;;) {
    const t = performance.now();
    const r = await tab.req<PullSummary>('GET', `/api/sync/pull?since=${mine.cursor}&limit=200`);
    if (r.status !== 200) throw new Error(`pull ${r.status}`);
    into?.push(performance.now() - t);
    mine.cursor = r.body.cursor;
    mine.intakes += r.body.changes;
    if (!r.body.more) break;
  }
}

/** One sync of one tablet: push a new intake and two edits, then pull to the head. */
async function sync(tab: Tablet, seen: Seen, round: number, into: Times): Promise<void> {
  const it = draft();
  const t = performance.now();
  await tab.push([mCreate(it), mPatch(it.id, 'customer', { name: '客户', salutation: '', mobile: '' }, 0), mPatch(it.id, 'visit', { ...it.visit, odometerKm: 1000 + round }, 0)]);
  into.push.push(performance.now() - t);
  await pullToHead(tab, seen, into.pull);
}

const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
const p50p99 = (a: number[]) => {
  const s = sorted(a);
  return `${ms(percentile(s, 50))} / ${ms(percentile(s, 99))}`;
};

async function report(backend: string, label: string, s: RemoteServer, times: Times, cpu0: { server: number; pg: number; me: NodeJS.CpuUsage }, wall: number): Promise<void> {
  const server = (await s.cpuMs()) - cpu0.server;
  const pg = postgresCpuMs() - cpu0.pg;
  const me = process.cpuUsage(cpu0.me);
  const st = await s.serverTimes();
  line(backend, `${label}: push p50 / p99`, p50p99(times.push));
  line(backend, `${label}: pull p50 / p99`, p50p99(times.pull));
  line(backend, `${label}: server-side push / pull p99`, `${ms(percentile(sorted(st['/api/sync/push'] ?? []), 99))} / ${ms(percentile(sorted(st['/api/sync/pull'] ?? []), 99))}`);
  const syncs = times.push.length;
  line(backend, `${label}: ${syncs} syncs in`, `${(wall / 1000).toFixed(2)} s (${Math.round(syncs / (wall / 1000))} syncs/s)`);
  line(backend, `${label}: CPU server / PostgreSQL / tablets`, `${(server / 1000).toFixed(2)} / ${(pg / 1000).toFixed(2)} / ${((me.user + me.system) / 1e6).toFixed(2)} s`);
}

for (const backend of benchBackends()) {
  const s = await startServerProcess(backend);
  try {
    const tabs: Tablet[] = [];
    for (let i = 0; i < TABLETS; i++) tabs.push(await loginAs(tabletTransport(s.baseUrl, { summarisePulls: true }), demo.advisor, `tablet ${i}`));
    const seen: Seen = new Map();

    // 1. Cold: the first burst after start.
    await s.serverTimes();
    const cold: Times = { push: [], pull: [] };
    await Promise.all(tabs.map((tab) => sync(tab, seen, 0, cold)));
    await s.serverTimes();
    line(backend, `first burst after start (cold): push / pull max`, `${ms(Math.max(...cold.push))} / ${ms(Math.max(...cold.pull))}`);

    // 2. At once, round after round.
    let cpu0 = { server: await s.cpuMs(), pg: postgresCpuMs(), me: process.cpuUsage() };
    let t0 = performance.now();
    const burst: Times = { push: [], pull: [] };
    for (let r = 1; r <= ROUNDS; r++) await Promise.all(tabs.map((tab) => sync(tab, seen, r, burst)));
    await report(backend, `${TABLETS} at once ×${ROUNDS}`, s, burst, cpu0, performance.now() - t0);

    // 3. Saturated: back to back.
    cpu0 = { server: await s.cpuMs(), pg: postgresCpuMs(), me: process.cpuUsage() };
    t0 = performance.now();
    const sat: Times = { push: [], pull: [] };
    await Promise.all(
      tabs.map(async (tab) => {
        for (let r = 1; r <= ROUNDS; r++) await sync(tab, seen, ROUNDS + r, sat);
      }),
    );
    await report(backend, `${TABLETS} back to back ×${ROUNDS}`, s, sat, cpu0, performance.now() - t0);

    // Every tablet ends up with every intake exactly once (each was written in one push).
    const total = TABLETS * (1 + 2 * ROUNDS);
    for (const tab of tabs) {
      await pullToHead(tab, seen, null);
      const got = seen.get(tab)?.intakes;
      if (got !== total) throw new Error(`a tablet received ${got} intakes, not ${total}`);
    }
  } finally {
    await s.close();
  }
}
