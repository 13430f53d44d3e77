/**
 * SYNC.md invariant 4: with many concurrent writers (real HTTP, several tablets pushing at once)
 * and a puller advancing its cursor at the same time, the puller never skips a change. Most
 * mutations create NEW intakes, so a skipped change would be an intake the puller never sees.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, httpTransport, loginAs, type Tablet } from './helpers/client';
import { draft, mCreate, mPatch } from './helpers/fixtures';
import type { Intake } from '../../src/model/intake/schema';

const WRITERS = 8;
const ROUNDS = 8;

describe.each(backends())('pull cursor under concurrent writers on %s', (backend) => {
  let env: TestApp;
  let base: string;
  beforeAll(async () => {
    env = await startApp(backend);
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => env.close());

  it('never skips a change', async () => {
    const t = httpTransport(base);
    const writers: Tablet[] = [];
    for (let i = 0; i < WRITERS; i++) writers.push(await loginAs(t, demo.advisor, `writer ${i}`));
    const puller = await loginAs(t, demo.advisor, 'puller');

    const seen = new Map<string, { seq: number; intake: Intake }>();
    let cursor = 0;
    let lastSeq = 0;
    let pulls = 0;
    const pullOnce = async () => {
      for (;;) {
        const r = await puller.pull(cursor, 7);
        pulls++;
        for (const c of r.changes) {
          expect(c.seq).toBeGreaterThan(lastSeq); // strictly increasing across pulls
          lastSeq = c.seq;
          seen.set(c.intake.id, { seq: c.seq, intake: c.intake });
        }
        expect(r.cursor).toBeGreaterThanOrEqual(cursor);
        cursor = r.cursor;
        if (!r.more) return;
      }
    };

    let writing = true;
    const pullLoop = (async () => {
      while (writing) {
        await pullOnce();
        await new Promise((ok) => setTimeout(ok, 3));
      }
    })();

    const created: string[] = [];
    await Promise.all(
      writers.map(async (w, wi) => {
        const mine: Intake[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const fresh = [draft(), draft()];
          mine.push(...fresh);
          const batch = fresh.map(mCreate);
          const prev = mine[round];
          if (prev && round % 3 === 2) batch.push(mPatch(prev.id, 'complaint', { ...prev.complaint, symptom: `w${wi} r${round}` }, 0));
          const res = await w.push(batch);
          for (const r of res.results) expect(['applied']).toContain(r.status);
          created.push(...fresh.map((f) => f.id));
        }
      }),
    );
    writing = false;
    await pullLoop;
    await pullOnce(); // catch up after the last commit

    expect(created).toHaveLength(WRITERS * ROUNDS * 2);
    const missing = created.filter((id) => !seen.has(id));
    expect(missing).toEqual([]);
    // The puller's view equals the server's.
    const full = await puller.pull(0, 1000);
    for (const c of full.changes) expect(seen.get(c.intake.id)?.intake).toEqual(c.intake);
    expect(pulls).toBeGreaterThan(3);
  });
});
