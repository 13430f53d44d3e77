/** What is still missing before signing, in words, or the "ready" line. */
import { useI18n, type MessageKey } from '../../../i18n/i18n';
import type { Finding, Intake } from '../../../model/intake/schema';
import { labelOf, type Template } from '../../../shared/template/template';
import type { Lang } from '../../../i18n/defineMessages';
import { findingWords } from './findingText';

/** A readable name for an issue's ref: a position, a finding (by number), a valuable, a recommendation. */
export function refLabel(ref: string | undefined, intake: Intake, findings: Finding[], template: Template, lang: Lang): string {
  if (!ref) return '';
  const pos = template.positions.find((p) => p.id === ref);
  if (pos) return pos.label[lang];
  const i = findings.findIndex((f) => f.id === ref);
  if (i >= 0) {
    const w = findingWords(template, findings[i]!, lang);
    return `${i + 1}. ${w.position} ${w.item} ${w.type}`;
  }
  if (template.valuables.some((v) => v.id === ref)) return labelOf(template.valuables, ref, lang);
  const rec = intake.work.recommendations.find((r) => r.id === ref);
  if (rec) return rec.title;
  return ref;
}

export function IssueList({
  issues,
  intake,
  extra,
  template,
  readyText,
  ns = 'technician',
}: {
  issues: { key: string; ref?: string }[];
  intake: Intake;
  extra: Finding[];
  template: Template;
  readyText: string;
  ns?: 'technician' | 'handover';
}) {
  const { t, lang } = useI18n();
  if (issues.length === 0)
    return (
      <p className="badge signed" role="status">
        ✓ {readyText}
      </p>
    );
  return (
    <div>
      <h4>{t('technician.missingTitle')}</h4>
      <ul className="follow-issues">
        {issues.map((i, k) => (
          <li key={`${i.key}:${i.ref ?? ''}:${k}`} className="warning">
            {t(`${ns}.issue_${i.key}` as MessageKey, { ref: refLabel(i.ref, intake, extra, template, lang) })}
          </li>
        ))}
      </ul>
    </div>
  );
}
