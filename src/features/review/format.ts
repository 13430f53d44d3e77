/** Display formatting shared by the review, customer-mode and print views. */
import type { Lang } from '../../i18n/defineMessages';

export { formatDateTime, formatList } from '../../i18n/format';

export function formatMoney(lang: Lang, n: number | null): string {
  if (n === null) return '—';
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** A SHA-256 hex in groups of 8, so a person can compare it with a printed copy. */
export function hashGroups(hash: string, size = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i < hash.length; i += size) out.push(hash.slice(i, i + size));
  return out;
}
