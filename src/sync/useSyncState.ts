/**
 * The one hook screens use to show sync: the engine's live state (running, progress) plus what
 * the store says is still only on this tablet (its live queries: across tabs too).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getSyncEngineState, subscribeSyncEngine } from './syncEngineState';
import { STALE_AFTER_MS, useSyncCounts, useSyncStatus, type SyncCounts } from '../store/queries';
import type { SyncProblem } from './syncErrors';
import type { SyncPhase } from './syncOnce';

export interface SyncState extends SyncCounts {
  /** Counts still loading from IndexedDB. */
  loading: boolean;
  online: boolean;
  running: boolean;
  phase: SyncPhase | null;
  progress: { done: number; total: number } | null;
  lastSuccessAt: string | null;
  lastError: SyncProblem | null;
  /** Milliseconds the oldest unsynced change or photo has waited, or null. */
  oldestPendingAge: number | null;
  /** Something waited > 24 h, a record is quarantined or conflicts, or a change is stuck: show a warning. */
  warning: boolean;
}

const EMPTY_COUNTS: SyncCounts = { pendingRecords: 0, pendingChanges: 0, pendingPhotos: 0, quarantined: 0, conflicts: 0, stuck: 0, oldestPendingAt: null };

function useMinuteTick(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function useOnline(): boolean {
  return useSyncExternalStore(
    (cb) => {
      window.addEventListener('online', cb);
      window.addEventListener('offline', cb);
      return () => {
        window.removeEventListener('online', cb);
        window.removeEventListener('offline', cb);
      };
    },
    () => navigator.onLine !== false,
  );
}

export function useSyncState(): SyncState {
  const engine = useSyncExternalStore(subscribeSyncEngine, getSyncEngineState);
  const online = useOnline();
  const counts = useSyncCounts();
  const status = useSyncStatus();
  const now = useMinuteTick();
  const c = counts ?? EMPTY_COUNTS;
  const oldestPendingAge = c.oldestPendingAt ? Math.max(0, now - Date.parse(c.oldestPendingAt)) : null;
  // The stored status is the truth across tabs and reloads (every run writes it); this page's
  // in-memory copy only covers the moment before IndexedDB answers.
  const lastSuccessAt = status ? status.lastSuccessAt : engine.lastSuccessAt;
  const lastError = status ? status.lastError : engine.lastError;
  return {
    ...c,
    loading: counts === undefined,
    online,
    running: engine.running,
    phase: engine.phase,
    progress: engine.progress,
    lastSuccessAt,
    lastError,
    oldestPendingAge,
    warning: c.quarantined > 0 || c.conflicts > 0 || c.stuck > 0 || (oldestPendingAge !== null && oldestPendingAge > STALE_AFTER_MS),
  };
}
