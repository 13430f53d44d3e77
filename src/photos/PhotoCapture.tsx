/**
 * The camera button: a real <button> (found and pressed by its role and name, by touch, keyboard
 * or assistive technology) that opens the <input type="file" capture="environment"> kept behind
 * it. The input is out of the tab order and hidden from assistive technology (the button is the
 * one control); it keeps the same name as a label, so tests may still set files on it directly.
 *
 * The caller must have saved its form before this button can be pressed (a crash while the
 * camera is open must not lose the record): the walk-around saves each finding the moment it
 * is added. Each chosen photo is processed and stored on its own, before the next one, and
 * `onAdded` is called once per stored photo (use a functional update in the caller).
 */
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { capturePhoto, captureErrorKind, type CaptureStage } from './capturePhoto';
import './photos.css';

export interface PhotoCaptureProps {
  intakeId: string;
  label: string;
  onAdded: (hash: string) => void;
  disabled?: boolean;
  /**
   * Called as the camera/picker is opened: a last chance to write pending edits (e.g. the
   * autosave's flush). The caller's record must already hold what matters; this only narrows
   * the window for text typed in the last moments.
   */
  onOpen?: () => void;
}

export function PhotoCapture({ intakeId, label, onAdded, disabled = false, onOpen }: PhotoCaptureProps) {
  const { t } = useI18n();
  const inputId = useId();
  const statusId = useId();
  const [stage, setStage] = useState<CaptureStage | 'done' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = stage === 'processing' || stage === 'saving';
  const input = useRef<HTMLInputElement>(null);

  async function onChange(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []);
    // Let the same photo be chosen again later (a change event needs a new value).
    e.target.value = '';
    if (files.length === 0) return;
    setError(null);
    let added = 0;
    for (const file of files) {
      try {
        const hash = await capturePhoto(intakeId, file, setStage);
        onAdded(hash);
        added++;
      } catch (err) {
        const kind = captureErrorKind(err);
        setError(
          kind === 'decode'
            ? t('walkaround.photoErrorDecode')
            : kind === 'quota'
              ? t('walkaround.photoErrorQuota')
              : kind === 'verify'
                ? t('walkaround.photoErrorVerify')
                : t('walkaround.photoErrorGeneric', { reason: err instanceof Error ? err.message : String(err) }),
        );
      }
    }
    setStage(added > 0 ? 'done' : null);
  }

  const status = stage === 'processing' ? t('walkaround.photoProcessing') : stage === 'saving' ? t('walkaround.photoSaving') : stage === 'done' ? t('walkaround.photoAdded') : '';

  return (
    <span className="photo-capture">
      <button
        type="button"
        className="photo-capture-button"
        disabled={disabled || busy}
        aria-describedby={statusId}
        onClick={() => {
          onOpen?.();
          input.current?.click();
        }}
      >
        <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M4 8h3l2-3h6l2 3h3v11H4z" />
          <circle cx="12" cy="13" r="3.5" />
        </svg>
        <span>{label}</span>
      </button>
      <input
        ref={input}
        id={inputId}
        className="photo-capture-input"
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        tabIndex={-1}
        aria-hidden="true"
        aria-label={label}
        disabled={disabled || busy}
        onChange={(e) => void onChange(e)}
      />
      <span id={statusId} role="status" aria-live="polite" className="photo-capture-status muted">
        {busy && <span className="photo-spinner" aria-hidden="true" />}
        {status}
      </span>
      {error && (
        <span role="alert" className="error photo-capture-error">
          {error}
        </span>
      )}
    </span>
  );
}
