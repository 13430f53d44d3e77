/**
 * Local operations on the follow-up records of a signed intake, as screens call them: the
 * technician's check (验收) and the handover walk (交车). Each write is a mutator of the record's
 * kind (src/model/techCheck/kind.ts, src/model/handover/kind.ts) run by the store, which writes
 * the record and its outbox mutation in ONE transaction.
 *
 * They are their OWN records (tables techChecks, handovers), linked to the intake by id and by
 * the intake's signed content hash; the signed intake is never touched. Drafts go through the
 * outbox too (whole record, coalesced while unsent), so the server and the other tablets have the
 * work before sign-off; a signed record is frozen.
 */
import { newId } from '../model/intake/newIntake';
import type { Signature } from '../model/intake/schema';
import { DomainError } from '../model/domainError';
import { isFrozen } from '../model/frozen';
import { newTechCheck, type TechCheck } from '../model/techCheck/schema';
import { newHandover, type Handover } from '../model/handover/schema';
import { loadKinds, mutate } from './mutate';
import { getDb } from './db';

async function intakeOf(intakeId: string) {
  const intake = await getDb().intakes.get(intakeId);
  if (!intake) throw new DomainError('record.notFound', `intake ${intakeId}`);
  if (!isFrozen(intake)) throw new DomainError('intake.notSigned');
  return intake;
}

// ---------------------------------------------------------------- technician's check

/** The technician's open draft for this intake, or a new one. A signed check is never reopened. */
export async function startTechCheck(intakeId: string, technician: { id: string; name: string }): Promise<TechCheck> {
  await loadKinds(); // before the transaction: mutate runs inside it
  const db = getDb();
  return db.transaction('rw', [db.intakes, db.techChecks, db.outbox, db.sectionRevs, db.conflicts], async () => {
    const intake = await intakeOf(intakeId);
    const draft = await db.techChecks.where('intakeId').equals(intakeId).filter((c) => !isFrozen(c) && c.technician.id === technician.id).first();
    if (draft) return draft;
    return mutate('techCheck', 'create', { record: newTechCheck({ id: newId(), intake, technician }) });
  });
}

/** Autosave of a draft check: the updater gets the stored draft and returns the next one. */
export async function updateTechCheck(id: string, update: (draft: TechCheck) => TechCheck): Promise<TechCheck> {
  const current = await getDb().techChecks.get(id);
  if (!current) throw new DomainError('record.notFound', `technician check ${id}`);
  return mutate('techCheck', 'save', { draft: update(current) }, { id });
}

/** Sign off with the technician's name (PIN verified by the caller), bound to the shown hash. */
export async function signTechCheck(id: string, shownHash: string, by: { staffId: string; name: string }): Promise<TechCheck> {
  return mutate('techCheck', 'sign', { shownHash, by }, { id });
}

// ---------------------------------------------------------------- handover

/** The open handover draft of this intake (any advisor may continue it), or a new one. */
export async function startHandover(intakeId: string, advisor: { id: string; name: string }): Promise<Handover> {
  await loadKinds();
  const db = getDb();
  return db.transaction('rw', [db.intakes, db.techChecks, db.handovers, db.outbox, db.sectionRevs, db.conflicts], async () => {
    const intake = await intakeOf(intakeId);
    const draft = await db.handovers.where('intakeId').equals(intakeId).filter((h) => !isFrozen(h)).first();
    const checks = await db.techChecks.where('intakeId').equals(intakeId).filter(isFrozen).toArray();
    const latest = checks.sort((a, b) => (b.signedAt ?? '').localeCompare(a.signedAt ?? ''))[0] ?? null;
    if (draft) {
      if (!latest?.contentHash || draft.techCheckHash === latest.contentHash) return draft;
      const techCheck = { id: latest.id, contentHash: latest.contentHash, newFindingIds: latest.newFindings.map((f) => f.id) };
      return mutate('handover', 'rebase', { techCheck }, { id: draft.id });
    }
    return mutate('handover', 'create', { record: newHandover({ id: newId(), intake, techCheck: latest, advisor }) });
  });
}

export async function updateHandover(id: string, update: (draft: Handover) => Handover): Promise<Handover> {
  const current = await getDb().handovers.get(id);
  if (!current) throw new DomainError('record.notFound', `handover ${id}`);
  return mutate('handover', 'save', { draft: update(current) }, { id });
}

/** The customer (and optionally the advisor) sign the handover, bound to its content hash. */
export async function signHandover(id: string, shownHash: string, signatures: Signature[]): Promise<Handover> {
  return mutate('handover', 'sign', { shownHash, signatures }, { id });
}
