/** Settings: the repeat-repair (重复维修) window of this tablet, in days (default 90). */
import { useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { setRepeatWindowDays, useRepeatWindowDays } from '../../store/vehicleHistory';

export function RepeatWindowSetting() {
  const { t } = useI18n();
  const id = useId();
  const stored = useRepeatWindowDays();
  const [typed, setTyped] = useState<string | null>(null);
  if (stored === undefined) return null;
  const value = typed ?? String(stored);
  const save = () => {
    const n = Number(value);
    if (Number.isInteger(n) && n >= 1 && n <= 3650) void setRepeatWindowDays(n);
    setTyped(null);
  };
  return (
    <section className="card" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`}>{t('history.repeatBadge')}</h3>
      <label className="field">
        <span className="label">{t('history.settingsWindow')}</span>
        <input type="number" inputMode="numeric" min={1} max={3650} value={value} onChange={(e) => setTyped(e.target.value)} onBlur={save} />
      </label>
    </section>
  );
}
