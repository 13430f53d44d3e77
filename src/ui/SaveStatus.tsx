/**
 * The one save indicator of every editing screen ("正在保存…" / "已自动保存" / "保存失败：…"):
 * intake steps, technician check, handover. A screen may edit several records or sections at
 * once; the worst state wins (an error beats saving, saving beats saved). Nothing is shown
 * before the first edit. A signed (frozen) record shows the screen's own read-only line instead.
 */
import { useI18n } from '../i18n/i18n';
import { errorText } from '../i18n/errorText';
import './fields.css';

/** The autosave states of src/db/useAutosave.ts, as this widget shows them. */
export type SaveStatusState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface EditorStatus {
  state: SaveStatusState;
  /** The domain error code of a failed save (translated here, never shown raw). */
  error: string | null;
}

export function combinedState(editors: readonly EditorStatus[]): EditorStatus {
  const err = editors.find((e) => e.state === 'error');
  if (err) return err;
  if (editors.some((e) => e.state === 'saving' || e.state === 'pending')) return { state: 'saving', error: null };
  if (editors.some((e) => e.state === 'saved')) return { state: 'saved', error: null };
  return { state: 'idle', error: null };
}

export interface SaveStatusProps {
  editors: readonly EditorStatus[];
  /** Set when the record is signed: `readOnlyText` is shown instead of a save state. */
  readOnly?: boolean;
  /** The screen's read-only line (default: the intake's). */
  readOnlyText?: string;
}

export function SaveStatus({ editors, readOnly = false, readOnlyText }: SaveStatusProps) {
  const { t } = useI18n();
  const { state, error } = combinedState(editors);
  let text = '';
  if (readOnly) text = readOnlyText ?? t('intake.readOnlySigned');
  else if (state === 'error') text = t('common.saveFailed', { reason: errorText(t, error) });
  else if (state === 'saving') text = t('common.saving');
  else if (state === 'saved') text = t('common.saved');
  return (
    <p className={`save-state save-status ${state === 'error' && !readOnly ? 'error' : 'muted'}`} role={state === 'error' && !readOnly ? 'alert' : 'status'} aria-live="polite" data-state={readOnly ? 'readonly' : state}>
      {text}
    </p>
  );
}
