import type { Lang } from '../../i18n/defineMessages';

/** ¥1,234.50: yuan with two decimals, grouped for the UI language. */
export function formatMoney(lang: Lang, amount: number): string {
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
}
