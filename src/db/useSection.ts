/**
 * Autosave for one section of an intake (see useAutosave.ts for how and why). Every step edits
 * its section with `const ed = useSection(intake, 'cabin'); ed.value; ed.set(v)`; a signed
 * intake is read-only (`set` does nothing).
 */
import { useRef } from 'react';
import type { Intake, SectionName, SectionValue } from '../model/intake/schema';
import { updateSection } from '../store/intakeWrites';
import { useAutosave, type AutosaveEditor } from './useAutosave';
import { isFrozen } from '../model/frozen';

export type { SaveState } from './useAutosave';
export const AUTOSAVE_DELAY_MS = 250;

export type SectionEditor<S extends SectionName> = AutosaveEditor<SectionValue<S>>;

export function useSection<S extends SectionName>(intake: Intake, section: S): SectionEditor<S> {
  // Values this editor wrote, newest last (JSON). A live-query result rendered after a newer
  // local write still carries an OLDER value of ours: adopting it would roll back what was typed
  // meanwhile (and the next keystroke would save the rollback), so such echoes are refused.
  const written = useRef<string[]>([]);
  const id = intake.id;
  return useAutosave<SectionValue<S>>({
    external: intake[section] as SectionValue<S>,
    readOnly: isFrozen(intake),
    delayMs: AUTOSAVE_DELAY_MS,
    write: async (v) => {
      written.current = [...written.current.slice(-19), JSON.stringify(v)];
      await updateSection(id, section, v);
    },
    acceptExternal: (ext) => {
      const i = written.current.lastIndexOf(JSON.stringify(ext));
      return !(i >= 0 && i < written.current.length - 1);
    },
  });
}
