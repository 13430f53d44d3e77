/**
 * Step 2: the protective three-piece set (三件套, in 'visit') fitted in front of the customer,
 * and valuables (贵重物品): the reminder, then for each item of the template's checklist what the
 * customer did with it: taken (已取走), left in the car (留在车内) or handed over for
 * safekeeping (交由保管); the last two need a description, checked as it is typed.
 * Both sections are react-hook-form forms over their autosave editors (useAutosaveForm).
 */
import { useI18n } from '../../i18n/i18n';
import { useSection } from '../../db/useSection';
import type { Intake } from '../../model/intake/schema';
import type { StepProps } from '../intake/stepProps';
import { intakeTemplate } from '../intake/intakeTemplate';
import { SaveStatus } from '../../ui/SaveStatus';
import { Segmented } from '../../ui/Segmented';
import { TextField } from '../../ui/TextField';
import { useAutosaveForm } from '../../ui/useAutosaveForm';
import { visitSectionSchema } from '../../model/intake/schema';
import { valuablesFormSchema } from './valuableItemSchema';
import '../intake/intakeForms.css';

type Answer = 'taken' | 'left' | 'safekeeping';
type Item = Intake['valuables']['items'][number];
type Protection = Intake['visit']['protection'];

export function ValuablesStep({ intake, onStepDone }: StepProps) {
  const { t, lang } = useI18n();
  const visitEd = useSection(intake, 'visit');
  const valuablesEd = useSection(intake, 'valuables');
  const visit = useAutosaveForm(visitEd, visitSectionSchema);
  const valuables = useAutosaveForm(valuablesEd, valuablesFormSchema);
  const readOnly = visit.readOnly;
  const template = intakeTemplate(intake);

  const protection = visit.values.protection;
  const setProtection = (key: keyof Protection, v: boolean) => visit.set(`protection.${key}`, v);

  // Template order; items recorded under an id the template no longer has are still shown.
  const items = valuables.values.items;
  const rows: { itemId: string; label: string }[] = [
    ...template.valuables.map((v) => ({ itemId: v.id, label: v.label[lang] })),
    ...items.filter((i) => !template.valuables.some((v) => v.id === i.itemId)).map((i) => ({ itemId: i.itemId, label: i.itemId })),
  ];
  const itemOf = (itemId: string): Item => items.find((i) => i.itemId === itemId) ?? { itemId, answer: null, description: '' };
  const indexOf = (itemId: string) => items.findIndex((i) => i.itemId === itemId);
  const setItem = (itemId: string, patch: Partial<Item>) => {
    const at = indexOf(itemId);
    if (at >= 0) valuables.set(`items.${at}`, { ...itemOf(itemId), ...patch });
    else valuables.set('items', [...items, { itemId, answer: null, description: '', ...patch }]);
  };
  const allTaken = () => {
    const known = new Set(items.map((i) => i.itemId));
    const next = [
      ...items.map((i) => (i.answer === null ? { ...i, answer: 'taken' as const } : i)),
      ...template.valuables.filter((v) => !known.has(v.id)).map((v) => ({ itemId: v.id, answer: 'taken' as const, description: '' })),
    ];
    valuables.set('items', next);
    // The customer has taken the rest: that is the reminder given and acted on (one tap, not two).
    if (!valuables.values.reminded) valuables.set('reminded', true);
    // Everything taken, nothing left in the car: the checklist is complete, the wizard moves on.
    // With an item left or in safekeeping the advisor stays, to see the list with the customer.
    if (next.every((i) => i.answer === 'taken')) onStepDone?.();
  };

  const unanswered = rows.filter((r) => itemOf(r.itemId).answer === null).length;
  const left = items.filter((i) => i.answer === 'left').length;
  const kept = items.filter((i) => i.answer === 'safekeeping').length;

  return (
    <div className="intake-step" data-testid="valuables-step">
      <SaveStatus editors={[visitEd, valuablesEd]} readOnly={readOnly} />

      <section className="card" aria-labelledby="val-protection">
        <h3 id="val-protection">{t('valuables.protectionTitle')}</h3>
        <p className="muted">{t('valuables.protectionHint')}</p>
        <div className="check-grid">
          {(
            [
              ['seatCover', 'valuables.seatCover'],
              ['wheelCover', 'valuables.wheelCover'],
              ['floorMat', 'valuables.floorMat'],
            ] as const
          ).map(([key, label]) => (
            <label className="check" key={key}>
              <input type="checkbox" checked={protection[key]} disabled={readOnly} onChange={(e) => setProtection(key, e.target.checked)} />
              {t(label)}
            </label>
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="val-title">
        <div className="intake-step-head">
          <h3 id="val-title">{t('valuables.title')}</h3>
          <button type="button" onClick={allTaken} disabled={readOnly || unanswered === 0}>
            {t('valuables.allTaken')}
          </button>
        </div>
        <label className="check">
          <input type="checkbox" checked={valuables.values.reminded} disabled={readOnly} onChange={(e) => valuables.set('reminded', e.target.checked)} />
          {t('valuables.reminded')}
        </label>
        <p className="muted" role="status" data-testid="valuables-summary">
          {t('valuables.summary', { left, kept, open: unanswered })}
        </p>
        <ul className="item-list">
          {rows.map((r) => {
            const item = itemOf(r.itemId);
            const at = indexOf(r.itemId);
            const needsDescription = item.answer === 'left' || item.answer === 'safekeeping';
            return (
              <li key={r.itemId} className="item-row" data-testid={`valuable-${r.itemId}`}>
                <div className="item-row-head">
                  {/* Shown for the eye; the answer group below is named "<item>：顾客的处理", so a
                      screen reader hears the item once. */}
                  <span className="item-label" aria-hidden="true">
                    {r.label}
                  </span>
                  <Segmented<Answer>
                    label={t('valuables.answerFor', { item: r.label })}
                    hideLabel
                    options={[
                      { value: 'taken', label: t('valuables.taken'), tone: 'ok' },
                      { value: 'left', label: t('valuables.left') },
                      { value: 'safekeeping', label: t('valuables.safekeeping') },
                    ]}
                    value={item.answer}
                    onChange={(v) =>
                      // Only what is left or handed over is described: no hidden leftover text in the signed record.
                      setItem(r.itemId, v === 'left' || v === 'safekeeping' ? { answer: v } : { answer: v, description: '' })
                    }
                    clearable
                    disabled={readOnly}
                  />
                </div>
                {needsDescription && (
                  <TextField
                    label={t(item.answer === 'left' ? 'valuables.descriptionLeft' : 'valuables.descriptionSafekeeping', { item: r.label })}
                    value={item.description}
                    onChange={(v) => setItem(r.itemId, { description: v })}
                    error={at >= 0 ? valuables.issue(`items.${at}.description`) : null}
                    placeholder={t('valuables.descriptionPlaceholder')}
                    readOnly={readOnly}
                    required
                    maxLength={200}
                  />
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
