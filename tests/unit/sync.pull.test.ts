import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, getIntake, updateSection } from '../../src/store/intakeWrites';
import { newIntake } from '../../src/model/intake/newIntake';
import type { Intake } from '../../src/model/intake/schema';
import { SECTIONS } from '../../src/model/intake/schema';
import { contentHash } from '../../src/model/intake/signedContent';
import { sha256Hex } from '../../src/shared/sha256';
import { mergePulled } from '../../src/sync/mergePulled';
import { pullChanges, readCursor } from '../../src/sync/pullChanges';
import { pushOutbox } from '../../src/sync/pushOutbox';
import { pullStep } from '../../src/sync/syncOnce';
import { SyncError } from '../../src/sync/syncErrors';
import { downloadPhotos } from '../../src/sync/downloadPhotos';
import { resolveConflict } from '../../src/sync/resolveConflict';
import { readWanted } from '../../src/store/photoQueue';
import { fakeApi, pngBytes } from './syncFakes';
import { recordReads } from './dbReads';
import { savePhoto } from '../../src/store/photoStore';

const advisor = { id: 'adv-1', name: '李顾问' };
const other = { id: 'adv-2', name: '王顾问' };
const revsAll = (n: number) => Object.fromEntries(SECTIONS.map((s) => [s, n]));

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

function signedCopy(i: Intake): Intake {
  const hash = contentHash(i);
  const at = new Date().toISOString();
  return {
    ...i,
    status: 'signed',
    contentHash: hash,
    signedAt: at,
    updatedAt: at,
    signatures: [{ role: 'customer', name: 'c', strokes: [{ points: [{ x: 1, y: 1, time: 1 }] }], width: 10, height: 10, signedAt: at, contentHash: hash }],
  };
}

describe('mergePulled (the rules as a table)', () => {
  const local = { ...newIntake({ advisor }), customer: { name: '本机', salutation: '', mobile: '' } };
  const server: Intake = {
    ...local,
    customer: { name: '服务器', salutation: '', mobile: '' },
    vehicle: { ...local.vehicle, plate: '京A12345' },
    updatedAt: new Date(Date.parse(local.updatedAt) + 1000).toISOString(),
  };
  const none = new Set<never>();
  it.each([
    ['not on this tablet → server', undefined, server, none, none, '服务器', '京A12345'],
    ['no local changes → server', local, server, none, none, '服务器', '京A12345'],
    ['pending customer patch → keep local customer, take vehicle', local, server, new Set(['customer'] as const), none, '本机', '京A12345'],
    ['open conflict on customer → keep local customer', local, server, none, new Set(['customer'] as const), '本机', '京A12345'],
  ] as const)('%s', (_name, l, s, pending, conflicts, name, plate) => {
    const out = mergePulled({ local: l, localRevs: { customer: 1, vehicle: 1 }, server: s, serverRevs: { customer: 2, vehicle: 2 }, pendingSections: pending, conflictSections: conflicts });
    expect(out.intake.customer.name).toBe(name);
    expect(out.intake.vehicle.plate).toBe(plate);
    // Kept sections keep their old merge base; taken ones get the server's.
    expect(out.revs.vehicle).toBe(2);
    expect(out.revs.customer).toBe(name === '本机' ? 1 : 2);
  });

  it('signed on the server wins over a local draft', () => {
    const out = mergePulled({ local, localRevs: {}, server: signedCopy(server), serverRevs: {}, pendingSections: new Set(['customer']), conflictSections: new Set() });
    expect(out.intake.status).toBe('signed');
    expect(out.intake.customer.name).toBe('服务器');
    expect(out.serverSigned).toBe(true);
  });

  it('signed here but not yet on the server: the local record stays whole', () => {
    const mine = signedCopy(local);
    const out = mergePulled({ local: mine, localRevs: {}, server, serverRevs: {}, pendingSections: new Set(), conflictSections: new Set() });
    expect(out.intake).toBe(mine);
  });
});

describe('pull', () => {
  it('stores new records, the section revisions and the cursor in one go; follows `more`', async () => {
    const db = getDb();
    const a = newIntake({ advisor: other });
    const b = newIntake({ advisor: other });
    const api = fakeApi();
    api.pages = [
      { changes: [{ seq: 1, intake: a, sectionRevs: revsAll(1), missingPhotos: [] }], cursor: 1, more: true },
      { changes: [{ seq: 2, intake: b, sectionRevs: revsAll(1), missingPhotos: [] }], cursor: 2, more: false },
    ];
    const s = await pullChanges({ db, api });
    expect(s.received).toBe(2);
    expect(api.pulls).toEqual([0, 1]);
    expect(await readCursor(db)).toBe(2);
    expect((await getIntake(a.id))?.advisor.name).toBe('王顾问');
    expect((await db.summaries.get(b.id))?.advisorName).toBe('王顾问');
    expect((await db.sectionRevs.get(a.id))?.revs.customer).toBe(1);
    await pullChanges({ db, api });
    expect(api.pulls).toEqual([0, 1, 2]);
  });

  it('asks for the vehicle index only when the records cursor moved since its last full pull (vehicles come from intakes)', async () => {
    const db = getDb();
    const api = fakeApi();
    const vehiclePulls: number[] = [];
    api.pullVehicles = async (since) => {
      vehiclePulls.push(since);
      return { vehicles: [], cursor: since, more: false };
    };
    await pullStep({ db, api });
    expect(vehiclePulls).toEqual([0]); // the first pull of this page's life always asks
    await pullStep({ db, api });
    expect(vehiclePulls).toEqual([0]); // nothing changed: no request
    api.pages = [{ changes: [{ seq: 7, intake: newIntake({ advisor: other }), sectionRevs: revsAll(1), missingPhotos: [] }], cursor: 7, more: false }];
    await pullStep({ db, api });
    expect(vehiclePulls).toEqual([0, 0]); // a record changed: the index is asked again
    // A failed index pull is asked again next time even though the records did not move.
    api.pullVehicles = async () => {
      throw new SyncError('offline', 'fetch failed');
    };
    api.pages = [{ changes: [{ seq: 8, intake: newIntake({ advisor: other }), sectionRevs: revsAll(1), missingPhotos: [] }], cursor: 8, more: false }];
    await expect(pullStep({ db, api })).rejects.toThrow();
    api.pullVehicles = async (since) => {
      vehiclePulls.push(since);
      return { vehicles: [], cursor: since, more: false };
    };
    await pullStep({ db, api });
    expect(vehiclePulls).toEqual([0, 0, 0]);
  });

  it('keeps sections with unsent local edits and takes the server for the others', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    const api = fakeApi();
    await pushOutbox({ db, api }); // create acknowledged
    await updateSection(a.id, 'complaint', { ...a.complaint, symptom: '本机：异响' });
    const server: Intake = { ...a, complaint: { ...a.complaint, symptom: '服务器' }, vehicle: { ...a.vehicle, plate: '沪C11111' } };
    api.pages = [{ changes: [{ seq: 5, intake: server, sectionRevs: { ...revsAll(1), complaint: 2, vehicle: 2 }, missingPhotos: [] }], cursor: 5, more: false }];
    await pullChanges({ db, api });
    const local = await getIntake(a.id);
    expect(local?.complaint.symptom).toBe('本机：异响');
    expect(local?.vehicle.plate).toBe('沪C11111');
    expect((await db.sectionRevs.get(a.id))?.revs.vehicle).toBe(2);
    // The unsent patch is untouched and still based on what this tablet last saw.
    const patch = (await db.outbox.toArray()).find((e) => e.op === 'patch');
    expect(patch?.mutation.op === 'patch' && patch.mutation.value).toMatchObject({ symptom: '本机：异响' });
  });

  it('a record signed elsewhere replaces the local draft; open conflicts move to quarantine, not away', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await db.conflicts.put({ key: `${a.id}:customer`, intakeId: a.id, section: 'customer', mine: { name: '本机', salutation: '', mobile: '' }, theirs: a.customer, theirsRev: 1, at: new Date().toISOString() });
    const api = fakeApi();
    api.pages = [{ changes: [{ seq: 3, intake: signedCopy(a), sectionRevs: revsAll(1), missingPhotos: [] }], cursor: 3, more: false }];
    await pullChanges({ db, api });
    expect((await getIntake(a.id))?.status).toBe('signed');
    expect(await db.conflicts.count()).toBe(0);
    const q = await db.quarantine.toArray();
    expect(q).toHaveLength(1);
    expect(q[0]?.mutation.op === 'patch' && q[0].mutation.value).toEqual({ name: '本机', salutation: '', mobile: '' });
  });

  it('an open conflict follows the server when it moves on again', async () => {
    const db = getDb();
    const a = await createIntake(advisor);
    await db.conflicts.put({ key: `${a.id}:customer`, intakeId: a.id, section: 'customer', mine: a.customer, theirs: { name: 'v2', salutation: '', mobile: '' }, theirsRev: 2, at: new Date().toISOString() });
    const api = fakeApi();
    const server = { ...a, customer: { name: 'v3', salutation: '', mobile: '' } };
    api.pages = [{ changes: [{ seq: 4, intake: server, sectionRevs: { ...revsAll(1), customer: 3 }, missingPhotos: [] }], cursor: 4, more: false }];
    await pullChanges({ db, api });
    expect(await db.conflicts.get(`${a.id}:customer`)).toMatchObject({ theirs: { name: 'v3' }, theirsRev: 3 });
    expect((await getIntake(a.id))?.customer.name).toBe('');
  });

  it('a pulled record whose photos this tablet holds queues nothing, and the pull never reads photo bytes', async () => {
    const db = new WalkaroundDB(`t-${crypto.randomUUID()}`);
    const log = recordReads(db);
    useDatabase(db);
    const a = newIntake({ advisor: other });
    const held = await savePhoto({ intakeId: a.id, bytes: pngBytes(21), type: 'image/png', width: 1, height: 1 });
    const missing = sha256Hex(pngBytes(22));
    a.cabin.items[Object.keys(a.cabin.items)[0]!] = { status: 'issue', note: '', photos: [held.hash, missing] };
    const api = fakeApi();
    api.pages = [{ changes: [{ seq: 1, intake: a, sectionRevs: revsAll(1), missingPhotos: [missing] }], cursor: 1, more: false }];
    log.reset();
    await pullChanges({ db, api });
    expect(await readWanted(db)).toEqual({ [missing]: a.id });
    expect(log.tables.has('photos')).toBe(false);
  });

  it('queues photos of pulled records and downloads them verified; a photo not on the server yet waits', async () => {
    const db = getDb();
    const bytes = pngBytes(7);
    const hash = sha256Hex(bytes);
    const later = sha256Hex(pngBytes(8));
    const a = newIntake({ advisor: other });
    const first = Object.keys(a.cabin.items)[0]!;
    a.cabin.items[first] = { status: 'issue', note: '', photos: [hash, later] };
    const api = fakeApi();
    api.blobs.set(hash, { bytes, type: 'image/png' });
    api.pages = [{ changes: [{ seq: 1, intake: a, sectionRevs: revsAll(1), missingPhotos: [later] }], cursor: 1, more: false }];
    await pullChanges({ db, api });
    expect(Object.keys(await readWanted(db)).sort()).toEqual([hash, later].sort());
    const r = await downloadPhotos({ db, api });
    expect(r).toMatchObject({ downloaded: 1, waiting: 1 });
    const p = await db.photos.get(hash);
    expect((await db.photoMeta.get(hash))?.uploaded).toBe(1);
    expect(sha256Hex(p!.bytes)).toBe(hash);
    expect(Object.keys(await readWanted(db))).toEqual([later]);
    // A damaged download is not stored.
    api.blobs.set(later, { bytes: pngBytes(9), type: 'image/png' });
    const r2 = await downloadPhotos({ db, api });
    expect(r2.problem?.kind).toBe('photo');
    expect(await db.photos.get(later)).toBeUndefined();
  });
});

describe('resolving a conflict', () => {
  it.each(['mine', 'theirs'] as const)('"%s" writes the value and a patch based on the server revision, together', async (choice) => {
    const db = getDb();
    const a = await createIntake(advisor);
    await db.outbox.clear();
    await updateSection(a.id, 'customer', { name: '本机', salutation: '', mobile: '' });
    await db.outbox.clear();
    const theirs = { name: '对方', salutation: '先生', mobile: '' };
    await db.conflicts.put({ key: `${a.id}:customer`, intakeId: a.id, section: 'customer', mine: { name: '本机', salutation: '', mobile: '' }, theirs, theirsRev: 6, at: new Date().toISOString() });
    await resolveConflict(a.id, 'customer', choice);
    const expected = choice === 'mine' ? { name: '本机', salutation: '', mobile: '' } : theirs;
    expect((await getIntake(a.id))?.customer).toEqual(expected);
    const out = await db.outbox.toArray();
    expect(out).toHaveLength(1);
    expect(out[0]?.mutation).toMatchObject({ op: 'patch', section: 'customer', value: expected, baseRev: 6 });
    expect(await db.conflicts.count()).toBe(0);
  });
});
