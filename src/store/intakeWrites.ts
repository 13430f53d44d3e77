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

/**
 * "+ 新建接车" opens an intake that is NOT stored yet: it lives in memory here until the first
 * thing is written to it, and is created (record + outbox, as createIntake) just before that
 * first write. An intake opened and left without a keystroke leaves nothing behind: no empty
 * "（未填车牌）" draft in the list, on the server or on the other tablets. A reload forgets it,
 * which loses nothing (nothing was typed).
 */
const unsaved = new Map<string, Intake>();
const creating = new Map<string, Promise<void>>();

/** Open a new intake in memory (nothing stored); returns its id for the wizard's route. */
export function startIntake(advisor: { id: string; name: string }): string {
  const intake = newIntake({ advisor });
  unsaved.set(intake.id, intake);
  return intake.id;
}

/** The in-memory new intake of startIntake, until its first write stores it. */
export function unsavedIntake(id: string): Intake | undefined {
  return unsaved.get(id);
}

/** Store an in-memory new intake once, however many sections write to it at the same moment. */
function ensureStored(id: string): Promise<void> | null {
  const intake = unsaved.get(id);
  if (!intake) return creating.get(id) ?? null;
  let p = creating.get(id);
  if (!p) {
    p = mutate('intake', 'create', { intake }).then(
      () => {
        unsaved.delete(id);
        creating.delete(id);
      },
      (e: unknown) => {
        creating.delete(id); // stays in memory: the next write tries again
        throw e;
      },
    );
    creating.set(id, p);
  }
  return p;
}

export async function getIntake(id: string): Promise<Intake | undefined> {
  return (await getDb().intakes.get(id)) ?? unsaved.get(id);
}

/** Replace one section of a draft (autosave; an unsent patch of the section is updated in place). */
export async function updateSection<S extends SectionName>(id: string, section: S, value: SectionValue<S>): Promise<Intake> {
  // Only a new intake waits for its creation: every other write goes straight to mutate (an
  // extra await here would change the timing of every autosave).
  const first = ensureStored(id);
  if (first) await first;
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
