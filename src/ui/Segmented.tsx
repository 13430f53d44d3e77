/**
 * A row of big toggle buttons (aria-pressed) for one choice: thumb-sized targets for a tablet held
 * in one hand, faster than a dropdown. Tapping the pressed option again clears it when
 * `clearable` (a mis-tap can be undone without choosing something else).
 */
import { useId } from 'react';
import './fields.css';

export interface SegmentedOption<V extends string | number> {
  value: V;
  label: string;
  /** Accessible name when the visible label is short (e.g. "3/8"). */
  ariaLabel?: string;
  tone?: 'ok' | 'issue' | 'neutral';
}

export interface SegmentedProps<V extends string | number> {
  label: string;
  /** Hide the group label visually (it still names the group). */
  hideLabel?: boolean;
  options: SegmentedOption<V>[];
  value: V | null;
  onChange: (v: V | null) => void;
  clearable?: boolean;
  disabled?: boolean;
  className?: string;
  testId?: string;
  /** Show the required mark (*) by the label. */
  required?: boolean;
}

export function Segmented<V extends string | number>({ label, hideLabel, options, value, onChange, clearable = false, disabled = false, className, testId, required = false }: SegmentedProps<V>) {
  const labelId = useId();
  return (
    <div className={`segmented-field ${className ?? ''}`} data-testid={testId}>
      <span id={labelId} className={hideLabel ? 'visually-hidden' : 'label'}>
        {label}
        {required && (
          <span aria-hidden="true" className="required-mark">
            {' '}
            *
          </span>
        )}
      </span>
      <div role="group" aria-labelledby={labelId} className="segmented">
        {options.map((o) => {
          const pressed = o.value === value;
          return (
            <button
              key={String(o.value)}
              type="button"
              aria-pressed={pressed}
              aria-label={o.ariaLabel}
              className={`segment tone-${o.tone ?? 'neutral'}`}
              disabled={disabled}
              onClick={() => onChange(pressed ? (clearable ? null : o.value) : o.value)}
            >
              {o.label}
            </button>
          );
        })}
      </div>
    </div>
  );
}
