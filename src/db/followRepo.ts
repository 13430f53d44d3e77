/**
 * Local operations on the follow-up records of a signed intake: the technician's check (验收) and
 * the handover walk (交车). The only way screens change them.
 *
 * They are their OWN records (tables techChecks, handovers), linked to the intake by id and by
 * the intake's signed content hash; the signed intake is never touched.
 *
 * What is synced, and when: a draft lives on the tablet where it is being made (one person, a few
 * minutes, beside the car; autosaved on every change, so a closed tab loses nothing). Signing
 * writes the frozen record and its outbox mutation (op 'techCheck' / 'handover', carrying the
 * full signed record) in ONE Dexie transaction (SYNC.md #1); hashing happens before it. After
 * signing nothing may change: updates are refused here, and the server refuses a second,
 * different record under the same id.
 *
 * Offline: everything here works with no network. Pulled records from other tablets arrive
 * through applyPulledTechCheck / applyPulledHandover (called by the sync engine), verified by hash.
 */
import { newId } from '../model/intake/newIntake';
import type { Mutation } from '../shared/protocol';
import type { Signature } from '../model/intake/schema';
import { newTechCheck, techCheckHash, techCheckSchema, type TechCheck } from '../model/techCheck/schema';
import { handoverHash, handoverSchema, newHandover, type Handover } from '../model/handover/schema';
import { getDb, type OutboxEntry } from '../store/db';

export class FrozenFollowRecordError extends Error {
  constructor(kind: string, id: string) {
    super(`${kind} ${id} is signed and can no longer be changed.`);
    this.name = 'FrozenFollowRecordError';
  }
}

export class StaleFollowSignatureError extends Error {
  constructor() {
    super('The record changed after it was shown; review it again before signing.');
    this.name = 'StaleFollowSignatureError';
  }
}

function nowIso(): string {
  return new Date().toISOString();
}

function outboxEntry(mutation: Mutation): OutboxEntry {
  return {
    mutationId: mutation.id,
    intakeId: mutation.intakeId,
    op: mutation.op,
    section: null,
    mutation,
    state: 'pending',
    createdAt: mutation.at,
    attempts: 0,
    lastError: null,
  };
}

// ---------------------------------------------------------------- technician's check

/** The technician's open draft for this intake, or a new one. A signed check is never reopened. */
export async function startTechCheck(intakeId: string, technician: { id: string; name: string }): Promise<TechCheck> {
  const db = getDb();
  return db.transaction('rw', db.intakes, db.techChecks, async () => {
    const intake = await db.intakes.get(intakeId);
    if (!intake) throw new Error(`Intake ${intakeId} not found`);
    const drafts = await db.techChecks.where('intakeId').equals(intakeId).filter((c) => c.status === 'draft' && c.technician.id === technician.id).toArray();
    if (drafts[0]) return drafts[0];
    const check = newTechCheck({ id: newId(), intake, technician });
    await db.techChecks.add(check);
    return check;
  });
}

/** Autosave of a draft check: the updater gets the stored draft and returns the next one. */
export async function updateTechCheck(id: string, update: (draft: TechCheck) => TechCheck): Promise<TechCheck> {
  const db = getDb();
  return db.transaction('rw', db.techChecks, async () => {
    const current = await db.techChecks.get(id);
    if (!current) throw new Error(`Technician check ${id} not found`);
    if (current.status === 'signed') throw new FrozenFollowRecordError('Technician check', id);
    const next: TechCheck = { ...update(current), id, status: 'draft', contentHash: null, signedAt: null, signoff: null, updatedAt: nowIso() };
    await db.techChecks.put(next);
    return next;
  });
}

/** Discard an unsigned draft (a signed check is evidence and is never deleted). */
export async function discardTechCheck(id: string): Promise<void> {
  const db = getDb();
  await db.transaction('rw', db.techChecks, async () => {
    const c = await db.techChecks.get(id);
    if (c?.status === 'signed') throw new FrozenFollowRecordError('Technician check', id);
    await db.techChecks.delete(id);
  });
}

/**
 * Sign off with the technician's name (PIN already verified by the caller). The hash of what was
 * shown (`shownHash`) must equal the stored draft's hash, so a change in between is refused.
 */
export async function signTechCheck(id: string, shownHash: string, by: { staffId: string; name: string }): Promise<TechCheck> {
  const db = getDb();
  const before = await db.techChecks.get(id);
  if (!before) throw new Error(`Technician check ${id} not found`);
  if (before.status === 'signed') throw new FrozenFollowRecordError('Technician check', id);
  const hash = techCheckHash(before); // before the transaction, never inside it
  if (hash !== shownHash) throw new StaleFollowSignatureError();
  const at = nowIso();
  return db.transaction('rw', db.techChecks, db.outbox, async () => {
    const current = await db.techChecks.get(id);
    if (!current) throw new Error(`Technician check ${id} not found`);
    if (current.status === 'signed') throw new FrozenFollowRecordError('Technician check', id);
    if (current.updatedAt !== before.updatedAt) throw new StaleFollowSignatureError();
    const signed = techCheckSchema.parse({
      ...current,
      status: 'signed',
      contentHash: hash,
      signedAt: at,
      updatedAt: at,
      signoff: { role: 'technician', staffId: by.staffId, name: by.name, method: 'pin', signedAt: at, contentHash: hash },
    });
    await db.techChecks.put(signed);
    await db.outbox.add(outboxEntry({ id: newId(), op: 'techCheck', intakeId: signed.intakeId, at, techCheck: signed }));
    return signed;
  });
}

// ---------------------------------------------------------------- handover

/** The open handover draft of this intake (any advisor may continue it), or a new one. */
export async function startHandover(intakeId: string, advisor: { id: string; name: string }): Promise<Handover> {
  const db = getDb();
  return db.transaction('rw', db.intakes, db.techChecks, db.handovers, async () => {
    const intake = await db.intakes.get(intakeId);
    if (!intake) throw new Error(`Intake ${intakeId} not found`);
    const all = await db.handovers.where('intakeId').equals(intakeId).toArray();
    const draft = all.find((h) => h.status === 'draft');
    const checks = await db.techChecks.where('intakeId').equals(intakeId).filter((c) => c.status === 'signed').toArray();
    const latest = checks.sort((a, b) => (b.signedAt ?? '').localeCompare(a.signedAt ?? ''))[0] ?? null;
    if (draft) {
      // A technician's check signed (or synced in) after the handover began: compare against it too.
      if (!latest || draft.techCheckHash === latest.contentHash) return draft;
      const reviews = { ...draft.reviews };
      for (const f of latest.newFindings) reviews[f.id] ??= { status: null, note: '', photos: [] };
      const rebased: Handover = { ...draft, techCheckId: latest.id, techCheckHash: latest.contentHash, reviews, updatedAt: nowIso() };
      await db.handovers.put(rebased);
      return rebased;
    }
    const h = newHandover({ id: newId(), intake, techCheck: latest, advisor });
    await db.handovers.add(h);
    return h;
  });
}

export async function updateHandover(id: string, update: (draft: Handover) => Handover): Promise<Handover> {
  const db = getDb();
  return db.transaction('rw', db.handovers, async () => {
    const current = await db.handovers.get(id);
    if (!current) throw new Error(`Handover ${id} not found`);
    if (current.status === 'signed') throw new FrozenFollowRecordError('Handover', id);
    const next: Handover = { ...update(current), id, status: 'draft', contentHash: null, signedAt: null, signatures: [], updatedAt: nowIso() };
    await db.handovers.put(next);
    return next;
  });
}

/** The customer (and optionally the advisor) sign the handover, bound to its content hash. */
export async function signHandover(id: string, shownHash: string, signatures: Signature[]): Promise<Handover> {
  const db = getDb();
  const before = await db.handovers.get(id);
  if (!before) throw new Error(`Handover ${id} not found`);
  if (before.status === 'signed') throw new FrozenFollowRecordError('Handover', id);
  const hash = handoverHash(before);
  if (hash !== shownHash) throw new StaleFollowSignatureError();
  if (!signatures.some((s) => s.role === 'customer')) throw new Error('The customer must sign the handover.');
  for (const s of signatures) if (s.contentHash !== hash) throw new StaleFollowSignatureError();
  const at = nowIso();
  return db.transaction('rw', db.handovers, db.outbox, async () => {
    const current = await db.handovers.get(id);
    if (!current) throw new Error(`Handover ${id} not found`);
    if (current.status === 'signed') throw new FrozenFollowRecordError('Handover', id);
    if (current.updatedAt !== before.updatedAt) throw new StaleFollowSignatureError();
    const signed = handoverSchema.parse({ ...current, status: 'signed', contentHash: hash, signedAt: at, updatedAt: at, signatures });
    await db.handovers.put(signed);
    await db.outbox.add(outboxEntry({ id: newId(), op: 'handover', intakeId: signed.intakeId, at, handover: signed }));
    return signed;
  });
}

// ---------------------------------------------------------------- from other tablets (sync pull)

export type ApplyResult = 'stored' | 'unchanged' | 'refused';

/**
 * Store a signed check pulled from the server. Refused (and left out) when its hash does not
 * verify or it would replace a different signed record: a signed record is never overwritten.
 */
export async function applyPulledTechCheck(record: TechCheck): Promise<ApplyResult> {
  const parsed = techCheckSchema.safeParse(record);
  if (!parsed.success || parsed.data.status !== 'signed' || parsed.data.contentHash !== techCheckHash(parsed.data)) return 'refused';
  const db = getDb();
  return db.transaction('rw', db.techChecks, async () => {
    const mine = await db.techChecks.get(parsed.data.id);
    if (mine?.status === 'signed') return mine.contentHash === parsed.data.contentHash ? 'unchanged' : 'refused';
    await db.techChecks.put(parsed.data);
    return 'stored';
  });
}

export async function applyPulledHandover(record: Handover): Promise<ApplyResult> {
  const parsed = handoverSchema.safeParse(record);
  if (!parsed.success || parsed.data.status !== 'signed' || parsed.data.contentHash !== handoverHash(parsed.data)) return 'refused';
  const db = getDb();
  return db.transaction('rw', db.handovers, async () => {
    const mine = await db.handovers.get(parsed.data.id);
    if (mine?.status === 'signed') return mine.contentHash === parsed.data.contentHash ? 'unchanged' : 'refused';
    await db.handovers.put(parsed.data);
    return 'stored';
  });
}
