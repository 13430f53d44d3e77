/**
 * Push and pull latency (p50/p99) with 50 simulated tablets at once: each tablet does 10 rounds
 * of push (a new intake + 2 section patches) and pull from its cursor.
 * Run: node --import tsx tests/bench/server/tablets-latency.ts
 */
import { benchBackends, line, ms, percentile, startBenchServer } from './lib';
import { demo, loginAs } from '../../integration/helpers/client';
import { draft, mCreate, mPatch } from '../../integration/helpers/fixtures';

const TABLETS = 50;
const ROUNDS = 10;

for (const backend of benchBackends()) {
  const s = await startBenchServer(backend);
  try {
    const tabs = [];
    for (let i = 0; i < TABLETS; i++) tabs.push(await loginAs(s.t, demo.advisor, `tablet ${i}`));
    const push: number[] = [];
    const pull: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      tabs.map(async (tab) => {
        let cursor = 0;
        for (let r = 0; r < ROUNDS; r++) {
          const it = draft();
          let t = performance.now();
          await tab.push([mCreate(it), mPatch(it.id, 'customer', { name: '客户', salutation: '', mobile: '' }, 0), mPatch(it.id, 'visit', { ...it.visit, odometerKm: 1000 + r }, 0)]);
          push.push(performance.now() - t);
          t = performance.now();
          for (;;) {
            const res = await tab.pull(cursor, 200);
            cursor = res.cursor;
            if (!res.more) break;
          }
          pull.push(performance.now() - t);
        }
      }),
    );
    const total = (performance.now() - t0) / 1000;
    push.sort((a, b) => a - b);
    pull.sort((a, b) => a - b);
    line(backend, `${TABLETS} tablets × ${ROUNDS} rounds: push p50 / p99`, `${ms(percentile(push, 50))} / ${ms(percentile(push, 99))}`);
    line(backend, `${TABLETS} tablets × ${ROUNDS} rounds: pull (to head) p50 / p99`, `${ms(percentile(pull, 50))} / ${ms(percentile(pull, 99))}`);
    line(backend, `${TABLETS} tablets × ${ROUNDS} rounds: wall time`, `${total.toFixed(1)} s`);
  } finally {
    await s.close();
  }
}
