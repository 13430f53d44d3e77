/**
 * A person settles a conflict: keep this tablet's value ("mine") or take the server's
 * ("theirs"). The choice is written to the record, and a patch based on the server's current
 * revision goes into the outbox, in ONE transaction; so the choice is either fully made and
 * queued for sync, or not made at all. Offline this works too: the patch waits in the outbox.
 * If the section changed on the server again in the meantime, the patch conflicts again and a
 * new choice is asked for; nothing is overwritten silently.
 */
import { getDb, type WalkaroundDB } from '../store/db';
import { putIntakeRecord } from '../store/summaries';
import { SignedRecordError } from '../db/intakeRepo';
import { newId } from '../model/intake/newIntake';
import type { Mutation } from '../shared/protocol';
import { intakeContentSchema, type Intake, type SectionName } from '../model/intake/schema';

export type ConflictChoice = 'mine' | 'theirs';

export async function resolveConflict(intakeId: string, section: SectionName, choice: ConflictChoice, db: WalkaroundDB = getDb()): Promise<Intake> {
  const at = new Date().toISOString();
  return db.transaction('rw', [db.intakes, db.summaries, db.outbox, db.sectionRevs, db.conflicts], async () => {
    const key = `${intakeId}:${section}`;
    const conflict = await db.conflicts.get(key);
    const intake = await db.intakes.get(intakeId);
    if (!intake) throw new Error(`Intake ${intakeId} not found`);
    if (!conflict) return intake; // settled already (another tab)
    if (intake.status === 'signed') throw new SignedRecordError(intakeId);
    const raw = choice === 'mine' ? intake[section] : conflict.theirs;
    // "theirs" came from the server; validate it before it becomes the local record.
    const value = intakeContentSchema.shape[section].parse(raw); // the same check the server applies
    const next: Intake = { ...intake, [section]: value, updatedAt: at };
    await putIntakeRecord(db, next);
    // Unsent patches of this section are superseded by the choice (their value is "mine").
    // Entries that went out once (section cleared) are left alone: they replay idempotently.
    const pending = await db.outbox.where('[intakeId+section+state]').equals([intakeId, section, 'pending']).toArray();
    for (const p of pending) await db.outbox.delete(p.seq as number);
    const mutation: Mutation = { id: newId(), op: 'patch', intakeId, at, section, value, baseRev: conflict.theirsRev };
    await db.outbox.add({
      mutationId: mutation.id,
      intakeId,
      op: 'patch',
      section,
      mutation,
      state: 'pending',
      createdAt: at,
      attempts: 0,
      lastError: null,
    });
    const revs = (await db.sectionRevs.get(intakeId))?.revs ?? {};
    await db.sectionRevs.put({ intakeId, revs: { ...revs, [section]: Math.max(revs[section] ?? 0, conflict.theirsRev) } });
    await db.conflicts.delete(key);
    return next;
  });
}
