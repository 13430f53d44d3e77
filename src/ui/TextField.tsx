/**
 * A labelled text input (or textarea) with its zod error and an optional warning, wired for
 * assistive technology: the error sets aria-invalid and both are announced via aria-describedby.
 * `error` and `warning` are message keys of the validation namespace (from the shared schemas).
 */
import { useId, type HTMLAttributes, type ReactNode, type Ref } from 'react';
import { translateIssue, useI18n } from '../i18n/i18n';
import './fields.css';

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  onBlur?: () => void;
  error?: string | null;
  warning?: string | null;
  hint?: ReactNode;
  readOnly?: boolean;
  multiline?: boolean;
  type?: 'text' | 'tel' | 'date' | 'time' | 'datetime-local';
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  autoComplete?: string;
  maxLength?: number;
  placeholder?: string;
  required?: boolean;
  className?: string;
  /** Composition (IME) events: normalise only after the candidate is committed. */
  onCompositionStart?: () => void;
  onCompositionEnd?: (v: string) => void;
  autoCapitalize?: string;
  /** The single-line input element (e.g. to give focus back to it). */
  inputRef?: Ref<HTMLInputElement>;
}

export function TextField(p: TextFieldProps) {
  const { lang } = useI18n();
  const id = useId();
  const errId = `${id}-err`;
  const warnId = `${id}-warn`;
  const hintId = `${id}-hint`;
  const describedBy = [p.error ? errId : null, p.warning ? warnId : null, p.hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value: p.value,
    readOnly: p.readOnly,
    maxLength: p.maxLength,
    placeholder: p.placeholder,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': p.required || undefined,
    onBlur: p.onBlur,
    onCompositionStart: p.onCompositionStart,
  };
  return (
    <div className={`field ${p.className ?? ''}`}>
      <label htmlFor={id} className="label">
        {p.label}
        {p.required && <span aria-hidden="true" className="required-mark"> *</span>}
      </label>
      {p.multiline ? (
        <textarea
          {...common}
          rows={3}
          onChange={(e) => p.onChange(e.target.value)}
          onCompositionEnd={(e) => p.onCompositionEnd?.(e.currentTarget.value)}
        />
      ) : (
        <input
          {...common}
          ref={p.inputRef}
          type={p.type ?? 'text'}
          inputMode={p.inputMode}
          autoComplete={p.autoComplete ?? 'off'}
          autoCapitalize={p.autoCapitalize}
          spellCheck={false}
          onChange={(e) => p.onChange(e.target.value)}
          onCompositionEnd={(e) => p.onCompositionEnd?.(e.currentTarget.value)}
        />
      )}
      {p.hint && (
        <span id={hintId} className="muted field-hint">
          {p.hint}
        </span>
      )}
      {p.error && (
        <span id={errId} className="error">
          {translateIssue(lang, p.error)}
        </span>
      )}
      {p.warning && (
        <span id={warnId} className="warning">
          ⚠ {translateIssue(lang, p.warning)}
        </span>
      )}
    </div>
  );
}
