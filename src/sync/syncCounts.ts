/**
 * What is still only on this tablet, read from IndexedDB: the numbers the badge, the settings
 * screen and every "this will clear local data" warning show.
 */
import type { WalkaroundDB } from '../db/db';
import { unsentPhotos } from './photoQueue';

export interface SyncCounts {
  /** Intakes with changes the server has not acknowledged. */
  pendingRecords: number;
  /** Outbox entries (changes) waiting. */
  pendingChanges: number;
  pendingPhotos: number;
  quarantined: number;
  conflicts: number;
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
  const entries = await db.outbox.toArray();
  const intakes = new Set(entries.map((e) => e.intakeId));
  let oldest: string | null = null;
  for (const e of entries) if (oldest === null || e.createdAt < oldest) oldest = e.createdAt;
  const photos = await unsentPhotos(db);
  for (const p of photos) {
    intakes.add(p.intakeId);
    if (oldest === null || p.intakeCreatedAt < oldest) oldest = p.intakeCreatedAt;
  }
  return {
    pendingRecords: intakes.size,
    pendingChanges: entries.length,
    pendingPhotos: photos.length,
    quarantined: await db.quarantine.count(),
    conflicts: await db.conflicts.count(),
    oldestPendingAt: oldest,
  };
}

/** Something waited longer than this: the badge turns to a warning. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
