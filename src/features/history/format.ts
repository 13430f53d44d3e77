/** Dates and odometer readings as the history screens show them. */
import type { Lang } from '../../i18n/defineMessages';
import { formatNumber } from '../../i18n/format';

export function formatDay(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(d);
}

export function formatKm(lang: Lang, km: number | null | undefined, unknown: string): string {
  return typeof km === 'number' ? `${formatNumber(lang, km)} km` : unknown;
}
