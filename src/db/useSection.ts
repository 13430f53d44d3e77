/**
 * Autosave for one section of an intake. The screen edits a local copy (instant typing); the
 * copy is written to IndexedDB 250 ms after the last change, and at once when the page is
 * hidden or closed (pagehide/visibilitychange), so nothing typed is lost when the tablet sleeps
 * or the tab is closed a second after the last keystroke. There is no save button.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Intake, SectionName, SectionValue } from '../shared/schema/intake';
import { updateSection } from './intakeRepo';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';
export const AUTOSAVE_DELAY_MS = 250;

export interface SectionEditor<S extends SectionName> {
  value: SectionValue<S>;
  /** Replace the section (or update it from the previous value). */
  set: (next: SectionValue<S> | ((prev: SectionValue<S>) => SectionValue<S>)) => void;
  /** Write now (e.g. before navigating or opening the camera). */
  flush: () => Promise<void>;
  state: SaveState;
  error: string | null;
  readOnly: boolean;
}

export function useSection<S extends SectionName>(intake: Intake, section: S): SectionEditor<S> {
  const [value, setValue] = useState<SectionValue<S>>(intake[section] as SectionValue<S>);
  const [state, setState] = useState<SaveState>('idle');
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<SectionValue<S> | null>(null);
  /**
   * The newest value, kept in step synchronously. `set` computes from it and marks the edit as
   * pending AT ONCE, not inside a state updater: updaters run only at the next render, and React
   * flushes the previous render's effects before that render, so an external value adopted by the
   * effect below could otherwise land after the keystroke and erase it (a first character lost).
   */
  const latest = useRef<SectionValue<S>>(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const readOnly = intake.status === 'signed';
  const id = intake.id;

  // Values this editor wrote, newest last (JSON). A live-query result rendered after a newer
  // local write still carries an OLDER value of ours: adopting it would roll back what was typed
  // meanwhile (and the next keystroke would save the rollback), so such echoes are ignored.
  const written = useRef<string[]>([]);
  const inFlight = useRef(0);

  // Follow changes from elsewhere (sync, another tab) when nothing local is waiting or saving.
  const external = intake[section] as SectionValue<S>;
  useEffect(() => {
    if (pending.current !== null || inFlight.current > 0) return;
    const json = JSON.stringify(external);
    const i = written.current.lastIndexOf(json);
    if (i >= 0 && i < written.current.length - 1) return; // stale echo of an earlier save
    latest.current = external;
    // Re-checked when applied: a keystroke may have arrived between this effect and the render.
    setValue((prev) => (pending.current !== null ? prev : external));
  }, [external]);

  const flush = useCallback(async () => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const v = pending.current;
    if (v === null) return;
    pending.current = null;
    setState('saving');
    written.current = [...written.current.slice(-19), JSON.stringify(v)];
    inFlight.current++;
    try {
      await updateSection(id, section, v);
      setState(pending.current === null ? 'saved' : 'pending');
      setError(null);
    } catch (e) {
      setState('error');
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inFlight.current--;
    }
  }, [id, section]);

  const set = useCallback<SectionEditor<S>['set']>(
    (next) => {
      if (readOnly) return;
      const v = typeof next === 'function' ? (next as (p: SectionValue<S>) => SectionValue<S>)(latest.current) : next;
      latest.current = v;
      pending.current = v;
      setValue(v);
      setState('pending');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    },
    [flush, readOnly],
  );

  useEffect(() => {
    const onHide = () => void flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      void flush(); // leaving the screen saves too
    };
  }, [flush]);

  return { value, set, flush, state, error, readOnly };
}
