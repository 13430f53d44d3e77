/**
 * Autosave for a draft technician's check or handover, the same way useSection autosaves an
 * intake section (the core is useAutosave.ts). A signed record is read-only: `set` does nothing.
 */
import { useRef } from 'react';
import { useAutosave, type AutosaveEditor } from './useAutosave';
import { isFrozen } from '../model/frozen';

export const FOLLOW_AUTOSAVE_MS = 250;

export type FollowDraftEditor<T> = AutosaveEditor<T>;

export function useFollowUpDraft<T extends { id: string; status: 'draft' | 'signed'; updatedAt: string }>(
  record: T,
  write: (id: string, update: (stored: T) => T) => Promise<T>,
): FollowDraftEditor<T> {
  /** updatedAt of our newest write: a stored copy older than it is never shown again. */
  const lastWritten = useRef('');
  const id = record.id;
  return useAutosave<T>({
    external: record,
    readOnly: isFrozen(record),
    delayMs: FOLLOW_AUTOSAVE_MS,
    write: async (v) => {
      const stored = await write(id, () => v);
      if (stored.updatedAt > lastWritten.current) lastWritten.current = stored.updatedAt;
    },
    acceptExternal: (r) => r.updatedAt >= lastWritten.current,
  });
}
