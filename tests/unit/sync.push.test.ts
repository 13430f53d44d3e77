import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, signIntake, updateSection } from '../../src/store/intakeWrites';
import { makeReady } from '../fixtures/readyStored';
import { savePhoto } from '../../src/store/photoStore';
import { contentHash } from '../../src/model/intake/signedContent';
import type { Intake, Signature } from '../../src/model/intake/schema';
import { pushOutbox, chooseBatch, MAX_SIGN_PHOTO_WAITS } from '../../src/sync/pushOutbox';
import { recoverSending } from '../../src/sync/recoverSending';
import { syncOnce } from '../../src/sync/syncOnce';
import { SyncError } from '../../src/sync/syncErrors';
import { readSyncCounts } from '../../src/store/syncCounts';
import { fakeApi, pngBytes } from './syncFakes';

const advisor = { id: 'adv-1', name: '李顾问' };
const customer = (name: string) => ({ name, salutation: '', mobile: '' });

function sig(hash: string): Signature {
  return {
    role: 'customer',
    name: '顾客',
    strokes: [{ points: [{ x: 1, y: 1, time: 1 }, { x: 50, y: 30, time: 2 }] }],
    width: 600,
    height: 300,
    signedAt: new Date().toISOString(),
    contentHash: hash,
  };
}

async function sign(id: string): Promise<Intake> {
  await makeReady(id);
  const shown = contentHash((await getIntake(id))!);
  return signIntake(id, shown, [sig(shown)]);
}

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('push: settling the server answers', () => {
  it('applied and duplicate drop the entry and remember the section revision', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'customer', customer('王五'));
    await updateSection(a.id, 'vehicle', { ...a.vehicle, plate: '京A12345' });
    const api = fakeApi();
    api.answer = (m) =>
      m.op === 'patch'
        ? { mutationId: m.id, status: m.section === 'customer' ? 'applied' : 'duplicate', sectionRev: m.section === 'customer' ? 3 : 5 }
        : { mutationId: m.id, status: 'applied' };
    const s = await pushOutbox({ db, api });
    expect(s.applied).toBe(3);
    expect(api.pushed.flat().map((m) => m.op)).toEqual(['create', 'patch', 'patch']);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.sectionRevs.get(a.id))?.revs).toEqual({ customer: 3, vehicle: 5 });
    // The local working copy stays on the tablet after sync.
    expect((await getIntake(a.id))?.customer.name).toBe('王五');
  });

  it('conflict keeps the local value and stores mine/theirs for a person to choose', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'customer', customer('王五'));
    const api = fakeApi();
    api.answer = (m) =>
      m.op === 'patch' ? { mutationId: m.id, status: 'conflict', sectionRev: 4, serverValue: customer('赵六'), reason: 'changed elsewhere' } : { mutationId: m.id, status: 'applied' };
    const s = await pushOutbox({ db, api });
    expect(s.conflicts).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    const c = await db.conflicts.get(`${a.id}:customer`);
    expect(c).toMatchObject({ section: 'customer', mine: customer('王五'), theirs: customer('赵六'), theirsRev: 4 });
    expect((await getIntake(a.id))?.customer.name).toBe('王五');
  });

  it('a conflict where both tablets wrote the same value settles without asking', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'customer', customer('王五'));
    const api = fakeApi();
    api.answer = (m) => (m.op === 'patch' ? { mutationId: m.id, status: 'conflict', sectionRev: 4, serverValue: customer('王五') } : { mutationId: m.id, status: 'applied' });
    await pushOutbox({ db, api });
    expect(await db.conflicts.count()).toBe(0);
    expect((await db.sectionRevs.get(a.id))?.revs.customer).toBe(4);
  });

  it('rejected moves the mutation to quarantine with the reason, and never deletes the record', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'customer', customer('王五'));
    const api = fakeApi();
    api.answer = (m) => (m.op === 'patch' ? { mutationId: m.id, status: 'rejected', reason: 'record is signed' } : { mutationId: m.id, status: 'applied' });
    const s = await pushOutbox({ db, api });
    expect(s.rejected).toBe(1);
    const q = await db.quarantine.toArray();
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ intakeId: a.id, reason: 'record is signed' });
    expect(q[0]?.mutation.op === 'patch' && q[0].mutation.value).toEqual(customer('王五'));
    expect(await getIntake(a.id)).toBeTruthy();
    expect(await db.outbox.count()).toBe(0);
    expect((await readSyncCounts(db)).quarantined).toBe(1);
  });

  it('a network error puts the batch back to pending with attempts + 1, and nothing is lost', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'customer', customer('王五'));
    const api = fakeApi();
    api.offline = true;
    await expect(pushOutbox({ db, api })).rejects.toMatchObject({ kind: 'offline' });
    const entries = await db.outbox.orderBy('seq').toArray();
    expect(entries.map((e) => [e.op, e.state, e.attempts])).toEqual([
      ['create', 'pending', 1],
      ['patch', 'pending', 1],
    ]);
    expect(entries[1]?.lastError).toContain('fetch failed');
    api.offline = false;
    await pushOutbox({ db, api });
    expect(await db.outbox.count()).toBe(0);
  });

  it('an entry sent once is never given a new value: later typing queues behind it and is rebased on its answer', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'customer', customer('王'));
    const api = fakeApi();
    api.offline = true;
    await expect(pushOutbox({ db, api })).rejects.toBeInstanceOf(SyncError);
    // The server may have applied that request before the answer was lost; the advisor types on.
    await updateSection(a.id, 'customer', customer('王五'));
    await updateSection(a.id, 'customer', customer('王五六'));
    const patches = (await db.outbox.orderBy('seq').toArray()).filter((e) => e.op === 'patch');
    expect(patches.map((p) => p.mutation.op === 'patch' && p.mutation.value)).toEqual([customer('王'), customer('王五六')]);

    api.offline = false;
    let rev = 0;
    api.answer = (m) => {
      if (m.op !== 'patch') return { mutationId: m.id, status: 'applied' };
      // Server: a patch not based on the current revision conflicts.
      if (m.baseRev !== rev && !(m.baseRev === null && rev === 0)) return { mutationId: m.id, status: 'conflict', sectionRev: rev, serverValue: customer('?') };
      rev++;
      return { mutationId: m.id, status: 'applied', sectionRev: rev };
    };
    await pushOutbox({ db, api });
    // Two separate requests (second based on the answer to the first), no conflict with ourselves.
    expect(api.pushed.map((b) => b.filter((m) => m.op === 'patch').length)).toEqual([1, 1]);
    expect(await db.conflicts.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.sectionRevs.get(a.id))?.revs.customer).toBe(2);
  });

  it('autosave never changes an entry in flight: it coalesces into a new pending entry', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'complaint', { ...a.complaint, symptom: '异响' });
    const api = fakeApi();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const origPush = api.push;
    let firstCall = true;
    let typed!: () => void;
    const typingDone = new Promise<void>((r) => (typed = r));
    api.push = async (ms) => {
      if (firstCall) {
        firstCall = false;
        // While the request is in flight, the advisor keeps typing.
        await updateSection(a.id, 'complaint', { ...a.complaint, symptom: '异响，刹车时' });
        await updateSection(a.id, 'complaint', { ...a.complaint, symptom: '异响，刹车时更明显' });
        typed();
        await gate;
      }
      return origPush(ms);
    };
    const running = pushOutbox({ db, api });
    await typingDone; // not a timer: on a loaded machine 20 ms did not always cover the two writes
    const during = await db.outbox.orderBy('seq').toArray();
    const sending = during.filter((e) => e.state === 'sending');
    const pending = during.filter((e) => e.state === 'pending');
    expect(sending.map((e) => e.mutation.op === 'patch' && e.mutation.value)).toContainEqual({ ...a.complaint, symptom: '异响' });
    expect(pending).toHaveLength(1);
    expect(pending[0]?.mutation.op === 'patch' && pending[0].mutation.value).toEqual({ ...a.complaint, symptom: '异响，刹车时更明显' });
    release();
    await running;
    expect(api.pushed.flat().filter((m) => m.op === 'patch').map((m) => m.op === 'patch' && (m.value as { symptom: string }).symptom)).toEqual([
      '异响',
      '异响，刹车时更明显',
    ]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('recovers entries stuck in sending after a crash and replays them (duplicate is success)', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await updateSection(a.id, 'customer', customer('王五'));
    await db.outbox.toCollection().modify({ state: 'sending' });
    expect(await recoverSending(db)).toBe(2);
    const entries = await db.outbox.toArray();
    expect(entries.every((e) => e.state === 'pending' && e.section === null)).toBe(true);
    // Recovered entries are not coalesced into (they may already be on the server).
    await updateSection(a.id, 'customer', customer('王五六'));
    expect(await db.outbox.count()).toBe(3);
    const api = fakeApi();
    api.answer = (m) => ({ mutationId: m.id, status: 'duplicate', sectionRev: m.op === 'patch' ? 1 : undefined });
    await pushOutbox({ db, api });
    expect(await db.outbox.count()).toBe(0);
  });

  it('a request the server refuses as a whole is split so only the bad mutation is quarantined', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    const b = await createIntake(advisor);
    await updateSection(b.id, 'customer', customer('坏'));
    const api = fakeApi();
    const orig = api.push;
    api.push = async (ms) => {
      if (ms.some((m) => m.op === 'patch' && m.intakeId === b.id)) throw new SyncError('refused', 'HTTP 400: body/mutations/2 invalid', 400);
      return orig(ms);
    };
    await pushOutbox({ db, api });
    expect(await db.outbox.count()).toBe(0);
    const q = await db.quarantine.toArray();
    expect(q.map((e) => e.intakeId)).toEqual([b.id]);
    expect(q[0]?.reason).toContain('400');
    expect(api.pushed.flat().filter((m) => m.op === 'create').map((m) => m.intakeId).sort()).toEqual([a.id, b.id].sort());
  });

  it('keeps order per intake and at most one patch per section per request', () => {
    const e = (seq: number, intakeId: string, op: 'create' | 'patch' | 'sign', section: 'customer' | 'vehicle' | null = null) =>
      ({
        seq,
        intakeId,
        op,
        section,
        state: 'pending',
        mutationId: String(seq),
        attempts: 0,
        lastError: null,
        createdAt: '',
        mutation: op === 'patch' ? { op, id: String(seq), intakeId, at: '', section, value: {}, baseRev: null } : { op, id: String(seq), intakeId, at: '' },
      }) as never;
    const pending = [e(1, 'A', 'create'), e(2, 'A', 'patch', 'customer'), e(3, 'B', 'create'), e(4, 'A', 'patch', 'customer'), e(5, 'A', 'sign'), e(6, 'B', 'sign'), e(7, 'C', 'create')];
    const { batch, held } = chooseBatch(pending, { maxCount: 100, maxBytes: 1e6, holdSignsFor: new Set(['B']), skipIntakes: new Set() });
    expect(batch.map((x) => x.seq)).toEqual([1, 2, 3, 7]);
    expect(held.map((x) => x.seq)).toEqual([6]);
  });
});

describe('photos and signatures', () => {
  async function intakeWithPhoto(seed: number) {
    const a = await createIntake(advisor);
    const photo = await savePhoto({ intakeId: a.id, bytes: pngBytes(seed), type: 'image/png', width: 4, height: 3 });
    const items = { ...a.cabin.items };
    const first = Object.keys(items)[0]!;
    items[first] = { status: 'issue', note: '划痕', photos: [photo.hash] };
    await updateSection(a.id, 'cabin', { consent: true, items });
    return { a, hash: photo.hash };
  }

  it('uploads photos (ask which are missing, then PUT) beside the record and before its signature', async () => {
    const db = getDb();
    const { a, hash } = await intakeWithPhoto(1);
    // An unreferenced photo (taken, then removed) is not sent.
    await savePhoto({ intakeId: a.id, bytes: pngBytes(99), type: 'image/png', width: 4, height: 3 });
    await sign(a.id);
    const api = fakeApi();
    const order: string[] = [];
    const push = api.push;
    api.push = async (ms) => {
      order.push(...ms.map((m) => m.op));
      return push(ms);
    };
    const put = api.putBlob;
    api.putBlob = async (h, b, t) => {
      order.push(`put:${h.slice(0, 6)}`);
      return put(h, b, t);
    };
    const counts = await readSyncCounts(db);
    expect(counts.pendingPhotos).toBe(1);
    await syncOnce({ db, api });
    // The record's push and the photo go side by side (either may be first); the signature only
    // after the photo, and after the patches that made the draft ready to sign.
    const rest = order.filter((op) => op !== 'patch');
    expect(rest.slice(0, 2).sort()).toEqual(['create', `put:${hash.slice(0, 6)}`].sort());
    expect(rest[2]).toBe('sign');
    expect(order.lastIndexOf('patch')).toBeLessThan(order.indexOf('sign'));
    expect((await db.photoMeta.get(hash))?.uploaded).toBe(1);
    expect(api.blobs.get(hash)?.type).toBe('image/png');
    expect((await readSyncCounts(db)).pendingPhotos).toBe(0);
    expect((await readSyncCounts(db)).pendingRecords).toBe(0);
  });

  it('does not PUT a photo the server already holds', async () => {
    const db = getDb();
    const { hash } = await intakeWithPhoto(2);
    const api = fakeApi();
    api.blobs.set(hash, { bytes: pngBytes(2), type: 'image/png' });
    await syncOnce({ db, api });
    expect(api.puts).toEqual([]);
    expect((await db.photoMeta.get(hash))?.uploaded).toBe(1);
  });

  it('a signature waits for a failing photo a few runs, then goes without it', async () => {
    const db = getDb();
    const { a } = await intakeWithPhoto(3);
    await sign(a.id);
    const api = fakeApi();
    api.failPut = () => new SyncError('refused', 'HTTP 415: not an image', 415);
    const runs: boolean[] = [];
    for (let i = 0; i <= MAX_SIGN_PHOTO_WAITS; i++) {
      const r = await syncOnce({ db, api });
      expect(r.problem?.kind).toBe('photo');
      runs.push(api.pushed.flat().some((m) => m.op === 'sign'));
    }
    expect(runs.slice(0, MAX_SIGN_PHOTO_WAITS).every((x) => !x)).toBe(true);
    expect(runs[MAX_SIGN_PHOTO_WAITS]).toBe(true);
    expect(await db.outbox.count()).toBe(0);
    // The photo itself is still waiting and counted, never dropped.
    expect((await readSyncCounts(db)).pendingPhotos).toBe(1);
  });

  it('a network failure while uploading fails that step only: everything stays queued, the pull still runs', async () => {
    const db = getDb();
    const { a, hash } = await intakeWithPhoto(4);
    await sign(a.id);
    const api = fakeApi();
    api.failPut = () => new SyncError('offline', 'connection reset');
    let pulls = 0;
    const pull = api.pull;
    api.pull = async (since) => {
      pulls++;
      return pull(since);
    };
    const r = await syncOnce({ db, api });
    expect(r.errors.map((e) => [e.phase, e.error.kind])).toEqual([['photosUp', 'offline']]);
    expect(pulls).toBeGreaterThan(0);
    expect((await db.photoMeta.get(hash))?.uploaded).toBe(0);
    expect((await db.outbox.toArray()).map((e) => e.op)).toEqual(['sign']);
    // Being offline does not use up the signature's waits for its photos.
    expect((await db.outbox.toArray())[0]?.attempts).toBe(0);
  });

  it('a failed push does not skip the pull, and a failed pull does not skip the push', async () => {
    const db = getDb();
    await intakeWithPhoto(5);
    const api = fakeApi();
    const push = api.push;
    const pull = api.pull;
    let pulls = 0;
    api.push = async () => {
      throw new SyncError('offline', 'connection reset');
    };
    api.pull = async (since) => {
      pulls++;
      return pull(since);
    };
    const r1 = await syncOnce({ db, api });
    expect(r1.errors.map((e) => e.phase)).toEqual(['push']);
    expect(pulls).toBe(1);
    expect(await db.outbox.count()).toBeGreaterThan(0);
    api.push = push;
    api.pull = async () => {
      throw new SyncError('server', 'HTTP 503', 503);
    };
    const r2 = await syncOnce({ db, api });
    expect(r2.errors.map((e) => e.phase)).toEqual(['pull']);
    expect(await db.outbox.count()).toBe(0);
    expect(api.puts.length).toBe(1);
  });
});
