/**
 * Manager tools on the tablet (online only): add a staff member (the tablet's staff list with
 * PIN verifiers is refreshed at once, so the new colleague can switch in offline later), and
 * list / revoke signed-in devices (a lost tablet stops syncing at once). Every manager action
 * first needs the manager's PASSWORD re-entered (step-up, valid a few minutes on the server): a
 * PIN only switches who is acting, it never unlocks these.
 */
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime, formatTime } from '../../i18n/format';
import { useSession } from '../../store/queries';
import { addStaffMember, listDevices, refreshStaffList, revokeDevice, stepUpManager, type ManagerOutcome } from '../auth/deviceAuth';
import { ROLES, type Device, type Role } from '../../shared/auth';

export function ManagerTools() {
  const { t, lang } = useI18n();
  const id = useId();
  const session = useSession();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ name: '', username: '', role: 'advisor' as Role, password: '', pin: '' });
  const [stepUpPassword, setStepUpPassword] = useState('');
  const [stepUpUntil, setStepUpUntil] = useState<string | null>(null);
  const steppedUp = stepUpUntil !== null;

  function report<T>(r: ManagerOutcome<T>, okText: (d: T) => string) {
    if (!r.ok && r.reason === 'stepUpRequired') setStepUpUntil(null); // ran out on the server
    if (r.ok) setMessage({ ok: true, text: okText(r.data) });
    else if (r.reason === 'offline') setMessage({ ok: false, text: t('auth.managerOnlineOnly') });
    else if (r.reason === 'stepUpRequired') setMessage({ ok: false, text: t('auth.stepUpRequired') });
    else if (r.reason === 'wrongPassword') setMessage({ ok: false, text: t('auth.wrongPassword') });
    else if (r.reason === 'locked') setMessage({ ok: false, text: t('auth.passwordLocked') });
    else if (r.reason === 'forbidden' || r.reason === 'notManager') setMessage({ ok: false, text: t('auth.managerForbidden') });
    else if (r.reason === 'exists') setMessage({ ok: false, text: t('auth.staffExists') });
    else if (r.reason === 'invalid') setMessage({ ok: false, text: t('auth.staffInvalid', { reason: r.message }) });
    else setMessage({ ok: false, text: t('auth.managerFailed', { reason: r.message }) });
  }

  async function run(fn: () => Promise<void>) {
    setBusy(true);
    setMessage(null);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  }

  async function onStepUp(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const r = await stepUpManager(stepUpPassword);
      setStepUpPassword('');
      if (r.ok) setStepUpUntil(r.data.until);
      report(r, (d) => t('auth.stepUpDone', { time: formatTime(lang, new Date(d.until)) }));
    });
  }

  async function onAdd(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const r = await addStaffMember(form);
      report(r, () => t('auth.staffAdded'));
      if (r.ok) setForm({ name: '', username: '', role: 'advisor', password: '', pin: '' });
    });
  }

  const field = (k: 'name' | 'username' | 'password' | 'pin', label: string, extra: { type?: string; inputMode?: 'numeric' } = {}) => (
    <label className="field">
      <span className="label">{label}</span>
      <input
        type={extra.type ?? 'text'}
        inputMode={extra.inputMode}
        autoComplete="off"
        autoCapitalize="none"
        value={form[k]}
        onChange={(e) => setForm((f) => ({ ...f, [k]: e.target.value }))}
      />
    </label>
  );

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('auth.managerTools')}</h3>
      <p className="muted">{t('auth.managerOnlineOnly')}</p>
      <div aria-live="polite">
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? undefined : 'error'}>
            {message.text}
          </p>
        )}
      </div>
      <form onSubmit={(e) => void onStepUp(e)} aria-labelledby={`${id}-stepup`}>
        <h4 id={`${id}-stepup`}>{t('auth.stepUpTitle')}</h4>
        <p className="muted">{t('auth.stepUpNote')}</p>
        <div className="row">
          <label className="field">
            <span className="label">{t('auth.stepUpPassword')}</span>
            <input type="password" autoComplete="current-password" maxLength={200} value={stepUpPassword} onChange={(e) => setStepUpPassword(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || !stepUpPassword}>
            {t('auth.stepUpConfirm')}
          </button>
        </div>
        {stepUpUntil && <p className="muted" data-testid="step-up-until">{t('auth.stepUpDone', { time: formatTime(lang, new Date(stepUpUntil)) })}</p>}
      </form>
      <form onSubmit={(e) => void onAdd(e)} aria-labelledby={`${id}-add`}>
        <h4 id={`${id}-add`}>{t('auth.addStaff')}</h4>
        <div className="grid2">
          {field('name', t('auth.staffName'))}
          {field('username', t('auth.staffUsername'))}
          <label className="field">
            <span className="label">{t('auth.staffRole')}</span>
            <select value={form.role} onChange={(e) => setForm((f) => ({ ...f, role: e.target.value as Role }))}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`auth.role_${r}`)}
                </option>
              ))}
            </select>
          </label>
          {field('password', t('auth.staffPassword'), { type: 'password' })}
          {field('pin', t('auth.staffPin'), { type: 'password', inputMode: 'numeric' })}
        </div>
        <button type="submit" className="primary" disabled={busy || !steppedUp}>
          {t('auth.addStaff')}
        </button>
      </form>
      <div className="row" style={{ marginTop: 12 }}>
        <button type="button" disabled={busy || !steppedUp} onClick={() => void run(async () => report(await refreshStaffList(), (n) => t('auth.staffRefreshed', { n })))}>
          {t('auth.refreshStaff')}
        </button>
        <button
          type="button"
          disabled={busy || !steppedUp}
          onClick={() =>
            void run(async () => {
              const r = await listDevices();
              if (r.ok) setDevices(r.data);
              else report(r, () => '');
            })
          }
        >
          {t('auth.loadDevices')}
        </button>
      </div>
      {devices && (
        <>
          <h4>{t('auth.devices')}</h4>
          <ul style={{ listStyle: 'none', padding: 0 }}>
            {devices.map((d) => (
              <li key={d.id} className="row" style={{ justifyContent: 'space-between', borderBottom: '1px solid var(--border)', padding: '6px 0' }}>
                <span>
                  <strong>{d.name}</strong>
                  {d.id === session?.deviceId && ` (${t('auth.thisDevice')})`}
                  <br />
                  <span className="muted">{d.lastSeenAt ? t('auth.lastSeen', { time: formatDateTime(lang, d.lastSeenAt) }) : t('auth.neverSeen')}</span>
                </span>
                {d.revokedAt ? (
                  <span className="badge danger">{t('auth.revoked')}</span>
                ) : (
                  <button
                    type="button"
                    className="danger"
                    disabled={busy || !steppedUp}
                    aria-label={`${t('auth.revoke')} · ${d.name}`}
                    onClick={() => {
                      if (!window.confirm(t('auth.revokeConfirm', { name: d.name }))) return;
                      void run(async () => {
                        const r = await revokeDevice(d.id);
                        if (r.ok) {
                          const l = await listDevices();
                          if (l.ok) setDevices(l.data);
                        } else report(r, () => '');
                      });
                    }}
                  >
                    {t('auth.revoke')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
