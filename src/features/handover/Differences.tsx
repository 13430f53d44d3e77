/**
 * Every difference from intake, as a table: disputed intake findings, damage found at the
 * technician's check and at handover (with a "may be the same as" pointer), findings changed at
 * handover, and what was received but not given back. Used on the handover screen, before the
 * customer signs, and on the printable sheet.
 */
import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { ChecklistDifference, ComparedFinding, DifferenceKind, FindingComparison } from '../../model/handover/compareFindings';
import type { Intake } from '../../model/intake/schema';
import { labelOf, type Template } from '../../shared/template/template';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { findingWords } from '../technician/walk/findingText';

const DIFF_KEY: Record<DifferenceKind, MessageKey> = {
  disputed: 'handover.diff_disputed',
  newAtTechnician: 'handover.diff_newAtTechnician',
  newAtHandover: 'handover.diff_newAtHandover',
  changedAtHandover: 'handover.diff_changedAtHandover',
};

export function checklistText(d: ChecklistDifference, intake: Intake, template: Template, t: (k: MessageKey, v?: Record<string, string | number>) => string, lang: 'zh-CN' | 'en'): string {
  switch (d.kind) {
    case 'valuableMissing':
    case 'valuableUnanswered': {
      const item = `${labelOf(template.valuables, d.ref, lang)}${d.description ? `（${d.description}）` : ''}`;
      return t(d.kind === 'valuableMissing' ? 'handover.diff_valuableMissing' : 'handover.diff_valuableUnanswered', { item });
    }
    case 'keysShort':
      return t('handover.diff_keysShort', { received: d.received, returned: d.returned });
    case 'registrationNotReturned':
      return t('handover.diff_registrationNotReturned');
    case 'serviceBookletNotReturned':
      return t('handover.diff_serviceBookletNotReturned');
    case 'protectionNotRemoved':
      return t('handover.diff_protectionNotRemoved');
  }
}

export function Differences({
  comparison,
  checklist,
  intake,
  template,
  photoSize = 64,
}: {
  comparison: FindingComparison;
  checklist: ChecklistDifference[];
  intake: Intake;
  template: Template;
  photoSize?: number;
}) {
  const { t, lang } = useI18n();
  const rows = comparison.items.filter((c) => c.differences.length > 0);
  const numberOf = (id: string) => comparison.items.findIndex((c) => c.finding.id === id) + 1;
  if (rows.length === 0 && checklist.length === 0) return <p className="badge signed">✓ {t('handover.noDifferences')}</p>;
  return (
    <>
      {rows.length > 0 && (
        <table className="follow-diff-table" aria-label={t('handover.differencesTitle')}>
          <thead>
            <tr>
              <th scope="col">{t('handover.colNo')}</th>
              <th scope="col">{t('handover.colPosition')}</th>
              <th scope="col">{t('handover.colFinding')}</th>
              <th scope="col">{t('handover.colStatus')}</th>
              <th scope="col">{t('handover.colNote')}</th>
              <th scope="col">{t('handover.colPhotos')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <DiffRow key={c.finding.id} c={c} n={numberOf(c.finding.id)} dupN={c.possibleDuplicateOf ? numberOf(c.possibleDuplicateOf) : null} template={template} lang={lang} t={t} photoSize={photoSize} />
            ))}
          </tbody>
        </table>
      )}
      {checklist.length > 0 && (
        <ul>
          {checklist.map((d, i) => (
            <li key={i} className="follow-diff-kind">
              {checklistText(d, intake, template, t, lang)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function DiffRow({
  c,
  n,
  dupN,
  template,
  lang,
  t,
  photoSize,
}: {
  c: ComparedFinding;
  n: number;
  dupN: number | null;
  template: Template;
  lang: 'zh-CN' | 'en';
  t: (k: MessageKey, v?: Record<string, string | number>) => string;
  photoSize: number;
}) {
  const w = findingWords(template, c.finding, lang);
  const notes = [c.finding.note, c.technicianNote, c.handoverNote].filter(Boolean);
  const photos = c.origin === 'intake' ? [...c.technicianPhotos, ...c.handoverPhotos] : [...c.finding.photos, ...c.handoverPhotos];
  return (
    <tr data-difference={c.finding.id}>
      <td>{n}</td>
      <td>
        {w.position} · {w.item}
      </td>
      <td>
        {w.type} · {w.severity}
      </td>
      <td>
        {c.differences.map((d) => (
          <div key={d} className={`follow-diff-kind${d === 'disputed' ? ' is-disputed' : ''}`}>
            {t(DIFF_KEY[d])}
          </div>
        ))}
        {dupN ? <div className="muted">{t('handover.possibleDuplicate', { n: dupN })}</div> : null}
      </td>
      <td>{notes.join('；')}</td>
      <td>
        <PhotoStrip hashes={photos} alt={`${n}. ${w.item} ${w.type}`} size={photoSize} />
      </td>
    </tr>
  );
}
