/**
 * "Do I have the latest?" for screens, without them touching the engine:
 *
 *  - usePullOnOpen(): a screen that must show other tablets' newest work (handover, technician)
 *    asks for a pull when it opens. 'syncing' until a pull that STARTED after the screen opened
 *    has finished (one already running does not count: it may have begun before the change), then
 *    'latest'; 'offline' when it could not reach the server (the screen shows what this tablet
 *    has, and says so). The engine's live queries update the screen when the pull lands.
 *  - useFirstSync(): a list on a tablet that has never pulled this dealership's records (just
 *    logged in) says 'syncing' instead of "none"; 'waiting' when that first sync cannot run now
 *    (offline or failing), 'done' once any pull has completed (kept in IndexedDB).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getSyncEngineState, subscribeSyncEngine } from './syncEngineState';
import { useSyncStatus } from '../store/queries';

export type Freshness = 'syncing' | 'latest' | 'offline';

export function usePullOnOpen(key: string = ''): Freshness {
  const [state, setState] = useState<Freshness>('syncing');
  useEffect(() => {
    let live = true;
    setState('syncing');
    import('./syncEngine')
      .then((m) => m.pullNow())
      .then(
        (r) => live && setState(r.ok ? 'latest' : 'offline'),
        () => live && setState('offline'),
      );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

export type FirstSync = 'syncing' | 'waiting' | 'done';

export function useFirstSync(): FirstSync {
  const engine = useSyncExternalStore(subscribeSyncEngine, getSyncEngineState);
  const status = useSyncStatus();
  // A tablet that synced before lastPullAt existed pulled in every successful run.
  if (engine.lastPullAt || status?.lastPullAt || status?.lastSuccessAt) return 'done';
  if (status === undefined) return 'syncing';
  const online = typeof navigator === 'undefined' || navigator.onLine !== false;
  return online && (engine.running || !engine.lastError) ? 'syncing' : 'waiting';
}
