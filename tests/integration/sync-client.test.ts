/**
 * The tablet's sync engine against the REAL server (in-process Fastify on a random port, PGlite):
 * two simulated tablets, each with its own IndexedDB (fake-indexeddb) and device session, logged
 * in through the app's own login code. Proves: an intake made offline arrives complete on the
 * other tablet (photos included); replaying / shuffling the pushes changes nothing; the same
 * section edited on both tablets becomes a visible conflict, different sections merge; a lost
 * answer after the server committed loses no later typing; technician-check and handover drafts
 * reach the other tablet before sign-off; PIN switching works with the server.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { startApp, type TestApp } from './helpers/backends';
import { useDatabase as setAppDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, signIntake, updateSection } from '../../src/store/intakeWrites';
import { makeReady } from '../fixtures/readyStored';
import { savePhoto } from '../../src/store/photoStore';
import { loadSession, serverActingStaffId } from '../../src/store/session';
import { configureHttp } from '../../src/sync/http';
import { loginDevice } from '../../src/features/auth/deviceAuth';
import { switchStaff, pinLockOf } from '../../src/features/auth/pin';
import { createSyncApi, type SyncApi } from '../../src/sync/syncApi';
import { syncOnce } from '../../src/sync/syncOnce';
import { resolveConflict } from '../../src/sync/resolveConflict';
import { signTechCheck, startHandover, startTechCheck, updateHandover, updateTechCheck } from '../../src/store/followUpWrites';
import { followUpFlagsOf } from '../../src/store/queries';
import { techCheckHash } from '../../src/model/techCheck/schema';
import { readSyncCounts } from '../../src/store/syncCounts';
import { contentHash } from '../../src/model/intake/signedContent';
import { sha256Hex } from '../../src/shared/sha256';
import type { Mutation } from '../../src/shared/protocol';
import type { Intake } from '../../src/model/intake/schema';
import { DEMO_ADVISOR, DEMO_MANAGER } from '../../src/server/demo';

function png(seed: number): ArrayBuffer {
  const b = new Uint8Array(64);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < b.length; i++) b[i] = (seed * 31 + i * 7) & 255;
  return b.buffer;
}

interface Tablet {
  db: WalkaroundDB;
  api: SyncApi;
  /** Make this tablet's database the app's database (repo functions use it). */
  use(): void;
  sync(): ReturnType<typeof syncOnce>;
}

let env: TestApp;
let baseUrl: string;

async function tablet(name: string, creds: { dealership: string; username: string; password: string }, fetchImpl?: typeof fetch): Promise<Tablet> {
  const db = new WalkaroundDB(`it-${name}-${crypto.randomUUID()}`);
  setAppDatabase(db);
  const r = await loginDevice({ dealership: creds.dealership, username: creds.username, password: creds.password, deviceName: name });
  if (!r.ok) throw new Error(`login failed: ${r.reason}`);
  const api = createSyncApi({
    baseUrl,
    fetch: fetchImpl,
    auth: async () => {
      const s = (await db.kv.get('session'))?.value as Awaited<ReturnType<typeof loadSession>>;
      return s ? { token: s.token, actingStaffId: serverActingStaffId(s) } : null;
    },
  });
  const t: Tablet = {
    db,
    api,
    use: () => setAppDatabase(db),
    sync: () => {
      setAppDatabase(db);
      return syncOnce({ db, api });
    },
  };
  return t;
}

function sig(hash: string) {
  return {
    role: 'customer' as const,
    name: '陈先生',
    strokes: [{ points: [{ x: 1, y: 1, time: 1 }, { x: 40, y: 20, time: 2 }] }],
    width: 600,
    height: 300,
    signedAt: new Date().toISOString(),
    contentHash: hash,
  };
}

async function signLocal(id: string): Promise<Intake> {
  await makeReady(id);
  const shown = contentHash((await getIntake(id))!);
  return signIntake(id, shown, [sig(shown)]);
}

beforeAll(async () => {
  env = await startApp('pglite');
  await env.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  configureHttp({ baseUrl });
});
afterAll(async () => {
  await env?.close();
});

describe('two tablets against the real server', () => {
  it('an intake made offline on A (edits, photo, signature) arrives complete on B', async () => {
    const a = await tablet('A', DEMO_ADVISOR);
    const b = await tablet('B', DEMO_ADVISOR);
    a.use();
    const session = (await loadSession())!;
    const intake = await createIntake({ id: session.staff.id, name: session.staff.name });
    await updateSection(intake.id, 'customer', { name: '陈先生', salutation: '先生', mobile: '13800138000' });
    await updateSection(intake.id, 'vehicle', { ...intake.vehicle, plate: '京A12345', make: '大众', model: '帕萨特' });
    const photo = await savePhoto({ intakeId: intake.id, bytes: png(1), type: 'image/png', width: 8, height: 8 });
    const first = Object.keys(intake.cabin.items)[0]!;
    await updateSection(intake.id, 'cabin', { consent: true, items: { ...intake.cabin.items, [first]: { status: 'issue', note: '仪表台划痕', photos: [photo.hash] } } });
    const signed = await signLocal(intake.id);
    expect((await readSyncCounts(a.db)).pendingRecords).toBe(1);

    const ra = await a.sync();
    expect(ra.problem).toBeNull();
    expect(ra.push.rejected).toBe(0);
    expect(await a.db.outbox.count()).toBe(0);
    expect((await a.db.photoMeta.get(photo.hash))?.uploaded).toBe(1);
    expect(await readSyncCounts(a.db)).toMatchObject({ pendingRecords: 0, pendingPhotos: 0, quarantined: 0, conflicts: 0 });

    const rb = await b.sync();
    expect(rb.pulled).toBeGreaterThanOrEqual(1);
    b.use();
    const onB = await getIntake(intake.id);
    expect(onB?.status).toBe('signed');
    expect(onB?.contentHash).toBe(signed.contentHash);
    expect(contentHash(onB!)).toBe(signed.contentHash);
    expect(onB?.customer.name).toBe('陈先生');
    const p = await b.db.photos.get(photo.hash);
    expect(p && sha256Hex(p.bytes)).toBe(photo.hash);
    expect((await b.db.summaries.get(intake.id))?.plate).toBe('京A12345');
  });

  it('replaying and shuffling every push changes nothing on the server', async () => {
    const a = await tablet('A2', DEMO_ADVISOR);
    a.use();
    const intake = await createIntake({ id: 'x', name: '王芳' });
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '刹车异响' });
    await updateSection(intake.id, 'vehicle', { ...intake.vehicle, plate: '沪B22222' });
    const sent: Mutation[] = (await a.db.outbox.orderBy('seq').toArray()).map((e) => e.mutation);
    await a.sync();
    const before = await a.api.pull(0);
    for (let round = 0; round < 3; round++) {
      const shuffled = [...sent].sort(() => (round % 2 ? 1 : -1) * 0.5 + Math.random() - 0.5);
      const res = await a.api.push(shuffled);
      expect(res.results.every((r) => r.status === 'duplicate' || r.status === 'applied')).toBe(true);
      expect(res.results.filter((r) => r.status === 'applied')).toHaveLength(0);
    }
    const after = await a.api.pull(0);
    const mine = (p: typeof before) => p.changes.find((c) => c.intake.id === intake.id);
    expect(mine(after)?.intake).toEqual(mine(before)?.intake);
    expect(mine(after)?.sectionRevs).toEqual(mine(before)?.sectionRevs);
    expect(mine(after)?.seq).toBe(mine(before)?.seq);
  });

  it('same section on both tablets → visible conflict; different sections → merged', async () => {
    const a = await tablet('A3', DEMO_ADVISOR);
    const b = await tablet('B3', DEMO_ADVISOR);
    a.use();
    const intake = await createIntake({ id: 'x', name: '王芳' });
    await a.sync();
    await b.sync();
    b.use();
    expect(await getIntake(intake.id)).toBeTruthy();

    // Offline on both: A edits customer + vehicle, B edits customer + complaint.
    a.use();
    await updateSection(intake.id, 'customer', { name: 'A 写的', salutation: '', mobile: '' });
    await updateSection(intake.id, 'vehicle', { ...intake.vehicle, plate: '粤B12345' });
    b.use();
    await updateSection(intake.id, 'customer', { name: 'B 写的', salutation: '', mobile: '' });
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: 'B：怠速抖动' });

    await a.sync();
    const rb = await b.sync();
    expect(rb.push.conflicts).toBe(1);
    b.use();
    const conflict = await b.db.conflicts.get(`${intake.id}:customer`);
    expect(conflict).toMatchObject({ mine: { name: 'B 写的' }, theirs: { name: 'A 写的' } });
    const localB = await getIntake(intake.id);
    expect(localB?.customer.name).toBe('B 写的'); // mine kept until someone decides
    expect(localB?.vehicle.plate).toBe('粤B12345'); // A's other section merged in
    expect(localB?.complaint.symptom).toBe('B：怠速抖动');

    // B keeps mine; after sync both tablets agree on everything.
    await resolveConflict(intake.id, 'customer', 'mine');
    const rb2 = await b.sync();
    expect(rb2.push.conflicts).toBe(0);
    await a.sync();
    for (const t of [a, b]) {
      t.use();
      const x = await getIntake(intake.id);
      expect(x?.customer.name).toBe('B 写的');
      expect(x?.vehicle.plate).toBe('粤B12345');
      expect(x?.complaint.symptom).toBe('B：怠速抖动');
      expect(await t.db.conflicts.count()).toBe(0);
      expect(await t.db.outbox.count()).toBe(0);
    }
  });

  it('an answer lost after the server committed loses no later typing', async () => {
    let dropNextPushAnswer = false;
    const lossy = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const res = await fetch(input, init);
      if (dropNextPushAnswer && String(input).endsWith('/api/sync/push')) {
        dropNextPushAnswer = false;
        await res.arrayBuffer();
        throw new TypeError('network connection was lost');
      }
      return res;
    }) as typeof fetch;
    const a = await tablet('A4', DEMO_ADVISOR, lossy);
    const b = await tablet('B4', DEMO_ADVISOR);
    a.use();
    const intake = await createIntake({ id: 'x', name: '王芳' });
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '异响' });
    dropNextPushAnswer = true;
    // The push step fails (no answer); the run goes on with its other steps.
    expect((await a.sync()).errors).toMatchObject([{ phase: 'push', error: { kind: 'offline' } }]);
    // The server has it; the tablet does not know. The advisor keeps typing.
    a.use();
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '异响，刹车时更明显' });
    const r = await a.sync();
    expect(r.push.conflicts).toBe(0);
    expect(await a.db.outbox.count()).toBe(0);
    await b.sync();
    b.use();
    expect((await getIntake(intake.id))?.complaint.symptom).toBe('异响，刹车时更明显');
  });

  it('a draft edited on B after A signed it elsewhere: the edit is quarantined with its reason, never lost', async () => {
    const a = await tablet('A5', DEMO_ADVISOR);
    const b = await tablet('B5', DEMO_ADVISOR);
    a.use();
    const intake = await createIntake({ id: 'x', name: '王芳' });
    await a.sync();
    await b.sync();
    a.use();
    await signLocal(intake.id);
    await a.sync();
    b.use();
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '迟到的修改' });
    await b.sync();
    b.use();
    expect((await getIntake(intake.id))?.status).toBe('signed');
    const q = await b.db.quarantine.toArray();
    expect(q).toHaveLength(1);
    expect(q[0]?.mutation.op === 'patch' && (q[0].mutation.value as { symptom: string }).symptom).toBe('迟到的修改');
    expect(q[0]?.reason).toMatch(/sign/i);
  });

  it("a technician-check draft and a handover draft made on A reach B before sign-off, shown there as drafts; B's later edit wins back on A; the sign-off replaces the draft", async () => {
    const a = await tablet('A6', DEMO_MANAGER); // the manager may run every kind's mutators
    const b = await tablet('B6', DEMO_ADVISOR);
    a.use();
    const me = (await loadSession())!.staff;
    const draftIntake = await createIntake({ id: me.id, name: me.name });
    const intake = await signLocal(draftIntake.id);
    const check = await startTechCheck(intake.id, { id: me.id, name: me.name });
    await updateTechCheck(check.id, (c) => ({ ...c, note: '路试异响确认', complaint: { ...c.complaint, roadTest: true } }));
    const handover = await startHandover(intake.id, { id: me.id, name: me.name });
    await updateHandover(handover.id, (h) => ({ ...h, protectionRemoved: true, note: '钥匙两把' }));
    const ra = await a.sync();
    expect(ra.problem).toBeNull();
    expect(ra.push.rejected).toBe(0);
    expect(await a.db.outbox.count()).toBe(0);

    // B pulls: both follow-up records arrive as drafts, with A's latest edits.
    expect((await b.sync()).problem).toBeNull();
    const bCheck = await b.db.techChecks.get(check.id);
    const bHandover = await b.db.handovers.get(handover.id);
    expect(bCheck).toMatchObject({ status: 'draft', contentHash: null, note: '路试异响确认', complaint: { roadTest: true } });
    expect(bHandover).toMatchObject({ status: 'draft', contentHash: null, protectionRemoved: true, note: '钥匙两把' });
    expect(followUpFlagsOf([bCheck!], [bHandover!])).toMatchObject({ checkInProgress: true, checkSigned: false, handedOver: false });

    // B continues the handover; A (no unsent changes) takes B's newer draft on its next pull.
    b.use();
    await updateHandover(handover.id, (h) => ({ ...h, oldPartsShown: true }));
    expect((await b.sync()).push.applied).toBe(1);
    await a.sync();
    expect(await a.db.handovers.get(handover.id)).toMatchObject({ status: 'draft', oldPartsShown: true, note: '钥匙两把' });

    // A signs the check off; on B the signed record replaces the draft.
    a.use();
    const shown = techCheckHash((await a.db.techChecks.get(check.id))!);
    const signedCheck = await signTechCheck(check.id, shown, { staffId: me.id, name: me.name });
    expect((await a.sync()).push.rejected).toBe(0);
    await b.sync();
    expect(await b.db.techChecks.get(check.id)).toEqual(signedCheck);
    expect(followUpFlagsOf([signedCheck], [])).toMatchObject({ checkSigned: true });
    expect(await b.db.quarantine.count()).toBe(0);
  });
});

describe('device session and PIN switch against the real server', () => {
  it('switches user with a PIN (proven to the server), then syncs as that user', async () => {
    const a = await tablet('P1', DEMO_ADVISOR);
    a.use();
    // The manager: a role that may create intakes (src/model/roles.ts; a technician may not).
    const staff = (await a.db.kv.get('auth.staff'))?.value as { id: string; username: string }[];
    const mgrId = staff.find((s) => s.username === DEMO_MANAGER.username)!.id;
    const r = await switchStaff(mgrId, DEMO_MANAGER.pin);
    expect(r).toMatchObject({ ok: true, serverVerified: true });
    const s = (await loadSession())!;
    expect(s.staff.id).toBe(mgrId);
    expect(serverActingStaffId(s)).toBe(mgrId);
    await createIntake({ id: mgrId, name: s.staff.name });
    const res = await a.sync();
    expect(res.push.applied).toBe(1);
  });

  it('wrong PINs lock the staff member on the tablet (persisted) and the previous user stays', async () => {
    const a = await tablet('P2', DEMO_ADVISOR);
    a.use();
    const staff = (await a.db.kv.get('auth.staff'))?.value as { id: string; username: string }[];
    const mgrId = staff.find((s) => s.username === DEMO_MANAGER.username)!.id;
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await switchStaff(mgrId, '0000'));
    expect(results.slice(0, 4).map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['wrong', 'wrong', 'wrong', 'wrong']);
    expect(results[4]).toMatchObject({ ok: false, reason: 'locked' });
    // Even the right PIN is refused while locked.
    expect(await switchStaff(mgrId, DEMO_MANAGER.pin)).toMatchObject({ ok: false, reason: 'locked' });
    expect((await pinLockOf(mgrId)).lockedUntil).not.toBeNull();
    expect((await loadSession())?.staff.name).toBe(DEMO_ADVISOR.name);
  });
});
