/**
 * Issue 9, finding 1 on the tablet: one mutation the server keeps failing on (5xx) never blocks
 * the rest of the outbox. It is isolated, becomes 'stuck' after a few 5xx answers sent alone,
 * is tried again with a growing delay, is counted and listed for staff, and is never dropped;
 * later entries of the SAME intake keep waiting behind it, other intakes go on.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { pushOutbox, STUCK_AFTER_SERVER_ERRORS, stuckRetryDelay } from '../../src/sync/pushOutbox';
import { SyncError } from '../../src/sync/syncErrors';
import { readSyncCounts } from '../../src/store/syncCounts';
import type { Mutation } from '../../src/shared/protocol';
import { fakeApi, type FakeApi } from './syncFakes';

const advisor = { id: 'adv-1', name: '李顾问' };
const customer = (name: string) => ({ name, salutation: '', mobile: '' });

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

/** A server that answers 500 to every push containing a mutation `poisoned` says is bad. */
function poisonedApi(poisoned: (m: Mutation) => boolean): FakeApi {
  const api = fakeApi();
  const orig = api.push;
  api.push = async (ms) => {
    if (ms.some(poisoned)) {
      api.pushed.push(ms);
      throw new SyncError('server', 'HTTP 500: internal server error', 500);
    }
    return orig(ms);
  };
  return api;
}

describe('a mutation the server keeps failing on', () => {
  it('is isolated in the first run: every other intake is applied, the same intake waits behind it', async () => {
    const db = getDb();
    const good1 = await createIntake(advisor);
    const bad = await createIntake(advisor);
    await updateSection(bad.id, 'customer', customer('毒'));
    await updateSection(bad.id, 'vehicle', { ...bad.vehicle, make: '后来的' });
    const good2 = await createIntake(advisor);
    await updateSection(good2.id, 'customer', customer('好'));
    const api = poisonedApi((m) => m.op === 'patch' && m.intakeId === bad.id && m.section === 'customer');

    const s = await pushOutbox({ db, api });
    expect(s.applied).toBe(4); // good1 create, bad create, good2 create + patch
    const left = await db.outbox.orderBy('seq').toArray();
    expect(left.map((e) => [e.intakeId, e.op, e.mutation.op === 'patch' ? e.mutation.section : null])).toEqual([
      [bad.id, 'patch', 'customer'],
      [bad.id, 'patch', 'vehicle'],
    ]);
    expect(left[0]).toMatchObject({ state: 'pending', serverErrors: 1, lastError: expect.stringContaining('500') });
    // After the first (whole, failed) batch, the later patch of that intake was never sent past it.
    expect(api.pushed[0]?.length).toBe(6);
    expect(api.pushed.slice(1).flat().some((m) => m.op === 'patch' && m.intakeId === bad.id && m.section === 'vehicle')).toBe(false);
    expect(api.pushed.flat().filter((m) => m.intakeId === good1.id || m.intakeId === good2.id).length).toBeGreaterThanOrEqual(3);
  });

  it('after STUCK_AFTER_SERVER_ERRORS answers alone it is stuck: counted, kept, retried after a growing delay, never dropped', async () => {
    const db = getDb();
    const bad = await createIntake(advisor);
    await updateSection(bad.id, 'customer', customer('毒'));
    const api = poisonedApi((m) => m.op === 'patch' && m.intakeId === bad.id);
    let clock = Date.parse('2026-03-01T08:00:00Z');
    const now = () => new Date(clock);
    // Run 1: the create goes alone and is applied, the patch fails alone. Then the patch alone
    // fails with nothing else getting through: the run fails (the engine backs off) until it is stuck.
    await pushOutbox({ db, api, now });
    for (let run = 2; run < STUCK_AFTER_SERVER_ERRORS; run++) await expect(pushOutbox({ db, api, now })).rejects.toMatchObject({ kind: 'server' });
    await pushOutbox({ db, api, now }); // now stuck: the run goes on without it
    const [stuck] = await db.outbox.toArray();
    expect(stuck).toMatchObject({ state: 'stuck', serverErrors: STUCK_AFTER_SERVER_ERRORS });
    expect(Date.parse(stuck?.retryAt ?? '')).toBe(clock + stuckRetryDelay(STUCK_AFTER_SERVER_ERRORS));
    expect((await readSyncCounts(db)).stuck).toBe(1);

    // A new change of another intake goes while it waits; the stuck one is not even sent.
    const other = await createIntake(advisor);
    const sentBefore = api.pushed.length;
    await pushOutbox({ db, api, now });
    expect(api.pushed.slice(sentBefore).flat().map((m) => m.intakeId)).toEqual([other.id]);

    // Once its delay has passed it is tried again (alone); still failing, it waits longer.
    clock += stuckRetryDelay(STUCK_AFTER_SERVER_ERRORS) + 1;
    expect(await pushOutbox({ db, api, now })).toMatchObject({ stuck: 1 });
    const [again] = await db.outbox.toArray();
    expect(again).toMatchObject({ state: 'stuck', serverErrors: STUCK_AFTER_SERVER_ERRORS + 1 });
    expect(stuckRetryDelay(STUCK_AFTER_SERVER_ERRORS + 1)).toBeGreaterThan(stuckRetryDelay(STUCK_AFTER_SERVER_ERRORS));
    expect(api.pushed.at(-1)?.map((m) => m.intakeId)).toEqual([bad.id]);

    // The server is fixed: the next retry applies it and the outbox is empty.
    clock += stuckRetryDelay(STUCK_AFTER_SERVER_ERRORS + 1) + 1;
    const fixed = fakeApi();
    await pushOutbox({ db, api: fixed, now });
    expect(await db.outbox.count()).toBe(0);
    expect((await readSyncCounts(db)).stuck).toBe(0);
  });

  it('two 5xx in a row for different mutations look like an outage: the run stops and nothing is stuck', async () => {
    const db = getDb();
    await createIntake(advisor);
    await createIntake(advisor);
    await createIntake(advisor);
    const api = poisonedApi(() => true);
    await expect(pushOutbox({ db, api })).rejects.toMatchObject({ kind: 'server' });
    expect(api.pushed.map((b) => b.length)).toEqual([3, 1, 1]); // the batch, then two single probes
    const entries = await db.outbox.toArray();
    expect(entries.map((e) => e.state)).toEqual(['pending', 'pending', 'pending']);
    expect(entries.every((e) => (e.serverErrors ?? 0) <= 1)).toBe(true);
  });

  it('a refusal the server says can become valid (retry) stays pending with its reason, not quarantined', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    const api = fakeApi();
    api.answer = (m) => ({ mutationId: m.id, status: 'rejected', retry: true, reason: 'unknown intake: push its create first' });
    await pushOutbox({ db, api });
    expect(await db.quarantine.count()).toBe(0);
    const [e] = await db.outbox.toArray();
    expect(e).toMatchObject({ intakeId: a.id, state: 'pending', attempts: 1, lastError: 'unknown intake: push its create first' });
    expect(api.pushed).toHaveLength(1); // not resent in a loop within the run
    api.answer = (m) => ({ mutationId: m.id, status: 'applied' });
    await pushOutbox({ db, api });
    expect(await db.outbox.count()).toBe(0);
  });
});
