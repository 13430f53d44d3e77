/**
 * Earlier damage as the customer sees it (review, customer mode, printed customer copy) and as
 * the handover lists it: apart from the damage new at this visit, each with the date it was first
 * recorded and the advisor's mark (still there / repaired / not found). Read-only.
 */
import { useI18n } from '../../i18n/i18n';
import type { Intake } from '../../model/intake/schema';
import type { Template } from '../../shared/template/template';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { damageText } from './PreviousDamage';
import { formatDay } from './format';
import './history.css';

export function PreExistingList({ intake, template, photos = true, newHeading = true }: { intake: Intake; template: Template; photos?: boolean; newHeading?: boolean }) {
  const { t, lang } = useI18n();
  const previous = intake.history?.previous ?? [];
  if (!previous.length) return null;
  const mark = (s: (typeof previous)[number]['status']) =>
    s === 'present' ? t('history.markPresent') : s === 'repaired' ? t('history.markRepaired') : s === 'notFound' ? t('history.markNotFound') : t('history.markUnset');
  return (
    <section className="previous-damage" aria-labelledby={`pre-${intake.id}`} data-testid="pre-existing-list">
      <h4 id={`pre-${intake.id}`}>{t('history.preExistingTitle')}</h4>
      <ul className="previous-list">
        {previous.map((d) => {
          const what = damageText(d, template, lang);
          return (
            <li key={d.key} data-testid="pre-existing-item" data-status={d.status ?? ''}>
              <span>
                <span className="badge previous">{t('history.legendPrevious')}</span> {t('history.preExistingLine', { what, date: formatDay(lang, d.foundOn), mark: mark(d.status) })}
              </span>
              {photos && d.photos.length > 0 && <PhotoStrip hashes={d.photos} alt={what} size={72} />}
            </li>
          );
        })}
      </ul>
      {newHeading && <h4>{t('history.newDamageTitle')}</h4>}
    </section>
  );
}
