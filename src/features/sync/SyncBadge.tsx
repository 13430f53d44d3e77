/**
 * The header's sync badge: how much is still only on this tablet, online/offline, a spinner while
 * syncing, and a warning colour when something waited more than 24 h, was refused by the server,
 * or conflicts. Tapping it opens Settings, where the details are.
 */
import { useI18n } from '../../i18n/i18n';
import { hrefOf } from '../../ui/router';
import { useSyncState } from '../../sync/public';

function Spinner() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeOpacity="0.35" strokeWidth="2.5" />
      <path d="M8 2a6 6 0 0 1 6 6" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round">
        <animateTransform attributeName="transform" type="rotate" from="0 8 8" to="360 8 8" dur="0.9s" repeatCount="indefinite" />
      </path>
    </svg>
  );
}

function Dot({ colour }: { colour: string }) {
  return <span aria-hidden="true" style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: colour }} />;
}

export function SyncBadge() {
  const { t } = useI18n();
  const s = useSyncState();
  const pending = s.pendingRecords;
  const problem = s.warning || s.lastError?.kind === 'auth';
  const parts: string[] = [];
  if (!s.online) parts.push(t('sync.badgeOffline'));
  if (s.running) parts.push(t('sync.badgeSyncing'));
  parts.push(pending > 0 ? t('sync.badgePending', { n: pending }) : t('sync.badgeSynced'));
  if (s.stuck > 0) parts.push(t('sync.badgeStuck', { n: s.stuck }));
  if (problem) parts.push(t('sync.badgeProblem'));
  const text = parts.join(' · ');
  return (
    <a
      className="button sync-badge"
      href={hrefOf({ name: 'settings' })}
      aria-label={t('sync.badgeLabel', { state: text })}
      data-pending={pending}
      data-stuck={s.stuck}
      data-state={problem ? 'warning' : !s.online ? 'offline' : s.running ? 'syncing' : pending > 0 ? 'pending' : 'synced'}
      style={problem ? { background: '#ffe08a', color: '#5a3b00', borderColor: '#ffe08a' } : undefined}
    >
      {s.running ? <Spinner /> : <Dot colour={problem ? '#9a5b00' : !s.online ? '#c9d1db' : pending > 0 ? '#ffb300' : '#5bd47a'} />}
      <span>{pending > 0 ? t('sync.badgePending', { n: pending }) : !s.online ? t('sync.badgeOffline') : t('sync.badgeSynced')}</span>
      {s.stuck > 0 && <span aria-hidden="true">{t('sync.badgeStuck', { n: s.stuck })}</span>}
      {problem && <span aria-hidden="true">⚠</span>}
    </a>
  );
}
