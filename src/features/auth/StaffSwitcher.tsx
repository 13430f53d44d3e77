/**
 * Quick user switch on a shared tablet: tap your name, type your PIN. Checked on the tablet
 * (works offline), proven to the server when online. Wrong PINs count toward a lockout that
 * survives a reload. Nobody's unsynced work is hidden by a switch.
 */
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { formatTime } from '../../i18n/format';
import { switchStaff, type PinCheck } from './pin';
import { useStaffList, useSession } from '../../store/queries';

export function StaffSwitcher({ onSwitched }: { onSwitched?: () => void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const session = useSession();
  const staff = useStaffList();
  const [chosen, setChosen] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<(PinCheck & { serverVerified?: boolean }) | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!chosen || busy || pin.length === 0) return;
    setBusy(true);
    try {
      const r = await switchStaff(chosen, pin);
      setResult(r);
      setPin('');
      if (r.ok) {
        setChosen(null);
        onSwitched?.();
      }
    } finally {
      setBusy(false);
    }
  }

  const chosenStaff = staff?.find((s) => s.id === chosen);
  return (
    <div>
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend className="label" style={{ fontWeight: 600, marginBottom: 6 }}>
          {t('auth.chooseStaff')}
        </legend>
        <div className="row">
          {(staff ?? []).map((s) => (
            <button
              key={s.id}
              type="button"
              aria-pressed={chosen === s.id}
              disabled={session?.staff.id === s.id}
              onClick={() => {
                setChosen(s.id);
                setResult(null);
                setPin('');
              }}
            >
              {s.name} · {t(`auth.role_${s.role}`)}
            </button>
          ))}
        </div>
      </fieldset>
      {chosenStaff && (
        <form onSubmit={(e) => void onSubmit(e)} className="row" style={{ marginTop: 12, alignItems: 'flex-end' }}>
          <label className="field" style={{ flex: '1 1 200px', marginBottom: 0 }}>
            <span className="label">
              {t('auth.pin')} · {chosenStaff.name}
            </span>
            <input
              id={`${id}-pin`}
              type="password"
              inputMode="numeric"
              autoComplete="off"
              pattern="[0-9]*"
              maxLength={6}
              value={pin}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
              aria-describedby={`${id}-pin-hint`}
              autoFocus
            />
            <span id={`${id}-pin-hint`} className="muted">
              {t('auth.pinHint')}
            </span>
          </label>
          <button type="submit" className="primary" disabled={busy || pin.length < 4}>
            {busy ? t('auth.pinChecking') : t('auth.pinConfirm')}
          </button>
        </form>
      )}
      <div aria-live="polite">
        {result && !result.ok && (
          <p role="alert" className="error">
            {result.reason === 'wrong'
              ? t('auth.pinWrong', { n: result.attemptsLeft })
              : result.reason === 'locked'
                ? t('auth.pinLocked', { time: formatTime(lang, new Date(result.lockedUntil)) })
                : t('auth.pinUnknown')}
          </p>
        )}
        {result?.ok && (
          <p role="status">
            {t('auth.switched', { name: result.staff.name })}
            {!result.serverVerified && <span className="muted"> {t('auth.switchedOffline')}</span>}
          </p>
        )}
      </div>
      <p className="muted">{t('auth.unsyncedStays')}</p>
    </div>
  );
}
