/**
 * Run the sync engine while this tablet has a device session (called once by the app shell).
 * Signing out stops it; records and the outbox stay in IndexedDB for the next session.
 */
import { useEffect } from 'react';
import { startSync, stopSync } from './syncEngine';

export function useSyncEngine(hasSession: boolean): void {
  useEffect(() => {
    if (!hasSession) return;
    startSync();
    return () => stopSync();
  }, [hasSession]);
}
