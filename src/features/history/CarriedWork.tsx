/**
 * Carried-over work on the work step (issue 11): recommendations declined at earlier visits
 * (safety items first) and problems found but not corrected, each with when it was first found,
 * offered again. "Add to this order" puts it on this order's recommendations (through the work
 * step's own form, so the work section has one writer) and records which recommendation it
 * became in the history section, so the next visit knows whether it was done or declined again.
 */
import { useI18n } from '../../i18n/i18n';
import type { Intake, Recommendation } from '../../model/intake/schema';
import { newId } from '../../model/intake/newIntake';
import { useSection } from '../../db/useSection';
import { formatDay } from './format';
import './history.css';

export function CarriedWorkPanel({ intake, onAdd }: { intake: Intake; onAdd: (rec: Recommendation) => void }) {
  const { t, lang } = useI18n();
  const ed = useSection(intake, 'history');
  const carried = ed.value?.carried ?? [];
  if (!carried.length) return null;
  const add = (key: string) => {
    const c = carried.find((x) => x.key === key);
    if (!c || c.recommendationId) return;
    const rec: Recommendation = { id: newId(), findingId: null, title: c.title, safety: c.safety, decision: null, labour: null, parts: null };
    onAdd(rec);
    ed.set((h) => (h ? { ...h, carried: h.carried.map((x) => (x.key === key ? { ...x, recommendationId: rec.id } : x)) } : h));
  };
  return (
    <section className="card" aria-labelledby="work-carried" data-testid="carried-work">
      <h3 id="work-carried">{t('history.carriedTitle')}</h3>
      <p className="muted">{t('history.carriedIntro')}</p>
      <ul className="carried-list">
        {carried.map((c) => (
          <li key={c.key} data-testid="carried-item">
            <span>
              {c.safety && <span className="badge danger">{t('history.safety')}</span>} <strong>{c.title}</strong>{' '}
              <span className="muted">
                {t('history.carriedFirstFound', { date: formatDay(lang, c.firstFoundAt) })} · {c.source === 'declined' ? t('history.carriedDeclined') : t('history.carriedNotCorrected')}
              </span>
            </span>
            {c.recommendationId ? (
              <span className="badge signed">{t('history.carriedAdded')}</span>
            ) : (
              <button type="button" disabled={ed.readOnly} aria-label={t('history.carriedAddAria', { title: c.title })} onClick={() => add(c.key)}>
                {t('history.carriedAdd')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
