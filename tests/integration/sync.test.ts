/**
 * Push semantics: section merge and conflicts between two tablets, signing (server-side hash,
 * frozen afterwards, 409 on the REST route), amendments, and idempotency: every push replayed
 * 2-5 times, shuffled, gives exactly the same database state as one clean run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet, type Transport } from './helpers/client';
import { draft, mAmend, mCreate, mPatch, mSign } from './helpers/fixtures';
import { dealershipState, otherDealership } from './helpers/state';
import { contentHash } from '../../src/model/intake/signedContent';
import type { Mutation, MutationResult } from '../../src/shared/protocol';
import type { Intake } from '../../src/model/intake/schema';

/** Small seeded PRNG so a failing shuffle can be reproduced. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function shuffle<T>(a: T[], r: () => number): T[] {
  const out = [...a];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe.each(backends())('sync push on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let a: Tablet;
  let b: Tablet;
  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    a = await loginAs(t, demo.advisor, 'tablet A');
    b = await loginAs(t, demo.advisor, 'tablet B');
  });
  afterAll(() => env.close());

  it('merges different sections and answers conflict on the same section', async () => {
    const it0 = draft();
    const [c] = (await a.push([mCreate(it0)])).results;
    expect(c?.status).toBe('applied');
    // Both tablets start from revision 0 of every section.
    const ra = await a.push([mPatch(it0.id, 'customer', { name: '陈先生', salutation: '先生', mobile: '13800138000' }, 0)]);
    const rb = await b.push([mPatch(it0.id, 'vehicle', { ...it0.vehicle, plate: '京A12345' }, 0)]);
    expect(ra.results[0]).toMatchObject({ status: 'applied', sectionRev: 1 });
    expect(rb.results[0]).toMatchObject({ status: 'applied', sectionRev: 1 });
    // B edits customer based on rev 0 too: conflict, with the server's value.
    const conflict = await b.push([mPatch(it0.id, 'customer', { name: '陈太太', salutation: '女士', mobile: '' }, 0)]);
    expect(conflict.results[0]).toMatchObject({ status: 'conflict', sectionRev: 1, serverValue: { name: '陈先生' } });
    // B picks "mine" based on the current revision: applied.
    const resolved = await b.push([mPatch(it0.id, 'customer', { name: '陈太太', salutation: '女士', mobile: '' }, 1)]);
    expect(resolved.results[0]).toMatchObject({ status: 'applied', sectionRev: 2 });
    const got = await a.req<{ intake: Intake; sectionRevs: Record<string, number> }>('GET', `/api/intakes/${it0.id}`);
    expect(got.body.intake.customer.name).toBe('陈太太');
    expect(got.body.intake.vehicle.plate).toBe('京A12345');
    expect(got.body.sectionRevs).toMatchObject({ customer: 2, vehicle: 1, work: 0 });
  });

  it('signs with the server-computed hash, refuses a mismatch, then freezes the record', async () => {
    const it1 = { ...draft(), customer: { name: '李女士', salutation: '女士', mobile: '13900000000' } };
    await a.push([mCreate(it1)]);
    const bad = await a.push([mSign(it1, { badHash: true })]);
    expect(bad.results[0]?.status).toBe('rejected');
    expect(bad.results[0]?.reason).toMatch(/hash mismatch/);
    const sign = mSign(it1);
    expect((await a.push([sign])).results[0]?.status).toBe('applied');
    const hash = contentHash(it1);
    const got = await a.req<{ intake: Intake }>('GET', `/api/intakes/${it1.id}`);
    expect(got.body.intake).toMatchObject({ status: 'signed', contentHash: hash });
    // Any later change is refused: in push (rejected with reason) and on the REST route (409).
    const patch = await b.push([mPatch(it1.id, 'customer', { ...it1.customer, name: 'X' }, 0)]);
    expect(patch.results[0]).toMatchObject({ status: 'rejected' });
    expect(patch.results[0]?.reason).toMatch(/signed/);
    for (const method of ['PATCH', 'PUT']) {
      const rest = await a.req('PATCH' === method ? 'PATCH' : 'PUT', `/api/intakes/${it1.id}`, { section: 'customer', value: it1.customer, baseRev: 0 });
      expect(rest.status).toBe(409);
      expect(rest.body).toMatchObject({ error: 'signed' });
      expect(String((rest.body as { message: string }).message)).toMatch(/amendment/);
    }
    const resign = await b.push([mSign({ ...it1, customer: { ...it1.customer, name: 'Y' } })]);
    expect(resign.results[0]?.status).toBe('rejected');
    expect((await b.push([{ ...mSign(it1) }])).results[0]?.status).toBe('duplicate');
    const after = await a.req<{ intake: Intake }>('GET', `/api/intakes/${it1.id}`);
    expect(after.body.intake.customer.name).toBe('李女士');
    // Amendments must refer to the signed hash.
    expect((await a.push([mAmend(it1.id, 'f'.repeat(64))])).results[0]?.status).toBe('rejected');
    expect((await a.push([mAmend(it1.id, hash)])).results[0]?.status).toBe('applied');
    const amended = await a.req<{ intake: Intake }>('GET', `/api/intakes/${it1.id}`);
    expect(amended.body.intake.amendments).toHaveLength(1);
    expect(amended.body.intake.contentHash).toBe(hash);
  });

  it('REST PATCH of a draft goes through the same merge rules', async () => {
    const it2 = draft();
    await a.push([mCreate(it2)]);
    const ok = await a.req('PATCH', `/api/intakes/${it2.id}`, { section: 'complaint', value: { ...it2.complaint, symptom: '异响' }, baseRev: 0 });
    expect(ok.status).toBe(200);
    expect((await a.req('PATCH', `/api/intakes/${it2.id}`, { section: 'complaint', value: it2.complaint, baseRev: 0 })).status).toBe(409);
    expect((await a.req('PATCH', `/api/intakes/${it2.id}`, { section: 'complaint', value: { symptom: 5 }, baseRev: 1 })).status).toBe(400);
    expect((await a.req('PATCH', `/api/intakes/00000000-0000-4000-8000-000000000000`, { section: 'complaint', value: it2.complaint, baseRev: 1 })).status).toBe(404);
  });

  it('records who made each mutation', async () => {
    const it3 = draft();
    await b.push([mCreate(it3)]);
    const list = await a.req<{ intakes: { id: string; createdBy: { deviceId: string; staffId: string } }[] }>('GET', '/api/intakes');
    const row = list.body.intakes.find((x) => x.id === it3.id);
    expect(row?.createdBy).toEqual({ deviceId: b.login.device.id, staffId: b.login.staff.id });
  });

  it('every push replayed 2-5 times, shuffled: same results, same final state as one clean run', async () => {
    // The scenario, as the tablet would push it (base revisions as a clean run produces them).
    const x = draft();
    const y = { ...draft(), vehicle: { ...draft().vehicle, plate: '沪B00001' } };
    const ySigned = { ...y, customer: { name: '周先生', salutation: '先生', mobile: '13700000000' } };
    const batches: Mutation[][] = [
      [mCreate(x), mCreate(y)],
      [mPatch(x.id, 'customer', { name: '甲', salutation: '', mobile: '' }, 0), mPatch(x.id, 'vehicle', { ...x.vehicle, vin: 'LSVAA4182E2123456' }, 0)],
      [mPatch(x.id, 'customer', { name: '乙', salutation: '', mobile: '' }, 0)], // conflict
      [mPatch(x.id, 'customer', { name: '乙', salutation: '', mobile: '' }, 1), mPatch(y.id, 'customer', ySigned.customer, 0)],
      [mSign(ySigned, { badHash: true })], // rejected
      [mSign(ySigned)],
      [mPatch(y.id, 'work', { ...y.work, estimateNote: 'late' }, 0), mAmend(y.id, contentHash(ySigned))], // rejected, applied
      [mPatch(x.id, 'visit', { ...x.visit, odometerKm: 12345 }, null)],
    ];
    const b1 = await otherDealership(env.app);
    const b2 = await otherDealership(env.app);
    const clean = await loginAs(t, b1.advisor, 'clean');
    const noisy = await loginAs(t, b2.advisor, 'noisy');

    const cleanResults = new Map<string, MutationResult>();
    for (const batch of batches) for (const r of (await clean.push(batch)).results) cleanResults.set(r.mutationId, r);

    const r = rng(backend === 'pglite' ? 42 : 7);
    const remaining = batches.map(() => 2 + Math.floor(r() * 4) - 1); // replays after the first push (total 2-5)
    const firstAnswer = new Map<string, MutationResult>();
    for (let i = 0; i < batches.length; i++) {
      // Earlier batches' replays are mixed into the new batch, shuffled, new mutations keep their order.
      const replays: Mutation[] = [];
      for (let j = 0; j <= i; j++) {
        if (j < i && (remaining[j] ?? 0) > 0 && r() < 0.6) {
          replays.push(...(batches[j] as Mutation[]));
          remaining[j] = (remaining[j] ?? 0) - 1;
        }
      }
      const fresh = batches[i] as Mutation[];
      const mixed = shuffle(replays, r);
      const at = Math.floor(r() * (mixed.length + 1));
      const res = await noisy.push([...mixed.slice(0, at), ...fresh, ...mixed.slice(at)]);
      for (const x of res.results) if (!firstAnswer.has(x.mutationId)) firstAnswer.set(x.mutationId, x);
    }
    // Whatever replays are left: all at once, shuffled, twice.
    for (let k = 0; k < 2; k++) {
      const rest = shuffle(batches.flatMap((bt, j) => ((remaining[j] ?? 0) > 0 ? bt : [])), r);
      remaining.forEach((v, j) => (remaining[j] = Math.max(0, v - 1)));
      if (rest.length) {
        for (const res of (await noisy.push(rest)).results) {
          const first = firstAnswer.get(res.mutationId) as MutationResult;
          expect(res.status).toBe(first.status === 'applied' ? 'duplicate' : first.status);
          expect(res.sectionRev).toEqual(first.sectionRev);
        }
      }
    }
    // Same answers as the clean run (first time seen), and the same database state.
    for (const [id, res] of cleanResults) {
      const got = firstAnswer.get(id);
      expect(got?.status).toBe(res.status);
      expect(got?.sectionRev).toEqual(res.sectionRev);
    }
    const s1 = await dealershipState(env.app, b1.dealership.id);
    const s2 = await dealershipState(env.app, b2.dealership.id);
    expect(s2).toEqual(s1);
    expect(s1.intakes).toHaveLength(2);
    expect(s1.mutations).toHaveLength(batches.flat().length);
    expect(s1.intakes.find((i) => i.id === y.id)?.status).toBe('signed');
  });
});
