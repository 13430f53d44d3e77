/**
 * A person settles a conflict: keep this tablet's value ("mine") or take the server's
 * ("theirs"). The choice is written to the record, and a patch based on the server's current
 * revision goes into the outbox, in ONE transaction; so the choice is either fully made and
 * queued for sync, or not made at all. Offline this works too: the patch waits in the outbox.
 * If the section changed on the server again in the meantime, the patch conflicts again and a
 * new choice is asked for; nothing is overwritten silently.
 */
import { getDb, type WalkaroundDB } from '../store/db';
import { DomainError } from '../model/domainError';
import type { Intake, SectionName, SectionValue } from '../model/intake/schema';
import { loadKinds, mutate } from '../store/mutate';

export type ConflictChoice = 'mine' | 'theirs';

export async function resolveConflict(intakeId: string, section: SectionName, choice: ConflictChoice, db: WalkaroundDB = getDb()): Promise<Intake> {
  await loadKinds(); // before the transaction: the store's write runs inside it
  return db.transaction('rw', [db.intakes, db.summaries, db.outbox, db.sectionRevs, db.conflicts], async () => {
    const key = `${intakeId}:${section}`;
    const conflict = await db.conflicts.get(key);
    const intake = await db.intakes.get(intakeId);
    if (!intake) throw new DomainError('record.notFound', `intake ${intakeId}`);
    if (!conflict) return intake; // settled already (another tab)
    // "theirs" came from the server; the store validates it with the section's schema (as the
    // server does) before it becomes the local record.
    const value = (choice === 'mine' ? intake[section] : conflict.theirs) as SectionValue<SectionName>;
    // Unsent patches of this section are superseded by the choice (their value is "mine").
    // Entries that went out once (section cleared) are left alone: they replay idempotently.
    const pending = await db.outbox.where('[recordId+section+state]').equals([intakeId, section, 'pending']).toArray();
    for (const p of pending) await db.outbox.delete(p.seq as number);
    // The new patch is based on the server's revision the choice was made against.
    const revs = (await db.sectionRevs.get(intakeId))?.revs ?? {};
    await db.sectionRevs.put({ intakeId, revs: { ...revs, [section]: Math.max(revs[section] ?? 0, conflict.theirsRev) } });
    await db.conflicts.delete(key);
    return mutate('intake', 'updateSection', { section, value }, { id: intakeId, db });
  });
}
