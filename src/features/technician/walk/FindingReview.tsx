/**
 * The review of one earlier finding on a walk: a verdict out of two (the good one and the one
 * that makes a difference), a note whose label follows the verdict, and evidence photos. The
 * technician's check (confirmed / disputed, field `verdict`) and the handover (unchanged /
 * changed, field `status`) differ in the field's name, the choices and the words only; the
 * screens pass those in.
 */
import type { AutosaveEditor } from '../../../db/useAutosave';

/** What both kinds of review hold besides the verdict. */
export interface ReviewBase {
  note: string;
  photos: string[];
}

/** The record with finding `fid`'s review changed by `f` (from `blank` when not yet touched); `prev` itself when `f` changes nothing. */
export function withReview<R extends ReviewBase, T extends { reviews: Record<string, R> }>(prev: T, fid: string, blank: R, f: (cur: R) => R): T {
  const cur = { ...blank, ...prev.reviews[fid] };
  const next = f(cur);
  return next === cur ? prev : { ...prev, reviews: { ...prev.reviews, [fid]: next } };
}

/** Changes to one review: a partial patch, an evidence photo added (once) or removed. */
export const reviewChange = {
  patch:
    <R extends ReviewBase>(p: Partial<R>) =>
    (cur: R): R => ({ ...cur, ...p }),
  addPhoto:
    (hash: string) =>
    <R extends ReviewBase>(cur: R): R =>
      cur.photos.includes(hash) ? cur : { ...cur, photos: [...cur.photos, hash] },
  removePhoto:
    (hash: string) =>
    <R extends ReviewBase>(cur: R): R => ({ ...cur, photos: cur.photos.filter((p) => p !== hash) }),
};

/**
 * Read and change the reviews of a walk's record, keyed by finding id. `blank` is a review not
 * yet touched. Every change is a functional update of the newest value (photos arrive after
 * async work, so a stale copy is never written back).
 */
export function useReviews<R extends ReviewBase, T extends { reviews: Record<string, R> }>(ed: AutosaveEditor<T>, blank: R) {
  const update = (fid: string, f: (cur: R) => R) => ed.set((prev) => withReview(prev, fid, blank, f));
  return {
    of: (fid: string): R => ed.value.reviews[fid] ?? blank,
    set: (fid: string, p: Partial<R>) => update(fid, reviewChange.patch(p)),
    addPhoto: (fid: string, hash: string) => update(fid, reviewChange.addPhoto(hash)),
    removePhoto: (fid: string, hash: string) => update(fid, reviewChange.removePhoto(hash)),
  };
}

export interface VerdictChoice<V extends string> {
  value: V;
  /** Visible text (after its mark) and the accessible name that says which finding. */
  text: string;
  label: string;
}

/** The two verdict buttons (the second marked as a problem) and the review note. */
export function ReviewVerdict<V extends string>({
  value,
  ok,
  bad,
  note,
  noteLabel,
  badNoteLabel,
  readOnly,
  onChoose,
  onNote,
}: {
  value: V | null;
  ok: VerdictChoice<V>;
  bad: VerdictChoice<V>;
  note: string;
  noteLabel: string;
  /** The note's label once the finding is marked `bad` (it then says what is wrong). */
  badNoteLabel: string;
  readOnly: boolean;
  onChoose: (v: V) => void;
  onNote: (note: string) => void;
}) {
  return (
    <>
      <div className="follow-choice">
        <button type="button" aria-pressed={value === ok.value} disabled={readOnly} aria-label={ok.label} onClick={() => onChoose(ok.value)}>
          ✓ {ok.text}
        </button>
        <button type="button" className="danger" aria-pressed={value === bad.value} disabled={readOnly} aria-label={bad.label} onClick={() => onChoose(bad.value)}>
          ! {bad.text}
        </button>
      </div>
      <label className="field">
        <span className="label">{value === bad.value ? badNoteLabel : noteLabel}</span>
        <input type="text" value={note} readOnly={readOnly} maxLength={500} onChange={(e) => onNote(e.target.value)} />
      </label>
    </>
  );
}
