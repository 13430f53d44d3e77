/**
 * The tablet is not a cache (SYNC.md #7): ask the browser to keep our storage persistent, and
 * reopen the database when the page comes back (iOS drops IndexedDB connections in background).
 */
import { useEffect } from 'react';
import { reopenIfClosed } from '../store/storage';

export function useStorageGuard(): void {
  useEffect(() => {
    void navigator.storage?.persist?.().catch(() => false);
    const reopen = () => {
      if (document.visibilityState === 'visible') void reopenIfClosed();
    };
    document.addEventListener('visibilitychange', reopen);
    window.addEventListener('pageshow', reopen);
    return () => {
      document.removeEventListener('visibilitychange', reopen);
      window.removeEventListener('pageshow', reopen);
    };
  }, []);
}
