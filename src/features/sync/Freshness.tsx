/**
 * What a screen says while it may not have the latest yet: "同步中…" while the pull it asked for
 * on opening runs, a quiet note when the server could not be reached, nothing once it is current.
 * And, for lists and empty states, "syncing" instead of "none" while a freshly logged-in tablet
 * has not finished its first pull.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useFirstSync, type Freshness } from '../../sync/public';

export function FreshnessNote({ state }: { state: Freshness }) {
  const { t } = useI18n();
  if (state === 'latest') return null;
  return (
    <p role="status" className="muted" data-freshness={state}>
      {state === 'syncing' ? t('sync.freshSyncing') : t('sync.freshOffline')}
    </p>
  );
}

/** `empty` once this tablet has pulled; "syncing" (or "not synced yet") before its first pull. */
export function EmptyOrFirstSync({ empty }: { empty: ReactNode }) {
  const { t } = useI18n();
  const first = useFirstSync();
  if (first === 'done') return <>{empty}</>;
  return (
    <p role="status" className="muted" data-first-sync={first}>
      {first === 'syncing' ? t('sync.firstSyncing') : t('sync.firstWaiting')}
    </p>
  );
}
