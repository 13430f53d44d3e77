/**
 * What is still only on this tablet, read from IndexedDB: the numbers the badge, the settings
 * screen and every "this will clear local data" warning show.
 */
import type { WalkaroundDB } from './db';
import { unsentPhotos } from './photoQueue';

export interface SyncCounts {
  /** Intakes with changes the server has not acknowledged. */
  pendingRecords: number;
  /** Outbox entries (changes) waiting. */
  pendingChanges: number;
  pendingPhotos: number;
  quarantined: number;
  conflicts: number;
  /** Outbox entries the server keeps failing on (5xx), waiting to be tried again: shown to staff. */
  stuck: number;
  /** ISO time of the oldest change or photo still waiting, or null. */
  oldestPendingAt: string | null;
}

/**
 * Plain reads, deliberately without an explicit transaction: this runs inside useLiveQuery, and
 * in Chromium an explicit read transaction there ended in PrematureCommitError (blank screen)
 * as soon as an unsent photo existed. The numbers are for people; a snapshot that is a few
 * milliseconds inconsistent across tables is harmless, a crashed screen is not.
 */
export async function readSyncCounts(db: WalkaroundDB): Promise<SyncCounts> {
  // Indexes and counts only: this re-runs after every autosave, and the outbox entries carry
  // whole records (a day offline means hundreds of them); their values are never needed here.
  const intakes = new Set((await db.outbox.orderBy('intakeId').uniqueKeys()) as string[]);
  const pendingChanges = await db.outbox.count();
  // Entries are added in time order, so the lowest seq is the oldest waiting change.
  let oldest: string | null = (await db.outbox.orderBy('seq').first())?.createdAt ?? null;
  const photos = await unsentPhotos(db);
  for (const p of photos) {
    intakes.add(p.intakeId);
    if (oldest === null || p.intakeCreatedAt < oldest) oldest = p.intakeCreatedAt;
  }
  return {
    pendingRecords: intakes.size,
    pendingChanges,
    pendingPhotos: photos.length,
    quarantined: await db.quarantine.count(),
    conflicts: await db.conflicts.count(),
    stuck: await db.outbox.where('state').equals('stuck').count(),
    oldestPendingAt: oldest,
  };
}

/** Something waited longer than this: the badge turns to a warning. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
