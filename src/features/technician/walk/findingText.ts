import type { Finding } from '../../../model/intake/schema';
import { labelOf, type Localised, type Template } from '../../../shared/template/template';
import type { Lang } from '../../../i18n/defineMessages';

/** The words of a finding, always from the template (labels are data, not code). */
export function findingWords(template: Template, f: Finding, lang: Lang): { position: string; item: string; type: string; severity: string } {
  const pos = template.positions.find((p) => p.id === f.positionId);
  const item: Localised | undefined = template.exteriorItems[f.itemId];
  return {
    position: pos?.label[lang] ?? f.positionId,
    item: item?.[lang] ?? (f.itemId || '—'),
    type: f.type ? labelOf(template.findingTypes, f.type, lang) : '—',
    severity: f.severity ? labelOf(template.severities, f.severity, lang) : '—',
  };
}
