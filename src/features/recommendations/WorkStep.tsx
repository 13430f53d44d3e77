/**
 * Step 5 (section 'work'): recommended repairs, added services (增项), the estimate, and the
 * arrangements for the visit (promised time, payment, old parts, free wash, documents and keys).
 *
 * Defects become recommended repairs: each walk-around finding and cabin issue is offered as a
 * recommendation with one tap; free-text ones can be added. Each gets the customer's decision;
 * a declined safety-related item is flagged for the customer's signature. Totals come from
 * estimateTotals() (accepted recommendations + added services), as on the signed sheet.
 * The section is a react-hook-form form over its autosave editor (useAutosaveForm).
 */
import { useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useSection } from '../../db/useSection';
import { workSectionSchema, type Intake, type Recommendation } from '../../model/intake/schema';
import { useAutosaveForm } from '../../ui/useAutosaveForm';
import { estimateTotals } from '../../model/intake/readiness';
import { newId } from '../../model/intake/newIntake';
import type { StepProps } from '../intake/stepProps';
import { intakeTemplate } from '../intake/intakeTemplate';
import { SaveStatus } from '../../ui/SaveStatus';
import { Segmented } from '../../ui/Segmented';
import { TextField } from '../../ui/TextField';
import { NumberField } from '../../ui/NumberField';
import { moneySchema } from '../intake/fieldSchemas';
import { RecommendationCard } from './RecommendationCard';
import { ConfirmDelete } from './ConfirmDelete';
import { defectOffers, type DefectOffer } from './defectOffers';
import { formatMoney } from './formatMoney';
import { CarriedWorkPanel } from '../history/CarriedWork';
import { recommendationTitle } from './recommendationTitle';
import { promisedTimeChoices } from './promisedTimes';
import { formatTime } from '../../i18n/format';
import '../intake/intakeForms.css';
import { LIMITS } from '../../model/text';

type Work = Intake['work'];
type AddedService = Work['addedServices'][number];
type Payment = Exclude<Work['payment'], ''>;

const PAYMENTS: Payment[] = ['cash', 'card', 'wechat', 'alipay', 'transfer', 'account'];

export function WorkStep({ intake }: StepProps) {
  const { t, lang } = useI18n();
  const workEd = useSection(intake, 'work');
  const work = useAutosaveForm(workEd, workSectionSchema);
  const readOnly = work.readOnly;
  const w = work.values;
  // Added services whose title the advisor has been in: only those say "必填" when empty (and
  // those that were already there, untitled, when the step opened).
  const [touchedServices, setTouchedServices] = useState<ReadonlySet<string>>(new Set());
  const opened = useRef(new Set(w.addedServices.map((x) => x.id)));
  const markTouched = (id: string) => setTouchedServices((prev) => (prev.has(id) ? prev : new Set(prev).add(id)));
  const template = intakeTemplate(intake);

  const offers = defectOffers(intake, template, lang);
  const offerByRef = new Map(offers.map((o) => [o.ref, o]));
  const open = offers.filter((o) => !w.recommendations.some((r) => r.findingId === o.ref));
  const sourceOf = (o: DefectOffer) => (o.findingNo !== null ? `${t('work.findingNo', { n: o.findingNo })} · ${o.label}` : `${t('work.cabinIssue')} · ${o.label}`);

  const addRec = (rec: Recommendation) => work.set('recommendations', [...w.recommendations, rec]);
  const fromOffer = (o: DefectOffer) =>
    addRec({
      id: newId(),
      findingId: o.ref,
      title: recommendationTitle(o, t, lang),
      safety: false,
      decision: null,
      labour: null,
      parts: null,
    });
  const patchRec = (id: string, patch: Partial<Recommendation>) =>
    work.set('recommendations', w.recommendations.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const removeRec = (id: string) => work.set('recommendations', w.recommendations.filter((r) => r.id !== id));
  const patchService = (id: string, patch: Partial<AddedService>) =>
    work.set('addedServices', w.addedServices.map((x) => (x.id === id ? { ...x, ...patch } : x)));

  const totals = estimateTotals({ ...intake, work: w });
  const declined = w.recommendations.filter((r) => r.safety && r.decision === 'later').length;
  const money = (n: number) => formatMoney(lang, n);

  return (
    <div className="intake-step" data-testid="work-step">
      <SaveStatus editors={[workEd]} readOnly={readOnly} />

      <CarriedWorkPanel intake={intake} onAdd={addRec} />

      <section className="card" aria-labelledby="work-offers">
        <h3 id="work-offers">{t('work.offersTitle')}</h3>
        {offers.length === 0 ? (
          <p className="muted">{t('work.noDefects')}</p>
        ) : open.length === 0 ? (
          <p className="muted">{t('work.allOffered')}</p>
        ) : (
          <ul className="item-list">
            {open.map((o) => (
              <li key={o.ref} className="finding-offer" data-testid={`offer-${o.ref}`}>
                <span>
                  <strong>{sourceOf(o)}</strong>
                  {o.note && <span className="muted"> · {o.note}</span>}
                </span>
                <button type="button" onClick={() => fromOffer(o)} disabled={readOnly} aria-label={t('work.recommendFor', { what: sourceOf(o) })}>
                  {t('work.recommend')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="work-recs">
        <div className="intake-step-head">
          <h3 id="work-recs">{t('work.recsTitle')}</h3>
          <button
            type="button"
            onClick={() => addRec({ id: newId(), findingId: null, title: '', safety: false, decision: null, labour: null, parts: null })}
            disabled={readOnly || w.recommendations.length >= 100}
          >
            {t('work.addRec')}
          </button>
        </div>
        {declined > 0 && (
          <p className="callout-danger" role="status">
            {t('work.declinedSafetySummary', { n: declined })}
          </p>
        )}
        {w.recommendations.length === 0 && <p className="muted">{t('work.noRecs')}</p>}
        <ol className="item-list">
          {w.recommendations.map((r, i) => {
            const o = r.findingId ? offerByRef.get(r.findingId) : undefined;
            return (
              <RecommendationCard
                key={r.id}
                rec={r}
                index={i}
                source={o ? sourceOf(o) : null}
                onChange={(p) => patchRec(r.id, p)}
                onRemove={() => removeRec(r.id)}
                readOnly={readOnly}
              />
            );
          })}
        </ol>
      </section>

      <section className="card" aria-labelledby="work-added">
        <div className="intake-step-head">
          <h3 id="work-added">{t('work.addedTitle')}</h3>
          <button
            type="button"
            onClick={() => work.set('addedServices', [...w.addedServices, { id: newId(), title: '', labour: null, parts: null }])}
            disabled={readOnly || w.addedServices.length >= 100}
          >
            {t('work.addService')}
          </button>
        </div>
        {w.addedServices.length === 0 && <p className="muted">{t('work.noAdded')}</p>}
        <ol className="item-list">
          {w.addedServices.map((s, i) => (
            <li key={s.id} className="rec-card" data-testid={`service-${i + 1}`}>
              <div className="intake-step-head">
                <strong>{t('work.serviceNo', { n: i + 1 })}</strong>
                <ConfirmDelete
                  label={t('work.deleteService', { n: i + 1 })}
                  disabled={readOnly}
                  onDelete={() => work.set('addedServices', w.addedServices.filter((y) => y.id !== s.id))}
                />
              </div>
              <TextField
                label={t('work.serviceTitle')}
                value={s.title}
                onChange={(v) => {
                  markTouched(s.id);
                  patchService(s.id, { title: v });
                }}
                onBlur={() => markTouched(s.id)}
                error={(touchedServices.has(s.id) || opened.current.has(s.id)) && !s.title.trim() ? 'required' : null}
                placeholder={t('work.servicePlaceholder')}
                readOnly={readOnly}
                required
                maxLength={LIMITS.title}
              />
              <div className="money-row">
                <NumberField label={t('work.labour')} value={s.labour} onChange={(v) => patchService(s.id, { labour: v })} schema={moneySchema} decimal readOnly={readOnly} placeholder="0.00" />
                <NumberField label={t('work.parts')} value={s.parts} onChange={(v) => patchService(s.id, { parts: v })} schema={moneySchema} decimal readOnly={readOnly} placeholder="0.00" />
              </div>
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="work-estimate">
        <h3 id="work-estimate">{t('work.estimateTitle')}</h3>
        <dl className="totals" data-testid="totals">
          <div>
            <dt>{t('work.labourTotal')}</dt>
            <dd data-testid="total-labour">{money(totals.labour)}</dd>
          </div>
          <div>
            <dt>{t('work.partsTotal')}</dt>
            <dd data-testid="total-parts">{money(totals.parts)}</dd>
          </div>
          <div>
            <dt>{t('work.total')}</dt>
            <dd data-testid="total-all">{money(totals.total)}</dd>
          </div>
        </dl>
        <p className="muted">{t('work.totalsBasis')}</p>
        <p className="callout-warn">{t('work.afterDisassembly')}</p>
        <TextField multiline label={t('work.estimateNote')} {...work.text('estimateNote')} maxLength={LIMITS.note} />
      </section>

      <section className="card" aria-labelledby="work-arrange">
        <h3 id="work-arrange">{t('work.arrangeTitle')}</h3>
        <TextField
          type="datetime-local"
          label={t('work.promisedAt')}
          {...work.text('promisedAt')}
          onChange={(v) => work.set('promisedAt', v.slice(0, 40))}
          warning={!readOnly && isPast(w.promisedAt) ? 'promisedAt.past' : null}
          required
        />
        {!readOnly && <PromisedQuickChoices value={w.promisedAt} onPick={(v) => work.set('promisedAt', v)} />}
        <Segmented<Payment>
          label={t('work.payment')}
          options={PAYMENTS.map((p) => ({ value: p, label: t(`work.pay_${p}`) }))}
          value={w.payment || null}
          onChange={(v) => work.set('payment', v ?? '')}
          disabled={readOnly}
          required
        />
        <Segmented<'take' | 'leave'>
          label={t('work.oldParts')}
          options={[
            { value: 'take', label: t('work.oldPartsTake') },
            { value: 'leave', label: t('work.oldPartsLeave') },
          ]}
          value={w.oldParts || null}
          onChange={(v) => work.set('oldParts', v ?? '')}
          disabled={readOnly}
          required
        />
        <Segmented<'yes' | 'no'>
          label={t('work.freeWash')}
          options={[
            { value: 'yes', label: t('common.yes') },
            { value: 'no', label: t('common.no') },
          ]}
          value={w.freeWash === null ? null : w.freeWash ? 'yes' : 'no'}
          onChange={(v) => work.set('freeWash', v === null ? null : v === 'yes')}
          disabled={readOnly}
          required
        />
        <fieldset className="plain-fieldset">
          <legend className="label">{t('work.documents')}</legend>
          <div className="check-grid">
            <label className="check">
              <input type="checkbox" checked={w.documents.registration} disabled={readOnly} onChange={(e) => work.set('documents.registration', e.target.checked)} />
              {t('work.registration')}
            </label>
            <label className="check">
              <input type="checkbox" checked={w.documents.serviceBooklet} disabled={readOnly} onChange={(e) => work.set('documents.serviceBooklet', e.target.checked)} />
              {t('work.serviceBooklet')}
            </label>
          </div>
          <KeysStepper value={w.documents.keys} onChange={(keys) => work.set('documents.keys', keys)} readOnly={readOnly} />
        </fieldset>
      </section>
    </div>
  );
}

/** A promised time already gone by is almost always a slip of the picker (wrong day). */
function isPast(local: string): boolean {
  if (!local) return false;
  const at = new Date(local).getTime(); // datetime-local: the tablet's local time
  return Number.isFinite(at) && at < Date.now();
}

/** The quick choices for the promised time, from now (recomputed each render; a minute tick is not needed). */
function PromisedQuickChoices({ value, onPick }: { value: string; onPick: (v: string) => void }) {
  const { t, lang } = useI18n();
  const choices = promisedTimeChoices(new Date());
  return (
    <div className="row promised-choices" role="group" aria-label={t('work.promisedQuick')}>
      {choices.map((c) => {
        const time = formatTime(lang, c.at);
        return (
          <button key={c.id} type="button" aria-pressed={value === c.value} onClick={() => onPick(c.value)}>
            {t(`work.promised_${c.id}`, { time })}
          </button>
        );
      })}
    </div>
  );
}

function KeysStepper({ value, onChange, readOnly }: { value: number; onChange: (n: number) => void; readOnly: boolean }) {
  const { t } = useI18n();
  return (
    <div className="row">
      <span id="work-keys-label" className="label">
        {t('work.keys')}
        <span aria-hidden="true" className="required-mark">
          {' '}
          *
        </span>
      </span>
      <span className="stepper" role="group" aria-labelledby="work-keys-label">
        <button type="button" aria-label={t('work.keysLess')} disabled={readOnly || value <= 0} onClick={() => onChange(Math.max(0, value - 1))}>
          −
        </button>
        <output aria-live="polite" data-testid="keys-count">
          {value}
        </output>
        <button type="button" aria-label={t('work.keysMore')} disabled={readOnly || value >= 10} onClick={() => onChange(Math.min(10, value + 1))}>
          +
        </button>
      </span>
      {value === 0 && !readOnly && <span className="warning">{t('work.keysNone')}</span>}
    </div>
  );
}
