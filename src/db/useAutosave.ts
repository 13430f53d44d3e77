/**
 * The autosave core shared by every editor (intake sections, technician checks, handovers).
 * The screen edits a local copy (instant typing); the copy is written `delayMs` after the last
 * change, and at once when the page is hidden or closed (pagehide/visibilitychange) or the
 * screen is left, so nothing typed is lost when the tablet sleeps or the tab is closed a second
 * after the last keystroke. There is no save button.
 *
 * Two races this guards against, both seen in tests:
 * - An edit is marked pending SYNCHRONOUSLY in `set`, never inside a state updater: updaters run
 *   only at the next render, and React flushes the previous render's effects first, so a stored
 *   value adopted by the follow-effect could otherwise land after a keystroke and erase it.
 * - While a write is pending or in flight, the stored value coming back (our own older save, or a
 *   stale live-query result) is not adopted; `acceptExternal` lets the caller refuse stale echoes
 *   after that too. Changes from elsewhere (sync, another tab) are followed when nothing is local.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isDomainError } from '../model/domainError';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface AutosaveEditor<T> {
  value: T;
  /** Replace the value (or update it from the newest value). */
  set: (next: T | ((prev: T) => T)) => void;
  /** Write now (e.g. before navigating or opening the camera). */
  flush: () => Promise<void>;
  state: SaveState;
  /** The domain error code of the last failed write ('unknown' for anything else). */
  error: string | null;
  readOnly: boolean;
}

export interface AutosaveOptions<T> {
  /** The stored value as the live query shows it now. */
  external: T;
  readOnly: boolean;
  delayMs: number;
  /** Persist a value (its own transaction, outbox included). */
  write: (value: T) => Promise<void>;
  /** Whether a stored value that arrives while nothing is pending may replace the screen's copy. */
  acceptExternal?: (value: T) => boolean;
}

export function useAutosave<T>({ external, readOnly, delayMs, write, acceptExternal }: AutosaveOptions<T>): AutosaveEditor<T> {
  const [value, setValue] = useState<T>(external);
  const [state, setState] = useState<SaveState>('idle');
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<T | null>(null);
  const latest = useRef<T>(external);
  const inFlight = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The write started on leaving the screen still finishes; its outcome is not shown on a screen
  // that is gone (in tests the page itself may be gone by then: "window is not defined").
  const mounted = useRef(false);
  // The newest callbacks without re-subscribing listeners on every render.
  const writeRef = useRef(write);
  const acceptRef = useRef(acceptExternal);
  useEffect(() => {
    writeRef.current = write;
    acceptRef.current = acceptExternal;
  });

  useEffect(() => {
    if (pending.current !== null || inFlight.current > 0) return;
    if (acceptRef.current && !acceptRef.current(external)) return;
    latest.current = external;
    // Re-checked when applied: a keystroke may arrive between this effect and the render.
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
    if (mounted.current) setState('saving');
    inFlight.current++;
    try {
      await writeRef.current(v);
      if (!mounted.current) return;
      setState(pending.current === null ? 'saved' : 'pending');
      setError(null);
    } catch (e) {
      if (!mounted.current) return;
      setState('error');
      // The code, not the text: screens translate it (errorText), no English in Chinese UI.
      setError(isDomainError(e) ? e.code : (e as { name?: unknown } | null)?.name === 'QuotaExceededError' ? 'storage.full' : 'unknown');
    } finally {
      inFlight.current--;
    }
  }, []);

  const set = useCallback<AutosaveEditor<T>['set']>(
    (next) => {
      if (readOnly) return;
      const v = typeof next === 'function' ? (next as (p: T) => T)(latest.current) : next;
      latest.current = v;
      pending.current = v;
      setValue(v);
      setState('pending');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), delayMs);
    },
    [flush, readOnly, delayMs],
  );

  useEffect(() => {
    mounted.current = true;
    const onHide = () => void flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      mounted.current = false;
      void flush(); // leaving the screen saves too
    };
  }, [flush]);

  return { value, set, flush, state, error, readOnly };
}
