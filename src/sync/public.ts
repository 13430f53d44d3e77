/**
 * The sync layer's whole surface for screens and the app shell (ESLint keeps features and app
 * from importing anything else under src/sync). Screens never call fetch for sync; they use these.
 *
 * The engine (push, pull, photo transfer, their zod-validated HTTP calls) is loaded on demand,
 * after the first screen: what this file imports statically is only what the header badge and
 * the HTTP client need.
 */
import type { SectionName } from '../model/intake/schema';
import type { Intake } from '../model/intake/schema';
import type { ConflictChoice } from './resolveConflict';
import type { SyncRunResult } from './syncOnce';

export { useSyncState, type SyncState } from './useSyncState';
export { usePullOnOpen, useFirstSync, type Freshness, type FirstSync } from './useFreshness';
export { getSyncEngineState, subscribeSyncEngine, type SyncEngineState } from './syncEngineState';
export { httpRequest, noAnswer, classifyStatus, configureHttp, REQUEST_TIMEOUT_MS, BLOB_TIMEOUT_MS } from './http';
export type { HttpAuth, HttpErrorKind, HttpFailure, HttpOutcome, HttpMethod } from './http';
export type { SyncProblem, SyncErrorKind } from './syncErrors';
export type { SyncRunResult, SyncPhase } from './syncOnce';
export { formatMB, type PhotoProgress } from './photoProgress';
export type { ConflictChoice };

/** The engine module (startSync, stopSync, syncNow), loaded on first use. */
export function loadSyncEngine(): Promise<typeof import('./syncEngine')> {
  return import('./syncEngine');
}

/** Sync now (or right after the run in progress); null if skipped or failed. */
export async function syncNow(): Promise<SyncRunResult | null> {
  return (await loadSyncEngine()).syncNow();
}

/** Settle a section edited on two tablets: keep this tablet's version or take the other one. */
export async function resolveConflict(intakeId: string, section: SectionName, choice: ConflictChoice): Promise<Intake> {
  return (await import('./resolveConflict')).resolveConflict(intakeId, section, choice);
}
