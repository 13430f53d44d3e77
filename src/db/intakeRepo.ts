/**
 * Local intake operations: the only way screens change an intake.
 *
 * Every change writes the record and its outbox mutation in ONE Dexie transaction (SYNC.md #1),
 * so a change is either fully recorded for sync or not made at all. Nothing async that is not
 * Dexie (hashing, image work, fetch) runs inside a transaction: hashes are computed before.
 *
 * Offline: everything here works with no network; the sync engine (src/sync) later pushes the
 * outbox. A signed intake is frozen: updateSection refuses it, only amendments may be added.
 */
import type { Intake, SectionName, SectionValue, Signature, Amendment } from '../model/intake/schema';
import { SECTIONS } from '../model/intake/sections';
import { newId, newIntake } from '../model/intake/newIntake';
import { contentHash } from '../model/intake/signedContent';
import type { Mutation } from '../shared/protocol';
import { getDb, type OutboxEntry } from '../store/db';
import { putIntakeRecord } from '../store/summaries';

export class SignedRecordError extends Error {
  constructor(id: string) {
    super(`Intake ${id} is signed and can no longer be changed; add an amendment instead.`);
    this.name = 'SignedRecordError';
  }
}

/** A section edited on two tablets is still waiting for a person to choose: signing must wait. */
export class OpenConflictError extends Error {
  constructor(n: number) {
    super(`${n} section(s) of this intake were changed on another tablet; resolve them before signing.`);
    this.name = 'OpenConflictError';
  }
}

export class StaleSignatureError extends Error {
  constructor() {
    super('The intake changed after the summary was shown; review it again before signing.');
    this.name = 'StaleSignatureError';
  }
}

function nowIso(): string {
  return new Date().toISOString();
}

function outboxEntry(mutation: Mutation, section: SectionName | null): OutboxEntry {
  return {
    mutationId: mutation.id,
    intakeId: mutation.intakeId,
    op: mutation.op,
    section,
    mutation,
    state: 'pending',
    createdAt: mutation.at,
    attempts: 0,
    lastError: null,
  };
}

export async function createIntake(advisor: { id: string; name: string }): Promise<Intake> {
  const db = getDb();
  const intake = newIntake({ advisor });
  const mutation: Mutation = { id: newId(), op: 'create', intakeId: intake.id, at: intake.createdAt, intake };
  await db.transaction('rw', db.intakes, db.summaries, db.outbox, async () => {
    await putIntakeRecord(db, intake);
    await db.outbox.add(outboxEntry(mutation, null));
  });
  return intake;
}

export async function getIntake(id: string): Promise<Intake | undefined> {
  return getDb().intakes.get(id);
}

/**
 * Replace one section of a draft (autosave). If an unsent patch of the same section is waiting
 * in the outbox, it is updated in place, so typing a long complaint produces one mutation, not
 * hundreds. An entry already being sent is never touched; a new one is queued behind it.
 */
export async function updateSection<S extends SectionName>(id: string, section: S, value: SectionValue<S>): Promise<Intake> {
  if (!SECTIONS.includes(section)) throw new Error(`unknown section ${section}`);
  const db = getDb();
  const at = nowIso();
  return db.transaction('rw', db.intakes, db.summaries, db.outbox, db.sectionRevs, async () => {
    const intake = await db.intakes.get(id);
    if (!intake) throw new Error(`Intake ${id} not found`);
    if (intake.status === 'signed') throw new SignedRecordError(id);
    const next: Intake = { ...intake, [section]: value, updatedAt: at };
    await putIntakeRecord(db, next);
    const pending = await db.outbox.where('[intakeId+section+state]').equals([id, section, 'pending']).first();
    if (pending && pending.mutation.op === 'patch') {
      await db.outbox.update(pending.seq as number, { mutation: { ...pending.mutation, value, at } });
    } else {
      const revs = await db.sectionRevs.get(id);
      const mutation: Mutation = { id: newId(), op: 'patch', intakeId: id, at, section, value, baseRev: revs?.revs[section] ?? null };
      await db.outbox.add(outboxEntry(mutation, section));
    }
    return next;
  });
}

/**
 * Sign: bind the signatures to the SHA-256 of the content that was shown (`shownHash`). The hash
 * is computed before the transaction; inside it the record is re-read and re-hashed cheaply by
 * comparing to the value shown, so a change made in between is refused rather than signed.
 */
export async function signIntake(id: string, shownHash: string, signatures: Signature[]): Promise<Intake> {
  const db = getDb();
  const before = await db.intakes.get(id);
  if (!before) throw new Error(`Intake ${id} not found`);
  if (before.status === 'signed') throw new SignedRecordError(id);
  const hash = contentHash(before);
  if (hash !== shownHash) throw new StaleSignatureError();
  for (const s of signatures) if (s.contentHash !== hash) throw new StaleSignatureError();
  // The schema is loaded only when signing, keeping zod off the first screen.
  const { intakeSchema } = await import('../model/intake/schema');
  const at = nowIso();
  return db.transaction('rw', [db.intakes, db.summaries, db.outbox, db.conflicts], async () => {
    const current = await db.intakes.get(id);
    if (!current) throw new Error(`Intake ${id} not found`);
    if (current.status === 'signed') throw new SignedRecordError(id);
    if (current.updatedAt !== before.updatedAt) throw new StaleSignatureError();
    const open = await db.conflicts.where('intakeId').equals(id).count();
    if (open > 0) throw new OpenConflictError(open);
    const signed: Intake = intakeSchema.parse({ ...current, status: 'signed', contentHash: hash, signedAt: at, signatures, updatedAt: at });
    await putIntakeRecord(db, signed);
    const { status: _s, updatedAt: _u, contentHash: _h, signedAt: _a, signatures: _sig, amendments: _am, ...content } = signed;
    const mutation: Mutation = { id: newId(), op: 'sign', intakeId: id, at, content, contentHash: hash, signatures, signedAt: at };
    await db.outbox.add(outboxEntry(mutation, null));
    return signed;
  });
}

/** Corrections after signing: an amendment that references the signed hash; the content stays. */
export async function addAmendment(id: string, by: { id: string; name: string }, text: string): Promise<Intake> {
  const db = getDb();
  const at = nowIso();
  return db.transaction('rw', db.intakes, db.summaries, db.outbox, async () => {
    const intake = await db.intakes.get(id);
    if (!intake) throw new Error(`Intake ${id} not found`);
    if (intake.status !== 'signed' || !intake.contentHash) throw new Error('Only a signed intake takes amendments; edit the draft instead.');
    const amendment: Amendment = { id: newId(), at, by, text, refersTo: intake.contentHash };
    const next: Intake = { ...intake, amendments: [...intake.amendments, amendment], updatedAt: at };
    await putIntakeRecord(db, next);
    await db.outbox.add(outboxEntry({ id: newId(), op: 'amend', intakeId: id, at, amendment }, null));
    return next;
  });
}
