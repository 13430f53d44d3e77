/**
 * Existing tablets upgrade in place: a database filled at version 2 (the schema tablets have in
 * the field today, with the store declarations of versions 1 and 2) opens at the new version
 * with every record, draft, outbox entry, photo, conflict, quarantine row and kv entry intact,
 * and the outbox entries now name their record (kind + id) so autosave and pull can use them;
 * every photo gets its bookkeeping row (v4 photoMeta) with its uploaded mark.
 */
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { STORES_V1, STORES_V2, WalkaroundDB } from '../../src/store/db';
import { summaryOf } from '../../src/store/summaries';
import { newIntake } from '../../src/model/intake/newIntake';
import { newTechCheck, techCheckHash } from '../../src/model/techCheck/schema';
import { newHandover } from '../../src/model/handover/schema';
import type { Mutation } from '../../src/shared/protocol';
import { HASH_A, signedIntake } from '../fixtures/followFixtures';

function openV2(name: string): Dexie {
  const db = new Dexie(name);
  db.version(1).stores(STORES_V1);
  db.version(2).stores(STORES_V2);
  return db;
}

describe('Dexie upgrade v2 → v3', () => {
  it('keeps every row and gives outbox entries their record kind and id', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    const draft = newIntake({ advisor: { id: 'a1', name: '李顾问' } });
    const signed = signedIntake();
    const check = newTechCheck({ id: crypto.randomUUID(), intake: signed, technician: { id: 't1', name: '张师傅' } });
    const hash = techCheckHash(check);
    const signedCheck = { ...check, status: 'signed' as const, contentHash: hash, signedAt: check.createdAt, signoff: { role: 'technician' as const, staffId: 't1', name: '张师傅', method: 'pin' as const, signedAt: check.createdAt, contentHash: hash } };
    const handover = newHandover({ id: crypto.randomUUID(), intake: signed, techCheck: signedCheck, advisor: { id: 'a1', name: '李顾问' } });
    const at = new Date().toISOString();
    const create: Mutation = { id: crypto.randomUUID(), op: 'create', intakeId: draft.id, at, intake: draft };
    const patch: Mutation = { id: crypto.randomUUID(), op: 'patch', intakeId: draft.id, at, section: 'customer', value: draft.customer, baseRev: 3 };
    const tcMutation: Mutation = { id: crypto.randomUUID(), op: 'techCheck', intakeId: signed.id, at, techCheck: signedCheck };
    const entry = (m: Mutation, section: 'customer' | null, state: 'pending' | 'sending') => ({ mutationId: m.id, intakeId: m.intakeId, op: m.op, section, mutation: m, state, createdAt: at, attempts: 1, lastError: null });
    const bytes = new Uint8Array([1, 2, 3, 4]).buffer;
    const rows = {
      intakes: [draft, signed],
      summaries: [summaryOf(draft), summaryOf(signed)],
      sectionRevs: [{ intakeId: draft.id, revs: { customer: 3 } }],
      outbox: [entry(create, null, 'sending'), entry(patch, 'customer', 'pending'), entry(tcMutation, null, 'pending')],
      quarantine: [{ mutationId: crypto.randomUUID(), intakeId: draft.id, mutation: patch, reason: 'refused', at }],
      conflicts: [{ key: `${draft.id}:vehicle`, intakeId: draft.id, section: 'vehicle', mine: draft.vehicle, theirs: { ...draft.vehicle, plate: '京A1' }, theirsRev: 2, at }],
      photos: [{ hash: HASH_A, intakeId: signed.id, type: 'image/jpeg', bytes, width: 2, height: 2, size: 4, createdAt: at, uploaded: 0 }],
      kv: [{ key: 'sync.cursor', value: 42 }],
      techChecks: [signedCheck],
      handovers: [handover],
    };
    const old = openV2(name);
    await old.open();
    for (const [table, list] of Object.entries(rows)) await old.table(table).bulkAdd(list);
    const before: Record<string, unknown[]> = {};
    for (const table of Object.keys(rows)) before[table] = await old.table(table).toArray();
    old.close();

    const db = new WalkaroundDB(name);
    await db.open();
    expect(db.verno).toBe(6); // v5 (vehicle index) and v6 (appointments) add tables and an index, move nothing
    for (const table of Object.keys(rows)) {
      const after = await db.table(table).toArray();
      if (table === 'outbox') continue;
      expect(after, table).toEqual(before[table]);
    }
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox).toEqual(
      (before.outbox as Record<string, unknown>[]).map((e, i) => ({ ...e, ...[{ kind: 'intake', recordId: draft.id }, { kind: 'intake', recordId: draft.id }, { kind: 'techCheck', recordId: signedCheck.id }][i] })),
    );
    expect(new Uint8Array((await db.photos.get(HASH_A))?.bytes ?? new ArrayBuffer(0))).toEqual(new Uint8Array([1, 2, 3, 4]));
    // The new indexes work on upgraded rows: autosave finds the unsent patch of its section.
    expect((await db.outbox.where('[recordId+section+state]').equals([draft.id, 'customer', 'pending']).first())?.mutationId).toBe(patch.id);
    expect(await db.outbox.where('recordId').equals(signedCheck.id).count()).toBe(1);
    // v4: every photo has its bookkeeping row, uploaded mark carried over; the bytes row untouched.
    expect(await db.photoMeta.toArray()).toEqual([{ hash: HASH_A, intakeId: signed.id, size: 4, createdAt: at, uploaded: 0 }]);
    expect(await db.photoMeta.where('uploaded').equals(0).primaryKeys()).toEqual([HASH_A]);
    // v5: the appointments table is there, empty, its date index usable.
    expect(await db.appointments.where('date').equals('2026-12-01').count()).toBe(0);
    db.close();
  });
});
