/**
 * Settings: sync first (what is still only on this tablet is the thing that matters most), then
 * the acting user and quick switch, this device, language, storage, and the manager's tools.
 * Nothing here deletes a record: quarantined changes are shown with their reason, and signing
 * out warns with the unsynced count and keeps every record on the tablet.
 */
import { useEffect, useId, useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import { LANGS } from '../../i18n/defineMessages';
import { useSyncState } from '../../sync/public';
import { syncNow } from '../../sync/public';
import { formatMB } from '../../sync/public';
import { useQuarantineRows, useSession, useStuckRows } from '../../store/queries';

import { StaffSwitcher } from '../auth/StaffSwitcher';
import { renameDevice, signOutDevice } from '../auth/deviceAuth';
import { formatAge } from '../sync/formatAge';
import { ManagerTools } from './ManagerTools';
import { RepeatWindowSetting } from '../history/RepeatWindowSetting';

function bytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function useStorageInfo() {
  const [info, setInfo] = useState<{ usage: number; quota: number } | null>(null);
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const refresh = async () => {
    try {
      const e = await navigator.storage?.estimate?.();
      if (e) setInfo({ usage: e.usage ?? 0, quota: e.quota ?? 0 });
      const p = await navigator.storage?.persisted?.();
      if (typeof p === 'boolean') setPersisted(p);
    } catch {
      /* not available in this browser */
    }
  };
  useEffect(() => {
    void refresh();
  }, []);
  const requestPersist = async () => {
    try {
      await navigator.storage?.persist?.();
    } finally {
      await refresh();
    }
  };
  return { info, persisted, requestPersist };
}

function SyncSection() {
  const { t, lang } = useI18n();
  const id = useId();
  const s = useSyncState();
  const quarantine = useQuarantineRows();
  const waiting = useStuckRows();
  const unsynced = s.pendingRecords;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('sync.syncTitle')}</h3>
      <p className={s.online ? undefined : 'warning'}>{s.online ? t('sync.online') : t('sync.offline')}</p>
      {unsynced > 0 ? (
        <p role="status" className="warning" style={{ fontSize: '1.1rem', fontWeight: 700 }}>
          {t('sync.notSyncedWarning', { n: unsynced })}
        </p>
      ) : (
        !s.loading && <p role="status">{t('sync.allSynced')}</p>
      )}
      <dl className="grid2" style={{ margin: 0 }}>
        {(
          [
            ['sync.pendingRecords', s.pendingRecords],
            ['sync.pendingChanges', s.pendingChanges],
            ['sync.pendingPhotos', s.pendingPhotos],
            ['sync.quarantined', s.quarantined],
            ['sync.conflicts', s.conflicts],
            ['sync.stuck', s.stuck],
          ] as [MessageKey, number][]
        ).map(([k, n]) => (
          <div key={k} className="row" style={{ justifyContent: 'space-between', borderBottom: '1px solid var(--border)', padding: '4px 0' }}>
            <dt>{t(k)}</dt>
            <dd style={{ margin: 0, fontWeight: 700, fontSize: '1.2rem' }} data-count={k.slice(5)}>
              {n}
            </dd>
          </div>
        ))}
      </dl>
      {s.oldestPendingAge !== null && s.oldestPendingAge > 24 * 3600_000 && (
        <p role="alert" className="warning">
          {t('sync.waitedTooLong', { age: formatAge(s.oldestPendingAge, t) })}
        </p>
      )}
      <p>
        {t('sync.lastSuccess')}: <strong>{s.lastSuccessAt ? formatDateTime(lang, s.lastSuccessAt) : t('sync.never')}</strong>
      </p>
      {s.lastError && (
        <div role="alert" className="error">
          <strong>{t('sync.lastError')}:</strong> {t(`sync.error_${s.lastError.kind}`)}
          <br />
          <span className="muted" style={{ fontSize: '0.85rem' }}>
            {formatDateTime(lang, s.lastError.at)} · {s.lastError.detail}
          </span>
        </div>
      )}
      <div className="row" style={{ marginTop: 8 }}>
        <button type="button" className="primary" onClick={() => void syncNow()} disabled={s.running}>
          {s.running ? t('sync.syncing') : t('sync.syncNow')}
        </button>
        <span aria-live="polite">
          {s.running && s.progress && s.phase && t('sync.progress', { phase: t(`sync.phase_${s.phase}`), done: s.progress.done, total: s.progress.total })}
        </span>
      </div>
      {s.running && s.phase === 'photosUp' && s.photos && (
        <p className="muted" data-testid="photo-progress">
          {[
            t('sync.photosLeft', { n: s.photos.left }),
            ...(s.photos.bytesLeft !== null ? [t('sync.photosMBLeft', { mb: formatMB(s.photos.bytesLeft) })] : []),
            ...(s.photos.bytesPerSecond !== null ? [t('sync.photosRate', { rate: formatMB(s.photos.bytesPerSecond) })] : []),
          ].join(' · ')}
        </p>
      )}
      {waiting && waiting.length > 0 && (
        <div style={{ marginTop: 12 }} data-testid="stuck-changes">
          <h4>{t('sync.stuckTitle')}</h4>
          <p className="muted">{t('sync.stuckNote')}</p>
          <ul>
            {waiting.map((w) => (
              <li key={w.seq}>
                {t('sync.quarantineItem', { plate: w.plate || w.intakeId.slice(0, 8), op: t(`sync.op_${w.op}`), time: w.retryAt ? t('sync.stuckRetryAt', { time: formatDateTime(lang, w.retryAt) }) : t('sync.stuckNextRun') })}
                <br />
                <span className={w.stuck ? 'error' : 'warning'}>{t('sync.reason', { reason: w.reason })}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {quarantine && quarantine.length > 0 && (
        <div style={{ marginTop: 12 }}>
          <h4>{t('sync.quarantineTitle')}</h4>
          <p className="muted">{t('sync.quarantineNote')}</p>
          <ul>
            {quarantine.map((q) => (
              <li key={q.mutationId}>
                {t('sync.quarantineItem', { plate: q.plate || q.intakeId.slice(0, 8), op: t(`sync.op_${q.mutation.op}`), time: formatDateTime(lang, q.at) })}
                <br />
                <span className="error">{t('sync.reason', { reason: q.reason })}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function DeviceSection() {
  const { t } = useI18n();
  const id = useId();
  const session = useSession();
  const s = useSyncState();
  const [name, setName] = useState(session?.deviceName ?? '');
  const [confirming, setConfirming] = useState(false);
  if (!session) return null;
  const unsynced = s.pendingRecords + s.quarantined + s.conflicts;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('sync.deviceTitle')}</h3>
      <p>
        {t('sync.dealership')}: <strong>{session.dealership.name}</strong> ({session.dealership.slug})
      </p>
      <label className="field">
        <span className="label">{t('sync.deviceName')}</span>
        <input type="text" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} onBlur={() => name.trim() && void renameDevice(name)} />
      </label>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('auth.signOut')}
        </button>
      ) : (
        <div role="alertdialog" aria-labelledby={`${id}-warn`} className="card" style={{ borderColor: 'var(--danger)' }}>
          <p id={`${id}-warn`} className={unsynced > 0 ? 'warning' : undefined} style={{ fontWeight: 600 }}>
            {unsynced > 0 ? t('auth.signOutWarn', { n: unsynced }) : t('auth.signOutSafe')}
          </p>
          <div className="row">
            <button type="button" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="danger" onClick={() => void signOutDevice()}>
              {t('auth.signOutConfirm')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function StorageSection() {
  const { t } = useI18n();
  const id = useId();
  const { info, persisted, requestPersist } = useStorageInfo();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('sync.storageTitle')}</h3>
      <p>{info ? t('common.storageUsed', { used: bytes(info.usage), quota: bytes(info.quota) }) : t('sync.storageUnknown')}</p>
      {persisted !== null && <p className={persisted ? undefined : 'warning'}>{persisted ? t('common.storagePersistent') : t('common.storageNotPersistent')}</p>}
      {persisted === false && (
        <button type="button" onClick={() => void requestPersist()}>
          {t('sync.storagePersist')}
        </button>
      )}
    </section>
  );
}

export function SettingsScreen() {
  const { t, lang, setLang } = useI18n();
  const id = useId();
  const session = useSession();
  return (
    <div>
      <h2>{t('sync.settingsTitle')}</h2>
      <SyncSection />
      {session && (
        <section className="card" aria-labelledby={`${id}-user`}>
          <h3 id={`${id}-user`}>{t('auth.actingUser')}</h3>
          <p>
            <strong data-testid="acting-staff">{session.staff.name}</strong> · {t(`auth.role_${session.staff.role}`)}
          </p>
          <h4>{t('auth.switchUser')}</h4>
          <StaffSwitcher />
        </section>
      )}
      <section className="card" aria-labelledby={`${id}-lang`}>
        <h3 id={`${id}-lang`}>{t('sync.language')}</h3>
        <div className="row" role="group" aria-labelledby={`${id}-lang`}>
          {LANGS.map((l) => (
            <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
              {l === 'zh-CN' ? '简体中文' : 'English'}
            </button>
          ))}
        </div>
      </section>
      <RepeatWindowSetting />
      <DeviceSection />
      <StorageSection />
      {session?.staff.role === 'manager' && <ManagerTools />}
    </div>
  );
}
