/**
 * The outcome of the last runs, kept in device state (not only in memory): after a reload, or
 * in a second tab, the settings screen still shows when the tablet last reached the server and
 * what went wrong since.
 */
import type { WalkaroundDB } from '../store/db';
import { readDevice, updateDevice, type PersistedSyncStatus } from '../store/device';

export type { PersistedSyncStatus };

export async function readSyncStatus(db: WalkaroundDB): Promise<PersistedSyncStatus> {
  return readDevice('syncStatus', db);
}

export async function writeSyncStatus(db: WalkaroundDB, patch: Partial<PersistedSyncStatus>): Promise<PersistedSyncStatus> {
  return updateDevice('syncStatus', (cur) => ({ ...cur, ...patch }), db);
}
