/**
 * A react-hook-form form over one autosaved value (an intake section, a technician's notes…),
 * validated by the zod resolver over that value's schema. There is no submit and no save button:
 * every change goes to the autosave editor at once (src/db/useAutosave.ts writes it 250 ms later,
 * and at once when the page is hidden or closed or the screen is left), so nothing typed is lost
 * when the tab closes a second after the last keystroke. A draft is saved whatever validation
 * says: completeness is decided on the review step, never by refusing to save.
 *
 * - Errors are i18n keys of src/i18n/validation.ts (the schemas' messages); TextField translates
 *   them. They are shown for a field the user has changed or left (touched), and for one that
 *   already held a value when the screen opened, so an empty new form is not covered in red.
 * - The whole value is re-validated after every change: one field's rule may depend on another
 *   (the plate's format on "other plate format").
 * - The editor is the source of truth for what is stored: a value it adopts from elsewhere (sync,
 *   another tab; stale echoes of our own saves are refused there) resets the form to it.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useForm, type DefaultValues, type FieldPath, type FieldValues, type PathValue, type UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { ZodType } from 'zod';

/** What the form needs of an autosave editor (useSection, useFollowUpDraft). */
export interface AutosaveTarget<T> {
  value: T;
  set: (next: (prev: T) => T) => void;
  readOnly: boolean;
}

/** Props for a TextField bound to one string field. */
export interface TextBinding {
  value: string;
  onChange: (v: string) => void;
  onBlur: () => void;
  error: string | null;
  readOnly: boolean;
}

export interface AutosaveForm<T extends FieldValues> {
  form: UseFormReturn<T>;
  /** The form's current values (re-rendered on every change). */
  values: T;
  readOnly: boolean;
  /** Change one field: marks it touched, autosaves, re-validates. */
  set: <P extends FieldPath<T>>(path: P, value: PathValue<T, P>) => void;
  /** The field was left: its error is shown from now on. */
  touch: (path: FieldPath<T>) => void;
  /** The field's error key when it should be shown (touched, or filled at open), else null. */
  error: (path: FieldPath<T>) => string | null;
  /** The field's error key whether touched or not (for a field that appears because of a choice). */
  issue: (path: FieldPath<T>) => string | null;
  /** value / onChange / onBlur / error / readOnly for a TextField over a string field. */
  text: (path: FieldPath<T>) => TextBinding;
}

/** Immutable update of `path` ("items.2.description") in a plain object/array tree. */
export function setAtPath<T>(root: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const node: unknown = root;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(node) ? [...(node as unknown[])] : { ...(node as Record<string, unknown>) };
  const key: string | number = Array.isArray(copy) ? Number(head) : head;
  const current = (copy as Record<string | number, unknown>)[key];
  (copy as Record<string | number, unknown>)[key] = rest.length === 0 ? value : setAtPath(current, rest.join('.'), value);
  return copy as T;
}

/**
 * The part of a bigger autosaved record that a form edits (e.g. a technician check's notes):
 * the form sees only `keys`; its changes are merged into the newest whole record.
 */
export function pickTarget<T extends object, K extends keyof T>(editor: AutosaveTarget<T>, keys: readonly K[]): AutosaveTarget<Pick<T, K>> {
  const pick = (v: T) => Object.fromEntries(keys.map((k) => [k, v[k]])) as Pick<T, K>;
  return {
    value: pick(editor.value),
    set: (next) => editor.set((prev) => ({ ...prev, ...next(pick(prev)) })),
    readOnly: editor.readOnly,
  };
}

function filled(v: unknown): boolean {
  return v !== '' && v !== null && v !== undefined && v !== false;
}

function anyFilled(v: unknown): boolean {
  if (v !== null && typeof v === 'object') return Object.values(v).some(anyFilled);
  return filled(v);
}

function valueAt(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), root);
}

export function useAutosaveForm<T extends FieldValues>(editor: AutosaveTarget<T>, schema: ZodType<unknown, T>): AutosaveForm<T> {
  const form = useForm<T, unknown, T>({
    // The form starts from the editor's value; later changes of it arrive through reset below.
    defaultValues: editor.value as DefaultValues<T>,
    resolver: zodResolver(schema, undefined, { raw: true }),
    mode: 'onChange',
  });
  const { trigger, reset, getValues, setValue, getFieldState } = form;
  // Read during render so this component re-renders when they change (formState is a proxy).
  const { formState } = form;
  void formState.errors;
  void formState.touchedFields;
  const values = form.watch();

  // Which fields held a value when the screen opened: their errors show without a touch.
  const opened = useRef(editor.value);
  const { readOnly } = editor;
  const editorRef = useRef(editor);
  useEffect(() => {
    editorRef.current = editor;
  });

  // Errors of fields filled at open show at once; a form opened empty has none to show yet.
  useEffect(() => {
    if (anyFilled(opened.current)) void trigger();
  }, [trigger]);

  // A value adopted by the editor from elsewhere replaces the form's (touched state is kept).
  useEffect(() => {
    if (JSON.stringify(editor.value) === JSON.stringify(getValues())) return;
    reset(editor.value, { keepTouched: true, keepDefaultValues: true });
    void trigger();
  }, [editor.value, getValues, reset, trigger]);

  const set = useCallback(
    <P extends FieldPath<T>>(path: P, value: PathValue<T, P>) => {
      if (editorRef.current.readOnly) return;
      setValue(path, value, { shouldTouch: true, shouldDirty: true });
      editorRef.current.set((prev) => setAtPath(prev, path, value));
      void trigger();
    },
    [setValue, trigger],
  );

  const touch = useCallback(
    (path: FieldPath<T>) => {
      if (getFieldState(path).isTouched) return;
      setValue(path, getValues(path), { shouldTouch: true });
      void trigger(); // a form opened empty has not been validated yet
    },
    [getFieldState, getValues, setValue, trigger],
  );

  const issue = (path: FieldPath<T>): string | null => getFieldState(path, formState).error?.message ?? null;
  const error = (path: FieldPath<T>): string | null => {
    const state = getFieldState(path, formState);
    if (!state.error?.message) return null;
    return state.isTouched || filled(valueAt(opened.current, path)) ? state.error.message : null;
  };

  const text = (path: FieldPath<T>): TextBinding => ({
    value: String(valueAt(values, path) ?? ''),
    onChange: (v) => set(path, v as PathValue<T, typeof path>),
    onBlur: () => touch(path),
    error: error(path),
    readOnly,
  });

  return { form, values, readOnly, set, touch, error, issue, text };
}
