/**
 * Pull: GET /api/sync/pull?since=<cursor> until `more` is false. Each page is applied in ONE
 * transaction together with the new cursor, so an interrupted pull resumes exactly where it
 * stopped (a page applied twice is harmless: the merge is idempotent). The cursor lives in
 * device state (syncCursor). Photos of pulled records that this tablet lacks are queued for
 * download in the same transaction (device state photosWanted).
 */
import type { WalkaroundDB } from '../store/db';
import { putIntakeRecord } from '../store/summaries';
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
  await db.transaction('rw', [db.intakes, db.summaries, db.sectionRevs, db.outbox, db.conflicts, db.quarantine, db.kv, db.photoMeta], async () => {
    const wanted: WantedPhotos = { ...(await readWanted(db)) };
    for (const change of page.changes) {
      const id = change.intake.id;
      const local = await db.intakes.get(id);
      const entries = await db.outbox.where('intakeId').equals(id).toArray();
      const conflicts = await db.conflicts.where('intakeId').equals(id).toArray();
      const localRevs = (await db.sectionRevs.get(id))?.revs ?? {};
      const pendingSections = new Set<SectionName>();
      for (const e of entries) if (e.mutation.op === 'patch') pendingSections.add(e.mutation.section);
      const out = mergePulled({
        local,
        localRevs,
        server: change.intake,
        serverRevs: change.sectionRevs,
        pendingSections,
        conflictSections: new Set(conflicts.map((c) => c.section)),
      });
      if (!local || canonicalJson(local) !== canonicalJson(out.intake)) await putIntakeRecord(db, out.intake);
      await db.sectionRevs.put({ intakeId: id, revs: out.revs });

      for (const c of conflicts) {
        if (out.serverSigned) {
          // Signed on another tablet: the choice can no longer be applied. Keep "mine" visible in
          // quarantine (as the patch it would have been) instead of dropping it.
          const mutation: Mutation = { id: newId(), op: 'patch', intakeId: id, at: c.at, section: c.section, value: c.mine, baseRev: c.theirsRev };
          await db.quarantine.put({ mutationId: mutation.id, intakeId: id, mutation, reason: 'signed on another tablet before this conflict was resolved', at });
          await db.conflicts.delete(c.key);
          continue;
        }
        const rev = change.sectionRevs[c.section];
        if (typeof rev === 'number' && rev > c.theirsRev) {
          await db.conflicts.put({ ...c, theirs: change.intake[c.section], theirsRev: rev });
        }
      }

      for (const hash of photoRefsIn(out.intake)) {
        if (wanted[hash]) continue;
        if (!(await db.photoMeta.get(hash))) wanted[hash] = id; // the small bookkeeping row, not the bytes
      }
    }
    for (const [hash, intakeId] of followPhotos) {
      if (!wanted[hash] && !(await db.photoMeta.get(hash))) wanted[hash] = intakeId;
    }
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
