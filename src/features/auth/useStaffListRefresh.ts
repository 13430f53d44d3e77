/**
 * Keeps the tablet's staff list current: on start, when the network returns, and every 10
 * minutes while a session exists. Failures are silent: the stored list keeps working offline.
 */
import { useEffect } from 'react';
import { refreshDeviceStaffList } from './deviceAuth';

const EVERY_MS = 10 * 60_000;

export function useStaffListRefresh(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const run = () => void refreshDeviceStaffList().catch(() => false);
    run();
    const timer = setInterval(run, EVERY_MS);
    window.addEventListener('online', run);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', run);
    };
  }, [active]);
}
