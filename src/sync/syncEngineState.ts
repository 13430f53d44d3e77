/**
 * The sync engine's on-screen state (running, progress, last error) as a tiny store. Kept apart
 * from the engine so the header badge can show it without loading the engine's HTTP client and
 * its zod schemas on the first screen; the engine itself is loaded after the first render.
 */
import type { SyncPhase } from './syncOnce';
import type { SyncProblem } from './syncErrors';
import type { PhotoProgress } from './photoProgress';

export interface SyncEngineState {
  started: boolean;
  online: boolean;
  running: boolean;
  phase: SyncPhase | null;
  progress: { done: number; total: number } | null;
  /** While photos go up: photos left, MB left, rate. */
  photos: PhotoProgress | null;
  failures: number;
  lastSuccessAt: string | null;
  lastError: SyncProblem | null;
  nextRunAt: number | null;
  /** The server's event stream is open: changes of other tablets arrive within moments. */
  live: boolean;
  /** A pull is running (a screen waiting for the latest shows "syncing"). */
  pulling: boolean;
  /** When this tablet last pulled to the server's head (also kept in IndexedDB). */
  lastPullAt: string | null;
}

const initial: SyncEngineState = {
  started: false,
  online: typeof navigator === 'undefined' ? true : navigator.onLine !== false,
  running: false,
  phase: null,
  progress: null,
  photos: null,
  failures: 0,
  lastSuccessAt: null,
  lastError: null,
  nextRunAt: null,
  live: false,
  pulling: false,
  lastPullAt: null,
};

let state: SyncEngineState = initial;
const listeners = new Set<() => void>();

export function setSyncEngineState(patch: Partial<SyncEngineState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function getSyncEngineState(): SyncEngineState {
  return state;
}

export function subscribeSyncEngine(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
