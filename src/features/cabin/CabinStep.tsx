/**
 * Step 3: the cabin check (车内检查), with the customer's consent (征得顾客同意). The advisor calls
 * out (唱检) each item of the template in its order with its result: OK or an issue with a note
 * and photos. The odometer and fuel gauge read from the dashboard here are the visit's (the same
 * values as on the first step): one editor per section on this screen, so both stay consistent;
 * each is a react-hook-form form over its autosave editor (useAutosaveForm).
 *
 * Photos: the section is written to IndexedDB the moment the camera button is touched, so a
 * crash or a killed tab while the camera is open loses nothing (PITFALLS.md, Survey123 #200).
 */
import { useI18n } from '../../i18n/i18n';
import { useSection } from '../../db/useSection';
import { cabinSectionSchema, visitSectionSchema, type Intake } from '../../model/intake/schema';
import { useAutosaveForm } from '../../ui/useAutosaveForm';
import type { StepProps } from '../intake/stepProps';
import { intakeTemplate } from '../intake/intakeTemplate';
import { SaveStatus } from '../../ui/SaveStatus';
import { Segmented } from '../../ui/Segmented';
import { TextField } from '../../ui/TextField';
import { NumberField } from '../../ui/NumberField';
import { FuelGauge } from '../intake/FuelGauge';
import { odometerSchema } from '../intake/fieldSchemas';
import { PhotoCapture } from '../../photos/PhotoCapture';
import { PhotoStrip } from '../../photos/PhotoStrip';
import '../intake/intakeForms.css';

type CabinItem = Intake['cabin']['items'][string];
const EMPTY: CabinItem = { status: null, note: '', photos: [] };
const MAX_PHOTOS = 10;

export function CabinStep({ intake, onStepDone }: StepProps) {
  const { t, lang } = useI18n();
  const visitEd = useSection(intake, 'visit');
  const cabinEd = useSection(intake, 'cabin');
  const visit = useAutosaveForm(visitEd, visitSectionSchema);
  const cabin = useAutosaveForm(cabinEd, cabinSectionSchema);
  const readOnly = cabin.readOnly;
  const template = intakeTemplate(intake);
  const consent = cabin.values.consent;
  const itemOf = (id: string): CabinItem => cabin.values.items[id] ?? EMPTY;
  const setItem = (id: string, patch: Partial<CabinItem>) => cabin.set(`items.${id}`, { ...itemOf(id), ...patch });
  // A photo arrives after the camera closes: added to the newest stored item (the form follows).
  const addPhoto = (id: string, hash: string) =>
    cabinEd.set((s) => {
      const p = s.items[id] ?? EMPTY;
      return p.photos.includes(hash) || p.photos.length >= MAX_PHOTOS ? s : { ...s, items: { ...s.items, [id]: { ...p, photos: [...p.photos, hash] } } };
    });

  const checked = template.cabinItems.filter((c) => itemOf(c.id).status !== null).length;
  const issues = template.cabinItems.filter((c) => itemOf(c.id).status === 'issue').length;
  const markRestOk = () => {
    const items = { ...cabin.values.items };
    for (const c of template.cabinItems) {
      const cur = items[c.id] ?? EMPTY;
      if (cur.status === null) items[c.id] = { ...cur, status: 'ok' };
    }
    cabin.set('items', items);
    // Every item OK (the button needs the customer's consent): move on. With an issue the advisor
    // stays on the step, where its note and photo are.
    if (consent && Object.values(items).every((i) => i.status === 'ok')) onStepDone?.();
  };
  // Save everything typed so far before the camera takes over the screen.
  const saveBeforeCamera = () => {
    void cabinEd.flush();
    void visitEd.flush();
  };

  return (
    <div className="intake-step" data-testid="cabin-step">
      <SaveStatus editors={[visitEd, cabinEd]} readOnly={readOnly} />

      <section className="card" aria-labelledby="cabin-consent">
        <h3 id="cabin-consent">{t('cabin.title')}</h3>
        <label className="check">
          <input type="checkbox" checked={consent} disabled={readOnly} onChange={(e) => cabin.set('consent', e.target.checked)} />
          {t('cabin.consent')}
        </label>
        {!consent && <p className="callout-warn">{t('cabin.noConsent')}</p>}
      </section>

      <section className="card" aria-labelledby="cabin-dash">
        <h3 id="cabin-dash">{t('cabin.dashboard')}</h3>
        <NumberField
          label={t('intake.odometer')}
          value={visit.values.odometerKm}
          onChange={(v) => visit.set('odometerKm', v)}
          schema={odometerSchema}
          readOnly={readOnly}
          required
        />
        <FuelGauge value={visit.values.fuelEighths} onChange={(v) => visit.set('fuelEighths', v)} readOnly={readOnly} />
      </section>

      <section className="card" aria-labelledby="cabin-items">
        <div className="intake-step-head">
          <h3 id="cabin-items">{t('cabin.items')}</h3>
          <button type="button" className="primary" onClick={markRestOk} disabled={readOnly || !consent || checked === template.cabinItems.length}>
            {t('cabin.allOk')}
          </button>
        </div>
        <p className="muted" role="status" data-testid="cabin-progress">
          {t('cabin.progress', { done: checked, total: template.cabinItems.length, issues })}
        </p>
        <ol className="item-list">
          {template.cabinItems.map((c, index) => {
            const item = itemOf(c.id);
            const label = c.label[lang];
            const showDetail = item.status === 'issue' || item.photos.length > 0 || item.note !== '';
            return (
              <li key={c.id} className="item-row" data-testid={`cabin-${c.id}`}>
                <div className="item-row-head">
                  {/* Shown for the eye; the result group below carries the item's name (read once). */}
                  <span className="item-label" aria-hidden="true">
                    <span className="item-no">{index + 1}</span>
                    {label}
                  </span>
                  <Segmented<'ok' | 'issue'>
                    label={t('cabin.resultFor', { item: label })}
                    hideLabel
                    options={[
                      { value: 'ok', label: t('cabin.ok'), tone: 'ok' },
                      { value: 'issue', label: t('cabin.issue'), tone: 'issue' },
                    ]}
                    value={item.status}
                    onChange={(v) => setItem(c.id, { status: v })}
                    clearable
                    disabled={readOnly || !consent}
                  />
                </div>
                {showDetail && (
                  <>
                    <TextField
                      label={t('cabin.noteFor', { item: label })}
                      {...cabin.text(`items.${c.id}.note`)}
                      placeholder={t('cabin.notePlaceholder')}
                      maxLength={300}
                    />
                    <PhotoStrip
                      hashes={item.photos}
                      alt={t('cabin.photoAlt', { item: label })}
                      editable={!readOnly}
                      onRemove={(h) => setItem(c.id, { photos: item.photos.filter((x) => x !== h) })}
                    />
                    {!readOnly && (
                      <span onPointerDownCapture={saveBeforeCamera} onClickCapture={saveBeforeCamera}>
                        <PhotoCapture
                          intakeId={intake.id}
                          label={t('cabin.addPhoto', { item: label })}
                          disabled={item.photos.length >= MAX_PHOTOS}
                          onAdded={(hash) => addPhoto(c.id, hash)}
                        />
                      </span>
                    )}
                  </>
                )}
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}
