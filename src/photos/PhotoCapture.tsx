/**
 * The camera button: a real <button> (found and pressed by its role and name, by touch, keyboard
 * or assistive technology) that opens the <input type="file" capture="environment"> kept behind
 * it. The input is out of the tab order and hidden from assistive technology (the button is the
 * one control); it keeps the same name as a label, so tests may still set files on it directly.
 *
 * The caller must have saved its form before this button can be pressed (a crash while the
 * camera is open must not lose the record): the walk-around saves each finding the moment it
 * is added. Photos go through a capture queue (captureQueue.ts): the button stays usable while
 * earlier photos are still being resized and stored, each photo is stored on its own, and
 * `onAdded` is called once per stored photo, in shutter order (use a functional update in the
 * caller).
 */
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { captureErrorKind } from './capturePhoto';
import { createCaptureQueue, type CaptureQueue, type CaptureQueueState } from './captureQueue';
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
  const [queue, setQueue] = useState<CaptureQueueState>({ pending: 0, processing: 0, stored: 0 });
  const [error, setError] = useState<string | null>(null);
  const busy = queue.pending > 0;
  const input = useRef<HTMLInputElement>(null);
  // The queue outlives re-renders; it reads the latest props when it needs them.
  const latest = useRef({ intakeId, onAdded, t });
  useEffect(() => {
    latest.current = { intakeId, onAdded, t };
  });
  const q = useRef<CaptureQueue | null>(null);
  q.current ??= createCaptureQueue({
    intakeId: () => latest.current.intakeId,
    onStored: (hash) => latest.current.onAdded(hash),
    onError: (err) => {
      const tr = latest.current.t;
      const kind = captureErrorKind(err);
      setError(
        kind === 'decode'
          ? tr('walkaround.photoErrorDecode')
          : kind === 'quota'
            ? tr('walkaround.photoErrorQuota')
            : kind === 'verify'
              ? tr('walkaround.photoErrorVerify')
              : tr('walkaround.photoErrorGeneric', { reason: err instanceof Error ? err.message : String(err) }),
      );
    },
    onChange: setQueue,
  });

  function onChange(e: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(e.target.files ?? []);
    // Let the same photo be chosen again later (a change event needs a new value).
    e.target.value = '';
    if (files.length === 0) return;
    setError(null);
    q.current?.add(files);
  }

  const status =
    queue.pending > 1
      ? t('walkaround.photoQueue', { n: queue.pending })
      : queue.pending === 1
        ? queue.processing > 0
          ? t('walkaround.photoProcessing')
          : t('walkaround.photoSaving')
        : queue.stored > 0
          ? t('walkaround.photoAdded')
          : '';

  return (
    <span className="photo-capture">
      <button
        type="button"
        className="photo-capture-button"
        disabled={disabled}
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
        disabled={disabled}
        onChange={onChange}
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
