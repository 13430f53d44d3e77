/**
 * Dates, numbers and lists in the UI language, through Intl: "2026年12月1日 15:07" / "Dec 1,
 * 2026, 3:07 PM", "1,234", "A、B和C" / "A, B and C". Shared by every screen and the printed sheet,
 * so no screen prints a raw ISO timestamp or joins an English list with "、".
 * Plurals live in the messages themselves ({n, plural, one {# damage} other {# damages}}),
 * resolved by translate() in i18n.tsx with pluralCategory() below.
 */
import type { Lang } from './defineMessages';

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat | Intl.PluralRules>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.ListFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

export type DateTimeStyle = 'short' | 'medium' | 'long';

/**
 * An ISO timestamp or a datetime-local value ("2026-05-01T17:30") in the tablet's time zone;
 * '—' for nothing; anything unreadable verbatim. 'long' adds seconds and the time zone (the
 * signed time on the customer's copy); 'short' is for lists.
 */
export function formatDateTime(lang: Lang, value: string | number | Date | null | undefined, style: DateTimeStyle = 'medium'): string {
  if (value === null || value === undefined || value === '') return '—';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const opts: Intl.DateTimeFormatOptions =
    style === 'long' ? { dateStyle: 'medium', timeStyle: 'long' } : style === 'short' ? { dateStyle: 'short', timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' };
  return cached(`dt:${lang}:${style}`, () => new Intl.DateTimeFormat(lang, opts)).format(d);
}

/** A time of day only ("17:00" / "5:00 PM"). */
export function formatTime(lang: Lang, value: Date): string {
  return cached(`t:${lang}`, () => new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' })).format(value);
}

export function formatNumber(lang: Lang, n: number): string {
  return cached(`n:${lang}`, () => new Intl.NumberFormat(lang)).format(n);
}

/** "A、B和C" / "A, B and C"; 'or' for alternatives. */
export function formatList(lang: Lang, items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return cached(`l:${lang}:${type}`, () => new Intl.ListFormat(lang, { style: 'long', type })).format(items);
}

/** The CLDR plural category of n in the language ('one', 'other', …). */
export function pluralCategory(lang: Lang, n: number): Intl.LDMLPluralRule {
  return cached(`p:${lang}`, () => new Intl.PluralRules(lang)).select(n);
}
