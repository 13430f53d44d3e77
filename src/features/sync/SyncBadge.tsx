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
  // The spinner means "this tablet is sending": only while a run is going AND something is still
  // only here. A run that just pulls (every 30 s, or when the server announces a change) with
  // nothing to send keeps the calm "已同步" dot; a spinner beside "已同步" said two things at once.
  const sending = s.running && s.online && (pending > 0 || s.pendingPhotos > 0);
  const parts: string[] = [];
  if (!s.online) parts.push(t('sync.badgeOffline'));
  if (sending) parts.push(t('sync.badgeSyncing'));
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
      data-state={problem ? 'warning' : !s.online ? 'offline' : sending ? 'syncing' : pending > 0 ? 'pending' : 'synced'}
      style={problem ? { background: '#ffe08a', color: '#5a3b00', borderColor: '#ffe08a' } : undefined}
    >
      {sending ? <Spinner /> : <Dot colour={problem ? '#9a5b00' : !s.online ? '#c9d1db' : pending > 0 ? '#ffb300' : '#5bd47a'} />}
      <span>{sending ? t('sync.badgeSyncing') : pending > 0 ? t('sync.badgePending', { n: pending }) : !s.online ? t('sync.badgeOffline') : t('sync.badgeSynced')}</span>
      {s.stuck > 0 && <span aria-hidden="true">{t('sync.badgeStuck', { n: s.stuck })}</span>}
      {problem && <span aria-hidden="true">⚠</span>}
    </a>
  );
}
