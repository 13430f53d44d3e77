/**
 * Which fields the advisor has edited or left on this screen. Errors are shown for those (as
 * they type, like react-hook-form's onChange mode) and for any field that already held a value
 * when the screen opened, so an empty new form is not covered in red before anything is typed.
 */
import { useCallback, useRef, useState } from 'react';

export interface Touched {
  /** true when the field's error should be visible. */
  shown: (field: string) => boolean;
  touch: (field: string) => void;
  /** Show every error (e.g. after "check the form"). */
  touchAll: () => void;
}

export function useTouched(initiallyFilled: (field: string) => boolean): Touched {
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [all, setAll] = useState(false);
  const initial = useRef(new Map<string, boolean>());
  const wasFilled = useCallback(
    (field: string) => {
      // Remember the answer from the first render: a field emptied later counts as touched anyway.
      if (!initial.current.has(field)) initial.current.set(field, initiallyFilled(field));
      return initial.current.get(field) === true;
    },
    [initiallyFilled],
  );
  const shown = useCallback((field: string) => all || touched.has(field) || wasFilled(field), [all, touched, wasFilled]);
  const touch = useCallback((field: string) => {
    setTouched((prev) => (prev.has(field) ? prev : new Set(prev).add(field)));
  }, []);
  const touchAll = useCallback(() => setAll(true), []);
  return { shown, touch, touchAll };
}
