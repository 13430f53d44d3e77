/**
 * Local intake operations, as screens call them. Each is one mutator of the intake kind
 * (src/model/intake/kind.ts) run by the store (src/store/mutate.ts), which writes the record, its
 * list summary and its outbox mutation in ONE Dexie transaction (SYNC.md #1) and hashes before it.
 *
 * Offline: everything here works with no network; the sync engine (src/sync) later pushes the
 * outbox. A signed intake is frozen: updateSection refuses it (`record.frozen`), only amendments
 * may be added.
 */
import type { Intake, SectionName, SectionValue, Signature } from '../model/intake/schema';
import { newId, newIntake } from '../model/intake/newIntake';
import { mutate } from './mutate';
import { getDb } from './db';

export async function createIntake(advisor: { id: string; name: string }): Promise<Intake> {
  return mutate('intake', 'create', { intake: newIntake({ advisor }) });
}

export async function getIntake(id: string): Promise<Intake | undefined> {
  return getDb().intakes.get(id);
}

/** Replace one section of a draft (autosave; an unsent patch of the section is updated in place). */
export async function updateSection<S extends SectionName>(id: string, section: S, value: SectionValue<S>): Promise<Intake> {
  return mutate('intake', 'updateSection', { section, value }, { id });
}

/**
 * Sign: bind the signatures to the SHA-256 of the content that was shown (`shownHash`); a change
 * made after it was shown is refused (`record.stale`), and so is signing while a section edited
 * on two tablets waits for a person (`record.openConflicts`).
 */
export async function signIntake(id: string, shownHash: string, signatures: Signature[]): Promise<Intake> {
  return mutate('intake', 'sign', { shownHash, signatures }, { id });
}

/** Corrections after signing: an amendment that references the signed hash; the content stays. */
export async function addAmendment(id: string, by: { id: string; name: string }, text: string): Promise<Intake> {
  return mutate('intake', 'amend', { id: newId(), by, text }, { id });
}
