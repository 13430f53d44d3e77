/**
 * Pull: GET /api/sync/pull?since=<cursor> until `more` is false. Each page is applied in ONE
 * transaction together with the new cursor, so an interrupted pull resumes exactly where it
 * stopped (a page applied twice is harmless: the merge is idempotent). The cursor lives in
 * device state (syncCursor). Photos of pulled records that this tablet lacks are queued for
 * download in the same transaction (device state photosWanted).
 */
import type { ConflictEntry, WalkaroundDB } from '../store/db';
import type { Intake } from '../model/intake/schema';
import { putIntakeRecords } from '../store/summaries';
import { newId } from '../model/intake/newIntake';
import type { Mutation, PullResponse } from '../shared/protocol';
import type { SectionName } from '../model/intake/schema';
import { applyPulledRecord } from '../store/applyPulled';
import { canonicalJson } from '../shared/canonicalJson';
import type { SyncApi } from './syncApi';
import { SyncError } from './syncErrors';
import { mergePulled } from './mergePulled';
import { photoRefsIn, readWanted, type WantedPhotos } from '../store/photoQueue';
import { readDevice, writeDevice } from '../store/device';

const MAX_PAGES_PER_RUN = 1000;

export async function readCursor(db: WalkaroundDB): Promise<number> {
  return readDevice('syncCursor', db);
}

export interface PullSummary {
  received: number;
  pages: number;
  /** Follow-up records whose hash did not verify (left out, reported). */
  refused: number;
  /** The cursor after the pull (stored with the last page applied). */
  cursor: number;
}

/**
 * Apply one page. Technician's checks and handovers (drafts and signed) go first, through the
 * store's pulled-record rules (src/store/applyPulled.ts: hash-verified, never overwriting a signed
 * record or a local draft with unsent changes; idempotent), then the intakes and the cursor in one
 * transaction: an interruption in between only means they are applied again.
 */
export async function applyPulledPage(db: WalkaroundDB, page: PullResponse, at: string): Promise<{ refused: number }> {
  let refused = 0;
  const followPhotos: [string, string][] = [];
  const followUps = [
    ...(page.techChecks ?? []).map((x) => ['techCheck', x.techCheck] as const),
    ...(page.handovers ?? []).map((x) => ['handover', x.handover] as const),
  ];
  for (const [kind, record] of followUps) {
    if ((await applyPulledRecord(db, kind, record)) === 'refused') refused++;
    else for (const h of photoRefsIn(record)) followPhotos.push([h, record.intakeId]);
  }
  // Appointments (no photos): the same rules; a local booking with unsent changes is kept.
  for (const { appointment } of page.appointments ?? []) if ((await applyPulledRecord(db, 'appointment', appointment)) === 'refused') refused++;
  // The page's intakes in a few bulk requests, merged in memory in the page's order (a second
  // change of the same intake merges onto the first's result, as if applied one by one), then
  // written back in bulk. One request per read was ~16 per intake, and with photo reads keeping
  // IndexedDB busy each waited its turn: 50 intakes took ~0.9 s, most of it waiting.
  await db.transaction('rw', [db.intakes, db.summaries, db.sectionRevs, db.outbox, db.conflicts, db.quarantine, db.kv, db.photoMeta], async () => {
    const wanted: WantedPhotos = { ...(await readWanted(db)) };
    const ids = [...new Set(page.changes.map((c) => c.intake.id))];
    const [localRows, revRows, entryRows, conflictRows] = await Promise.all([
      db.intakes.bulkGet(ids),
      db.sectionRevs.bulkGet(ids),
      ids.length ? db.outbox.where('intakeId').anyOf(ids).toArray() : Promise.resolve([]),
      ids.length ? db.conflicts.where('intakeId').anyOf(ids).toArray() : Promise.resolve([]),
    ]);
    const locals = new Map(ids.map((id, i) => [id, localRows[i]]));
    const revs = new Map(ids.map((id, i) => [id, revRows[i]?.revs ?? {}]));
    const pendingSections = new Map<string, Set<SectionName>>(ids.map((id) => [id, new Set()]));
    for (const e of entryRows) if (e.mutation.op === 'patch') pendingSections.get(e.intakeId)?.add(e.mutation.section);
    const conflictsOf = new Map<string, Map<string, ConflictEntry>>(ids.map((id) => [id, new Map()]));
    for (const c of conflictRows) conflictsOf.get(c.intakeId)?.set(c.key, c);
    const changed = new Map<string, Intake>();
    const refs: [string, string][] = [];
    for (const change of page.changes) {
      const id = change.intake.id;
      const local = locals.get(id);
      const conflicts = [...(conflictsOf.get(id)?.values() ?? [])];
      const out = mergePulled({
        local,
        localRevs: revs.get(id) ?? {},
        server: change.intake,
        serverRevs: change.sectionRevs,
        pendingSections: pendingSections.get(id) ?? new Set(),
        conflictSections: new Set(conflicts.map((c) => c.section)),
      });
      if (!local || canonicalJson(local) !== canonicalJson(out.intake)) changed.set(id, out.intake);
      locals.set(id, out.intake);
      revs.set(id, out.revs);

      for (const c of conflicts) {
        if (out.serverSigned) {
          // Signed on another tablet: the choice can no longer be applied. Keep "mine" visible in
          // quarantine (as the patch it would have been) instead of dropping it.
          const mutation: Mutation = { id: newId(), op: 'patch', intakeId: id, at: c.at, section: c.section, value: c.mine, baseRev: c.theirsRev };
          await db.quarantine.put({ mutationId: mutation.id, intakeId: id, mutation, reason: 'signed on another tablet before this conflict was resolved', at });
          await db.conflicts.delete(c.key);
          conflictsOf.get(id)?.delete(c.key);
          continue;
        }
        const rev = change.sectionRevs[c.section];
        if (typeof rev === 'number' && rev > c.theirsRev) {
          const next = { ...c, theirs: change.intake[c.section], theirsRev: rev };
          await db.conflicts.put(next);
          conflictsOf.get(id)?.set(c.key, next);
        }
      }
      for (const hash of photoRefsIn(out.intake)) refs.push([hash, id]);
    }
    if (changed.size > 0) await putIntakeRecords(db, [...changed.values()]);
    if (ids.length > 0) await db.sectionRevs.bulkPut(ids.map((id) => ({ intakeId: id, revs: revs.get(id) ?? {} })));
    // Photos of pulled records this tablet lacks (the small bookkeeping rows, not the bytes).
    const all = [...refs, ...followPhotos].filter(([hash]) => !wanted[hash]);
    const hashes = [...new Set(all.map(([hash]) => hash))];
    const held = await db.photoMeta.bulkGet(hashes);
    const lacking = new Set(hashes.filter((_, i) => !held[i]));
    for (const [hash, intakeId] of all) if (lacking.has(hash) && !wanted[hash]) wanted[hash] = intakeId;
    await writeDevice('photosWanted', wanted, db);
    await writeDevice('syncCursor', page.cursor, db);
  });
  return { refused };
}

export async function pullChanges(ctx: { db: WalkaroundDB; api: SyncApi; now?: () => Date }): Promise<PullSummary> {
  const { db, api } = ctx;
  const now = ctx.now ?? (() => new Date());
  let cursor = await readCursor(db);
  const summary: PullSummary = { received: 0, pages: 0, refused: 0, cursor };
  for (let i = 0; i < MAX_PAGES_PER_RUN; i++) {
    const page = await api.pull(cursor);
    if (page.cursor < cursor) throw new SyncError('protocol', `The server moved the pull cursor back (${cursor} → ${page.cursor}).`);
    const { refused } = await applyPulledPage(db, page, now().toISOString());
    summary.refused += refused;
    summary.received += page.changes.length + (page.techChecks?.length ?? 0) + (page.handovers?.length ?? 0) + (page.appointments?.length ?? 0);
    summary.pages++;
    const advanced = page.cursor > cursor;
    cursor = page.cursor;
    summary.cursor = cursor;
    if (!page.more) break;
    if (!advanced) throw new SyncError('protocol', 'The server reported more changes without moving the cursor.');
  }
  return summary;
}
