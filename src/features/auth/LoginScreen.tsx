/**
 * Sign this tablet in, once: dealership code, username, password and a device name. After this
 * the tablet works offline; colleagues switch with their PIN (Settings).
 */
import { useId, useState, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { navigate } from '../../ui/router';
import { readPreference, writePreference, type LastLogin } from '../../store/preferences';
import { loginDevice, type LoginOutcome } from './deviceAuth';

function readLast(): Partial<LastLogin> {
  return readPreference('lastLogin') ?? {};
}

function platformName(): string {
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  if (/iPad|Macintosh.*Mobile/i.test(ua)) return 'iPad';
  if (/Android/i.test(ua)) return 'Android';
  if (/Windows/i.test(ua)) return 'Windows';
  return '';
}

function defaultDeviceName(base: string): string {
  const suffix = crypto.randomUUID().slice(0, 4).toUpperCase();
  return [base, platformName(), suffix].filter(Boolean).join(' ');
}

type Field = 'dealership' | 'username' | 'password' | 'deviceName';
const FIELDS: Field[] = ['dealership', 'username', 'password', 'deviceName'];

export function LoginScreen() {
  const { t } = useI18n();
  const id = useId();
  const [last] = useState(readLast);
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    dealership: last.dealership ?? '',
    username: last.username ?? '',
    password: '',
    deviceName: last.deviceName ?? defaultDeviceName(t('auth.defaultDeviceName')),
  }));
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<LoginOutcome | null>(null);

  const missing = (f: Field) => values[f].trim() === '';
  const showError = (f: Field) => !!touched[f] && missing(f);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setTouched({ dealership: true, username: true, password: true, deviceName: true });
    if (FIELDS.some(missing) || busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      const r = await loginDevice({
        dealership: values.dealership.trim().toLowerCase(),
        username: values.username.trim(),
        password: values.password,
        deviceName: values.deviceName.trim(),
      });
      setOutcome(r);
      if (r.ok) {
        writePreference('lastLogin', { dealership: values.dealership.trim().toLowerCase(), username: values.username.trim(), deviceName: values.deviceName.trim() });
        navigate({ name: 'list' }, { replace: true });
      }
    } finally {
      setBusy(false);
    }
  }

  const label: Record<Field, MessageKey> = {
    dealership: 'auth.dealership',
    username: 'auth.username',
    password: 'auth.password',
    deviceName: 'auth.deviceName',
  };
  const input = (f: Field, extra: { type?: string; autoComplete?: string; hint?: string; placeholder?: string }) => (
    <div className="field" key={f}>
      <label htmlFor={`${id}-${f}`} style={{ fontWeight: 600 }}>
        {t(label[f])}
      </label>
      <input
        id={`${id}-${f}`}
        name={f}
        type={extra.type ?? 'text'}
        autoComplete={extra.autoComplete}
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        placeholder={extra.placeholder}
        value={values[f]}
        aria-invalid={showError(f) || undefined}
        aria-describedby={showError(f) ? `${id}-${f}-err` : extra.hint ? `${id}-${f}-hint` : undefined}
        onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
        onBlur={() => setTouched((x) => ({ ...x, [f]: true }))}
      />
      {extra.hint && !showError(f) && (
        <span id={`${id}-${f}-hint`} className="muted">
          {extra.hint}
        </span>
      )}
      {showError(f) && (
        <span id={`${id}-${f}-err`} className="error">
          {t('auth.fieldRequired')}
        </span>
      )}
    </div>
  );

  return (
    <section aria-labelledby={`${id}-title`} style={{ maxWidth: 560, margin: '0 auto' }}>
      <h2 id={`${id}-title`}>{t('auth.title')}</h2>
      <p className="muted">{t('auth.intro')}</p>
      <form className="card" onSubmit={(e) => void onSubmit(e)} noValidate>
        {input('dealership', { autoComplete: 'organization', placeholder: 'demo' })}
        {input('username', { autoComplete: 'username' })}
        {input('password', { type: 'password', autoComplete: 'current-password' })}
        {input('deviceName', { autoComplete: 'off', hint: t('auth.deviceNameHint') })}
        {outcome && !outcome.ok && (
          <p role="alert" className="error">
            {outcome.reason === 'otherDealershipUnsynced' ? t('auth.error_otherDealershipUnsynced', { n: outcome.unsynced }) : t(`auth.error_${outcome.reason}`)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy} style={{ width: '100%' }}>
          {busy ? t('auth.submitting') : t('auth.submit')}
        </button>
      </form>
    </section>
  );
}
