/**
 * The fuel gauge (燃油量) in eighths, as nine big touch targets from empty (E) to full (F), filled
 * up to the chosen level so it reads like the needle on the dashboard. For an electric car the
 * same eighths record the battery level.
 */
import { useId } from 'react';
import { useI18n } from '../../i18n/i18n';

const LEVELS = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

export function FuelGauge({ value, onChange, readOnly = false }: { value: number | null; onChange: (v: number | null) => void; readOnly?: boolean }) {
  const { t } = useI18n();
  const labelId = useId();
  const short = (n: number) => (n === 0 ? 'E' : n === 8 ? 'F' : n === 4 ? '½' : `${n}/8`);
  return (
    <div className="segmented-field fuel-gauge">
      <span id={labelId} className="label">
        {t('intake.fuel')}
        <span className="muted"> · {value === null ? t('intake.fuelUnset') : t('intake.fuelValue', { n: value })}</span>
      </span>
      <div role="group" aria-labelledby={labelId} className="segmented fuel-segments">
        {LEVELS.map((n) => (
          <button
            key={n}
            type="button"
            className={`segment fuel-segment${value !== null && n <= value ? ' filled' : ''}`}
            aria-pressed={value === n}
            aria-label={n === 0 ? t('intake.fuelEmpty') : n === 8 ? t('intake.fuelFull') : t('intake.fuelValue', { n })}
            disabled={readOnly}
            onClick={() => onChange(value === n ? null : n)}
          >
            {short(n)}
          </button>
        ))}
      </div>
    </div>
  );
}
