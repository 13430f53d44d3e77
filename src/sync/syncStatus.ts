/**
 * The outcome of the last runs, kept in kv 'sync.status' (not only in memory): after a reload,
 * or in a second tab, the settings screen still shows when the tablet last reached the server
 * and what went wrong since.
 */
import type { WalkaroundDB } from '../store/db';
import type { SyncProblem } from './syncErrors';

export const STATUS_KEY = 'sync.status';

export interface PersistedSyncStatus {
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: SyncProblem | null;
}

export const EMPTY_STATUS: PersistedSyncStatus = { lastSuccessAt: null, lastAttemptAt: null, lastError: null };

export async function readSyncStatus(db: WalkaroundDB): Promise<PersistedSyncStatus> {
  const v = (await db.kv.get(STATUS_KEY))?.value as Partial<PersistedSyncStatus> | undefined;
  return { ...EMPTY_STATUS, ...v };
}

export async function writeSyncStatus(db: WalkaroundDB, patch: Partial<PersistedSyncStatus>): Promise<PersistedSyncStatus> {
  return db.transaction('rw', db.kv, async () => {
    const next = { ...(await readSyncStatus(db)), ...patch };
    await db.kv.put({ key: STATUS_KEY, value: next });
    return next;
  });
}
