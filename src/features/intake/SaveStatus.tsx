/**
 * The unobtrusive save indicator of an intake step ("正在保存…" / "已自动保存"). A step may edit
 * several sections; the worst state wins (an error beats saving, saving beats saved).
 */
import type { SaveState } from '../../db/useSection';
import { useI18n } from '../../i18n/i18n';
import { errorText } from '../../i18n/errorText';

export interface EditorStatus {
  state: SaveState;
  error: string | null;
}

export function combinedState(editors: EditorStatus[]): EditorStatus {
  const err = editors.find((e) => e.state === 'error');
  if (err) return err;
  if (editors.some((e) => e.state === 'saving' || e.state === 'pending')) return { state: 'saving', error: null };
  if (editors.some((e) => e.state === 'saved')) return { state: 'saved', error: null };
  return { state: 'idle', error: null };
}

export function SaveStatus({ editors, readOnly = false }: { editors: EditorStatus[]; readOnly?: boolean }) {
  const { t } = useI18n();
  const { state, error } = combinedState(editors);
  let text = '';
  if (readOnly) text = t('intake.readOnlySigned');
  else if (state === 'error') text = t('common.saveFailed', { reason: errorText(t, error) });
  else if (state === 'saving') text = t('common.saving');
  else if (state === 'saved') text = t('common.saved');
  return (
    <p
      className={`save-state intake-save-state ${state === 'error' ? 'error' : 'muted'}`}
      role={state === 'error' ? 'alert' : 'status'}
      aria-live="polite"
      data-state={readOnly ? 'readonly' : state}
    >
      {text}
    </p>
  );
}
