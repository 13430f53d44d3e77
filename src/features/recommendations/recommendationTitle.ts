/**
 * The title of a recommendation made from a defect, as a sentence an advisor would write and a
 * customer reads on the signed sheet: "左前门有划痕，建议抛光或补漆修复" / "Polish or repaint the
 * scratch on the left front door", one sentence per finding type of the template (an unknown
 * type of a dealership template gets a general one), and one for a cabin issue. Never the
 * machine join "右前轮胎及轮毂破损/缺失修复".
 */
import type { MessageKey, TFunction } from '../../i18n/i18n';
import type { Lang } from '../../i18n/defineMessages';
import type { DefectOffer } from './defectOffers';

const BY_TYPE: Record<string, MessageKey> = {
  scratch: 'work.titleScratch',
  dent: 'work.titleDent',
  crack: 'work.titleCrack',
  chip: 'work.titleChip',
  rust: 'work.titleRust',
  broken: 'work.titleBroken',
};

/** Template labels are capitalised ("Left front door"); inside an English sentence they are not. */
function inSentence(label: string, lang: Lang): string {
  if (lang !== 'en') return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

export function recommendationTitle(offer: Pick<DefectOffer, 'source' | 'what' | 'kind' | 'typeId'>, t: TFunction, lang: Lang): string {
  const what = inSentence(offer.what, lang);
  if (offer.source === 'cabin') return t('work.titleFromCabin', { what });
  const key = BY_TYPE[offer.typeId];
  const title = key ? t(key, { what }) : t('work.titleFromFinding', { what, kind: inSentence(offer.kind, lang) });
  return title.slice(0, 200);
}
