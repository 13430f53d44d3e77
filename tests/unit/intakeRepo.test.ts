import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { addAmendment, createIntake, getIntake, signIntake, updateSection } from '../../src/store/intakeWrites';
import { createReadyDraft } from '../fixtures/readyStored';
import { contentHash } from '../../src/model/intake/signedContent';
import type { Signature } from '../../src/model/intake/schema';
import { filterSummaries } from '../../src/store/intakeList';
import { savePhoto } from '../../src/store/photoStore';
import { sha256Hex } from '../../src/shared/sha256';

const advisor = { id: 'adv-1', name: '李顾问' };

function sig(role: Signature['role'], hash: string): Signature {
  return {
    role,
    name: role,
    strokes: [{ points: [{ x: 1, y: 1, time: 1 }, { x: 50, y: 30, time: 2 }] }],
    width: 600,
    height: 300,
    signedAt: new Date().toISOString(),
    contentHash: hash,
  };
}

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

describe('intake repository', () => {
  it('creates a draft and its create mutation together', async () => {
    const intake = await createIntake(advisor);
    const db = getDb();
    expect((await getIntake(intake.id))?.status).toBe('draft');
    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.op).toBe('create');
    expect((await db.summaries.get(intake.id))?.advisorName).toBe('李顾问');
  });

  it('coalesces autosaves of one section into one pending patch, but never into one being sent', async () => {
    const intake = await createIntake(advisor);
    const db = getDb();
    await updateSection(intake.id, 'customer', { name: '王', salutation: '', mobile: '' });
    await updateSection(intake.id, 'customer', { name: '王五', salutation: '', mobile: '' });
    let patches = (await db.outbox.toArray()).filter((e) => e.op === 'patch');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.mutation.op === 'patch' && patches[0].mutation.value).toEqual({ name: '王五', salutation: '', mobile: '' });

    await db.outbox.update(patches[0]?.seq as number, { state: 'sending' });
    await updateSection(intake.id, 'customer', { name: '王五六', salutation: '', mobile: '' });
    patches = (await db.outbox.toArray()).filter((e) => e.op === 'patch');
    expect(patches).toHaveLength(2);
    const sending = patches.find((p) => p.state === 'sending');
    expect(sending?.mutation.op === 'patch' && sending.mutation.value).toEqual({ name: '王五', salutation: '', mobile: '' });
  });

  it('takes the base revision of the section from the last sync', async () => {
    const intake = await createIntake(advisor);
    const db = getDb();
    await db.sectionRevs.put({ intakeId: intake.id, revs: { vehicle: 7 } });
    await updateSection(intake.id, 'vehicle', { ...intake.vehicle, plate: '京A12345' });
    const patch = (await db.outbox.toArray()).find((e) => e.op === 'patch');
    expect(patch?.mutation.op === 'patch' && patch.mutation.baseRev).toBe(7);
  });

  it('keeps the list summary in step and searchable', async () => {
    const a = await createIntake(advisor);
    await updateSection(a.id, 'vehicle', { ...a.vehicle, plate: '粤B12345' });
    await updateSection(a.id, 'customer', { name: '张三', salutation: '张先生', mobile: '13800138000' });
    const b = await createIntake(advisor);
    await updateSection(b.id, 'vehicle', { ...b.vehicle, plate: '京C54321' });
    const rows = await getDb().summaries.toArray();
    expect(filterSummaries(rows, 'all', '粤b').map((r) => r.id)).toEqual([a.id]);
    expect(filterSummaries(rows, 'all', '张三').map((r) => r.id)).toEqual([a.id]);
    expect(filterSummaries(rows, 'all', '138 0013').map((r) => r.id)).toEqual([a.id]);
    expect(filterSummaries(rows, 'drafts', '')).toHaveLength(2);
    expect(filterSummaries(rows, 'signed', '')).toHaveLength(0);
  });

  it('signs only what was shown, then freezes the record', async () => {
    const intake = await createReadyDraft(advisor);
    const shown = contentHash((await getIntake(intake.id))!);
    const signed = await signIntake(intake.id, shown, [sig('customer', shown), sig('advisor', shown)]);
    expect(signed.status).toBe('signed');
    expect(signed.contentHash).toBe(shown);
    expect(contentHash(signed)).toBe(shown);
    await expect(updateSection(intake.id, 'customer', { name: 'x', salutation: '', mobile: '' })).rejects.toMatchObject({ code: 'record.frozen' });
    const ops = (await getDb().outbox.toArray()).map((e) => e.op);
    expect(ops).toEqual(['create', 'sign']);
  });

  it('refuses to sign a record that changed after it was shown', async () => {
    const intake = await createIntake(advisor);
    const shown = contentHash((await getIntake(intake.id))!);
    await updateSection(intake.id, 'complaint', { ...intake.complaint, symptom: '异响' });
    await expect(signIntake(intake.id, shown, [sig('customer', shown)])).rejects.toMatchObject({ code: 'record.stale' });
    expect((await getIntake(intake.id))?.status).toBe('draft');
  });

  it('adds amendments that reference the signed hash, leaving the content untouched', async () => {
    const intake = await createReadyDraft(advisor);
    await expect(addAmendment(intake.id, advisor, 'x')).rejects.toThrow();
    const shown = contentHash((await getIntake(intake.id))!);
    await signIntake(intake.id, shown, [sig('customer', shown)]);
    const amended = await addAmendment(intake.id, advisor, '顾客补充：后备箱有雨伞');
    expect(amended.amendments[0]?.refersTo).toBe(shown);
    expect(contentHash(amended)).toBe(shown);
  });
});

describe('photo store', () => {
  it('stores bytes with their hash and verifies the read-back', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]).buffer;
    const p = await savePhoto({ intakeId: 'i', bytes, type: 'image/jpeg', width: 1, height: 1 });
    expect(p.hash).toBe(sha256Hex(bytes));
    expect((await getDb().photoMeta.get(p.hash))?.uploaded).toBe(0);
    const again = await savePhoto({ intakeId: 'i', bytes, type: 'image/jpeg', width: 1, height: 1 });
    expect(again.hash).toBe(p.hash);
    expect(await getDb().photos.count()).toBe(1);
  });
});

describe('signing needs a complete record', () => {
  it('refuses an incomplete record in the store: nothing is written, no outbox entry', async () => {
    const intake = await createIntake(advisor);
    const shown = contentHash((await getIntake(intake.id))!);
    await expect(signIntake(intake.id, shown, [sig('customer', shown)])).rejects.toMatchObject({ code: 'record.incomplete' });
    expect((await getIntake(intake.id))?.status).toBe('draft');
    expect((await getDb().outbox.toArray()).map((e) => e.op)).toEqual(['create']);
  });

  it('refuses an empty damage entry, naming it, until it is filled in', async () => {
    const intake = await createReadyDraft(advisor);
    const empty = { id: 'f-empty', positionId: 'lf', itemId: '', type: '', severity: '', marker: { x: 0.2, y: 0.3 }, photos: [], note: '', createdAt: intake.createdAt, foundAt: 'intake' as const };
    await updateSection(intake.id, 'walkaround', { ...intake.walkaround, findings: [empty] });
    const shown = contentHash((await getIntake(intake.id))!);
    const err = await signIntake(intake.id, shown, [sig('customer', shown)]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'record.incomplete' });
    expect(String((err as Error).message)).toContain('ready.finding:f-empty');
    expect((await getIntake(intake.id))?.status).toBe('draft');
  });
});

describe('signing waits for open conflicts', () => {
  it('refuses to sign while a section conflict is unresolved', async () => {
    const intake = await createIntake(advisor);
    await getDb().conflicts.put({ key: `${intake.id}:customer`, intakeId: intake.id, section: 'customer', mine: {}, theirs: {}, theirsRev: 2, at: new Date().toISOString() });
    const shown = contentHash((await getIntake(intake.id))!);
    await expect(signIntake(intake.id, shown, [sig('customer', shown)])).rejects.toMatchObject({ code: 'record.openConflicts' });
    expect((await getIntake(intake.id))?.status).toBe('draft');
  });
});
