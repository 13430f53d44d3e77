/**
 * Background services of a signed-in tablet — the sync engine and the staff-list refresh —
 * loaded AFTER the first screen has rendered. Their code (HTTP clients validating server
 * answers with the shared zod schemas) is not needed to show the list, and keeping it out of
 * the first screen's JS keeps a cold start fast on an older tablet. Offline nothing changes:
 * the chunks come from the service worker's precache.
 */
import { useEffect } from 'react';
import { loadSyncEngine } from '../sync/public';

const EVERY_MS = 10 * 60_000;

export function useDeferredServices(hasSession: boolean): void {
  useEffect(() => {
    if (!hasSession) return;
    let cancelled = false;
    const cleanup: (() => void)[] = [];
    void loadSyncEngine().then((m) => {
      if (cancelled) return;
      m.startSync();
      cleanup.push(() => m.stopSync());
    });
    void import('../features/auth/deviceAuth').then((m) => {
      if (cancelled) return;
      const run = () => void m.refreshDeviceStaffList().catch(() => false);
      run();
      const timer = setInterval(run, EVERY_MS);
      window.addEventListener('online', run);
      cleanup.push(() => {
        clearInterval(timer);
        window.removeEventListener('online', run);
      });
    });
    return () => {
      cancelled = true;
      for (const c of cleanup) c();
    };
  }, [hasSession]);
}
