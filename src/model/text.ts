/**
 * The primitives every record schema is built from, so that whatever a schema accepts can be
 * stored, synced and pulled by every tablet:
 *  - text PostgreSQL can store: no NUL (jsonb refuses \u0000) and no lone UTF-16 surrogate
 *    (not valid Unicode; jsonb refuses its escape), each bounded by a named limit;
 *  - keyed maps with a bounded number of keys (the keys are storable text too);
 *  - dates in a sane range (2000-2100), ids normalised to lower case (one id, one spelling);
 *  - the whole record's size (MAX_RECORD_JSON_BYTES): the server refuses a bigger one with 413.
 * The forms take their maxLength from the same constants, so the limit shows before it bites.
 * Error messages are keys translated in src/i18n/validation.ts.
 */
import { z } from 'zod';

/** Limits fit for the service lane, by what the text or list holds. */
export const LIMITS = {
  /** A person's name, a salutation, a short label. */
  name: 60,
  /** An id a tablet generates or a template defines (finding ids, item ids, position ids). */
  key: 40,
  /** A one-line title (recommendation, added service). */
  title: 200,
  /** A note on a finding, a review, a cabin item. */
  note: 500,
  /** A longer note (complaint symptom, check note, amendment text). */
  longNote: 2000,
  /** Items on the valuables list. */
  valuables: 50,
  /** Findings on one walk-around or check. */
  findings: 200,
  /** Keys of one keyed map (positions, cabin items, reviews, ...). */
  mapKeys: 200,
} as const;

/** A record (intake, technician check, handover) larger than this as JSON is refused (413). */
export const MAX_RECORD_JSON_BYTES = 1_000_000;

/** NUL, or a UTF-16 surrogate that is not part of a pair. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point: jsonb cannot store it
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** Replace what cannot be stored with U+FFFD (for texts the server writes itself, e.g. reasons). */
export function storableCopy(s: string): string {
  return s.replace(new RegExp(UNSTORABLE.source, 'g'), '\ufffd');
}

/** A string PostgreSQL can store, at most `max` UTF-16 units long. */
export function storableText(max: number) {
  return z.string().max(max, { message: 'text.tooLong' }).refine(isStorableText, { message: 'text.unstorable' });
}

/** A map key: storable text of at most LIMITS.key characters. */
export const keyText = storableText(LIMITS.key);

/** A keyed map with at most `maxKeys` keys, each a storable key. */
export function boundedRecord<V extends z.ZodType>(value: V, maxKeys: number = LIMITS.mapKeys) {
  return z.record(keyText, value).refine((r) => Object.keys(r).length <= maxKeys, { message: 'map.tooMany' });
}

const MIN_TIME = Date.parse('2000-01-01T00:00:00Z');
const MAX_TIME = Date.parse('2100-01-01T00:00:00Z');

/** An ISO time with offset, between 2000 and 2100. */
export const isoTime = z
  .string()
  .datetime({ offset: true })
  .refine((s) => {
    const t = Date.parse(s);
    return t >= MIN_TIME && t < MAX_TIME;
  }, { message: 'date.range' });

/** A calendar date YYYY-MM-DD between 2000 and 2100, or '' (not chosen yet). */
export const dateOrEmpty = z.union([
  z.literal(''),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((s) => {
      const t = Date.parse(`${s}T00:00:00Z`);
      return t >= MIN_TIME && t < MAX_TIME;
    }, { message: 'date.range' }),
]);

/** A UUID in its one spelling: lower case (an upper-case copy is the same id, not a new one). */
export const uuidText = z.string().uuid().toLowerCase();

/** The size of a record as the server stores it (UTF-8 bytes of its JSON). */
export function recordJsonBytes(record: unknown): number {
  return new TextEncoder().encode(JSON.stringify(record)).length;
}

/** A form field's text: trimmed, storable, at most `max` characters (the input's maxLength). */
export function formText(max: number) {
  return z.string().trim().max(max, { message: 'text.tooLong' }).refine(isStorableText, { message: 'text.unstorable' });
}
