/** Display formatting shared by the review, customer-mode and print views. */
import type { Lang } from '../../i18n/defineMessages';

export function formatMoney(lang: Lang, n: number | null): string {
  if (n === null) return '—';
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** ISO timestamps and datetime-local values ("2026-05-01T17:30") alike; anything else verbatim. */
export function formatDateTime(lang: Lang, value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A SHA-256 hex in groups of 8, so a person can compare it with a printed copy. */
export function hashGroups(hash: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < hash.length; i += size) out.push(hash.slice(i, i + size));
  return out;
}
