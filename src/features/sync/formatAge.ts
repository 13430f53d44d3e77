import type { TFunction } from '../../i18n/i18n';

/** "35 分钟" / "5 h" / "2 days": how long something has waited. */
export function formatAge(ms: number, t: TFunction): string {
  const min = Math.floor(ms / 60_000);
  if (min < 120) return t('sync.age_minutes', { n: Math.max(1, min) });
  const h = Math.floor(min / 60);
  if (h < 48) return t('sync.age_hours', { n: h });
  return t('sync.age_days', { n: Math.floor(h / 24) });
}
