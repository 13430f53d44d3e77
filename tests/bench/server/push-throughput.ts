/**
 * Push throughput (mutations/s) over loopback: one tablet pushing batches of 100 (creates, then
 * section patches), and 4 tablets pushing at once. Run: node --import tsx tests/bench/server/push-throughput.ts
 */
import { benchBackends, line, startServerProcess, tabletTransport } from './lib';
import { demo, loginAs } from '../../integration/helpers/client';
import { draft, mCreate, mPatch } from '../../integration/helpers/fixtures';
import type { Mutation } from '../../../src/shared/protocol';

const INTAKES = 600;
const BATCH = 100;

function workload(n: number): Mutation[][] {
  const intakes = Array.from({ length: n }, () => draft());
  const muts: Mutation[] = [
    ...intakes.map(mCreate),
    ...intakes.map((i) => mPatch(i.id, 'customer', { name: '陈先生', salutation: '先生', mobile: '13800138000' }, 0)),
    ...intakes.map((i) => mPatch(i.id, 'complaint', { ...i.complaint, symptom: '冷车启动异响' }, 0)),
  ];
  const out: Mutation[][] = [];
  for (let i = 0; i < muts.length; i += BATCH) out.push(muts.slice(i, i + BATCH));
  return out;
}

for (const backend of benchBackends()) {
  const s = await startServerProcess(backend);
  try {
    const tab = await loginAs(s.t, demo.advisor, 'bench');
    await tab.push(workload(5).flat()); // warm-up
    const batches = workload(INTAKES);
    let t0 = performance.now();
    for (const b of batches) await tab.push(b);
    let secs = (performance.now() - t0) / 1000;
    const n = batches.flat().length;
    line(backend, `push, 1 tablet, batches of ${BATCH} (${n} mutations)`, `${Math.round(n / secs)} mutations/s`);

    const tabs = await Promise.all([1, 2, 3, 4].map((i) => loginAs(tabletTransport(s.baseUrl), demo.advisor, `bench ${i}`)));
    const work = tabs.map(() => workload(INTAKES / 4));
    t0 = performance.now();
    await Promise.all(tabs.map(async (tb, i) => {
      for (const b of work[i] ?? []) await tb.push(b);
    }));
    secs = (performance.now() - t0) / 1000;
    const m = work.flat(2).length;
    line(backend, `push, 4 tablets at once (${m} mutations)`, `${Math.round(m / secs)} mutations/s`);
  } finally {
    await s.close();
  }
}
