/**
 * A follow-up record (technician's check, handover) or an appointment (never signed) pulled from the server meets the tablet's
 * copy. The rules, in order:
 *  - not valid for its kind's schema, or signed with a hash that does not verify → refused;
 *  - signed here already → unchanged when it is the same signed record, refused otherwise
 *    (a signed record is never replaced); a draft of it from the server is ignored (kept);
 *  - a draft from the server, and this tablet has unsent changes of the record, or a copy at
 *    least as new → kept (a local draft with unsent changes is never overwritten); an appointment
 *    is kept only for unsent changes (the server's version is the truth once nothing is unsent);
 *  - otherwise stored: a signed record replaces a local draft (the server is the authority for
 *    signed records; unsent draft edits are refused by the server later and quarantined, shown).
 * Idempotent: a page applied twice changes nothing the second time.
 */
import type { WalkaroundDB } from './db';
import { isFrozen } from '../model/frozen';
import { canonicalJson } from '../shared/canonicalJson';
import { loadKinds } from './mutate';
import { putRecord, recordTable } from './records';

export type ApplyResult = 'stored' | 'unchanged' | 'kept' | 'refused';

export async function applyPulledRecord(db: WalkaroundDB, kind: 'techCheck' | 'handover' | 'appointment', raw: unknown): Promise<ApplyResult> {
  const def = (await loadKinds()).kinds[kind];
  const parsed = def.schema.safeParse(raw);
  if (!parsed.success) return 'refused';
  const rec = parsed.data;
  const verifies = def.hashVerifies as (r: typeof rec) => boolean;
  if (isFrozen(rec) && !verifies(rec)) return 'refused';
  const table = recordTable(db, kind);
  return db.transaction('rw', [table, db.outbox], async () => {
    const mine = (await table.get(rec.id)) as (typeof rec & { contentHash: string | null }) | undefined;
    if (mine && isFrozen(mine)) {
      if (!isFrozen(rec)) return 'kept';
      return mine.contentHash === (rec as { contentHash?: string | null }).contentHash ? 'unchanged' : 'refused';
    }
    if (mine && !isFrozen(rec)) {
      if (canonicalJson(mine) === canonicalJson(rec)) return 'unchanged';
      const unsent = await db.outbox.where('recordId').equals(rec.id).count();
      // An appointment with nothing unsent takes the server's version even if it looks older: the
      // server re-runs status changes on its own record, so a refused local change (two tablets
      // receiving the same customer) must not linger here as if it had happened.
      if (unsent > 0 || (kind !== 'appointment' && mine.updatedAt >= rec.updatedAt)) return 'kept';
    }
    await putRecord(db, kind, rec);
    return 'stored';
  });
}
