/**
 * The sync layer's whole surface for screens and the app shell. Screens never call fetch or
 * Dexie for sync; they use these.
 */
export { startSync, stopSync, syncNow, getSyncEngineState, subscribeSyncEngine, type SyncEngineOptions, type SyncEngineState } from './syncEngine';
export { useSyncState, type SyncState } from './useSyncState';
export { resolveConflict, type ConflictChoice } from './resolveConflict';
export { readSyncCounts, STALE_AFTER_MS, type SyncCounts } from '../store/syncCounts';
export type { SyncProblem, SyncErrorKind } from './syncErrors';
export type { SyncRunResult, SyncPhase } from './syncOnce';
export { useQuarantineRows, type QuarantineRow } from './useQuarantineRows';
