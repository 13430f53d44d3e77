/**
 * Autosave for a draft technician's check or handover, the same way useSection autosaves an
 * intake section: the screen edits a local copy (instant typing), written 250 ms after the last
 * change and at once when the page is hidden, closed or left. There is no save button.
 * A signed record is read-only: `set` does nothing.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SaveState } from './useSection';

export const FOLLOW_AUTOSAVE_MS = 250;

export interface FollowDraftEditor<T> {
  value: T;
  set: (next: T | ((prev: T) => T)) => void;
  flush: () => Promise<void>;
  state: SaveState;
  error: string | null;
  readOnly: boolean;
}

export function useFollowDraft<T extends { id: string; status: 'draft' | 'signed'; updatedAt: string }>(
  record: T,
  write: (id: string, update: (stored: T) => T) => Promise<T>,
): FollowDraftEditor<T> {
  const [value, setValue] = useState<T>(record);
  const [state, setState] = useState<SaveState>('idle');
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<T | null>(null);
  /** The newest value, in step synchronously (see useSection.ts for why not inside an updater). */
  const latest = useRef<T>(record);
  /** A write is on its way: a stored record arriving now is older than what is on screen. */
  const inflight = useRef(false);
  /** updatedAt of our newest write: a stored copy older than it is never shown again. */
  const lastWritten = useRef('');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const readOnly = record.status === 'signed';
  const id = record.id;
  const writeRef = useRef(write);
  useEffect(() => {
    writeRef.current = write;
  });

  // Follow the stored record (another tab, or our own write coming back) when nothing is waiting
  // and nothing is being written: otherwise an older stored copy would overwrite newer typing.
  useEffect(() => {
    if (pending.current === null && !inflight.current && record.updatedAt >= lastWritten.current) {
      latest.current = record;
      setValue((prev) => (pending.current !== null ? prev : record));
    }
  }, [record]);

  const flush = useCallback(async () => {
    if (timer.current) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const v = pending.current;
    if (v === null) return;
    pending.current = null;
    inflight.current = true;
    setState('saving');
    try {
      const stored = await writeRef.current(id, () => v);
      if (stored.updatedAt > lastWritten.current) lastWritten.current = stored.updatedAt;
      setState(pending.current === null ? 'saved' : 'pending');
      setError(null);
    } catch (e) {
      setState('error');
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inflight.current = false;
    }
  }, [id]);

  const set = useCallback<FollowDraftEditor<T>['set']>(
    (next) => {
      if (readOnly) return;
      const v = typeof next === 'function' ? (next as (p: T) => T)(latest.current) : next;
      latest.current = v;
      pending.current = v;
      setValue(v);
      setState('pending');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), FOLLOW_AUTOSAVE_MS);
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
      void flush();
    };
  }, [flush]);

  return { value, set, flush, state, error, readOnly };
}
