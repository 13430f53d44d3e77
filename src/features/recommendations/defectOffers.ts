/**
 * "Defects become recommended repairs" (有缺陷时建议维修): every walk-around finding and every
 * cabin issue not yet turned into a recommendation is offered as one. Labels come from the
 * template (data), in the UI language. A cabin issue is referenced as `cabin:<itemId>` in the
 * recommendation's findingId (walk-around finding ids are UUIDs, so the two never collide).
 */
import type { Intake } from '../../model/intake/schema';
import { labelOf, type Template } from '../../shared/template/template';
import type { Lang } from '../../i18n/defineMessages';

export interface DefectOffer {
  /** The recommendation's findingId. */
  ref: string;
  source: 'walkaround' | 'cabin';
  /** 1-based finding number, as on the review and print (损伤 n); null for cabin issues. */
  findingNo: number | null;
  /** What and where, e.g. "左前门 · 划痕 · 轻微". */
  label: string;
  note: string;
  /** Parts for a suggested title. */
  what: string;
  kind: string;
  /** The finding type's id (scratch, dent …), '' for a cabin issue: picks the sentence. */
  typeId: string;
}

export const cabinRef = (itemId: string) => `cabin:${itemId}`;

export function defectOffers(intake: Pick<Intake, 'walkaround' | 'cabin'>, template: Template, lang: Lang): DefectOffer[] {
  const offers: DefectOffer[] = [];
  intake.walkaround.findings.forEach((f, i) => {
    const what = template.exteriorItems[f.itemId]?.[lang] ?? labelOf(template.positions, f.positionId, lang);
    const kind = labelOf(template.findingTypes, f.type, lang);
    const severity = f.severity ? labelOf(template.severities, f.severity, lang) : '';
    offers.push({ ref: f.id, source: 'walkaround', findingNo: i + 1, label: [what, kind, severity].filter(Boolean).join(' · '), note: f.note, what, kind, typeId: f.type });
  });
  for (const c of template.cabinItems) {
    const item = intake.cabin.items[c.id];
    if (item?.status === 'issue') offers.push({ ref: cabinRef(c.id), source: 'cabin', findingNo: null, label: c.label[lang], note: item.note, what: c.label[lang], kind: '', typeId: '' });
  }
  return offers;
}
