/**
 * Step 1 of the intake: customer (客户), vehicle (车辆), visit (到店信息: odometer, fuel,
 * appointment) and the diagnostic questionnaire (问诊表).
 *
 * Four sections, one autosave editor each (useSection). Every keystroke is kept as a draft;
 * the shared zod schemas (customer.ts, vehicle.ts, complaint.ts) validate as the advisor types
 * and their issues appear next to the fields, translated. Whether the record is complete is
 * decided on the review step (readiness.ts), never by refusing to save.
 */
import { useCallback, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useSection } from '../../db/useSection';
import { customerSchema } from '../../model/intake/customer';
import { normalisePlate, normaliseVin, plateKind, vehicleSchema, vinCheckDigitOk } from '../../model/intake/vehicle';
import { complaintSchema } from '../../model/intake/complaint';
import type { Intake } from '../../model/intake/schema';
import type { StepProps } from './stepProps';
import { fieldIssues } from './fieldIssues';
import { useTouched } from './useTouched';
import { TextField } from './TextField';
import { NumberField } from './NumberField';
import { FuelGauge } from './FuelGauge';
import { Segmented } from './Segmented';
import { SaveStatus } from './SaveStatus';
import { ProvincePicker } from './ProvincePicker';
import { odometerSchema, yearSchema } from './fieldSchemas';
import './intakeForms.css';
import { LIMITS } from '../../model/text';

function filledAtOpen(intake: Intake) {
  return (field: string) => {
    const [section, key] = field.split('.') as [keyof Intake, string];
    const v = (intake[section] as unknown as Record<string, unknown>)[key];
    return v !== '' && v !== null && v !== undefined && v !== false;
  };
}

export function CustomerVehicleStep({ intake }: StepProps) {
  const { t } = useI18n();
  const customer = useSection(intake, 'customer');
  const vehicle = useSection(intake, 'vehicle');
  const visit = useSection(intake, 'visit');
  const complaint = useSection(intake, 'complaint');
  const readOnly = customer.readOnly;

  const opened = useRef(intake);
  const initiallyFilled = useCallback((f: string) => filledAtOpen(opened.current)(f), []);
  const touched = useTouched(initiallyFilled);

  const cIssues = fieldIssues(customerSchema, customer.value);
  const vIssues = fieldIssues(vehicleSchema, vehicle.value);
  // The schema reports both "17 characters" and "allowed characters" for a short VIN; while
  // typing, a forbidden letter (I, O, Q…) is the more useful of the two.
  if (vIssues['vin'] && /[^A-HJ-NPR-Z0-9]/.test(vehicle.value.vin)) vIssues['vin'] = 'vin.chars';
  const qIssues = fieldIssues(complaintSchema, complaint.value);
  const err = (issues: Record<string, string>, section: string, key: string) => (touched.shown(`${section}.${key}`) ? (issues[key] ?? null) : null);

  const setCustomer = (key: keyof Intake['customer'], v: string) => {
    touched.touch(`customer.${key}`);
    customer.set((c) => ({ ...c, [key]: v }));
  };
  const setVehicle = <K extends keyof Intake['vehicle']>(key: K, v: Intake['vehicle'][K]) => {
    touched.touch(`vehicle.${key}`);
    vehicle.set((c) => ({ ...c, [key]: v }));
  };
  const setComplaint = <K extends keyof Intake['complaint']>(key: K, v: Intake['complaint'][K]) => {
    touched.touch(`complaint.${key}`);
    complaint.set((c) => ({ ...c, [key]: v }));
  };

  // Plate: upper-case and without separators, but not while an IME is composing (拼音 → 京).
  const composing = useRef(false);
  const plate = vehicle.value.plate;
  const kind = plate ? plateKind(plate) : null;
  const vin = vehicle.value.vin;
  const vinWarning = vin && !vIssues['vin'] && !vinCheckDigitOk(vin) ? 'vin.checkDigit' : null;

  return (
    <div className="intake-step" data-testid="customer-vehicle-step">
      <SaveStatus editors={[customer, vehicle, visit, complaint]} readOnly={readOnly} />

      <section className="card" aria-labelledby="cv-customer">
        <h3 id="cv-customer">{t('intake.sectionCustomer')}</h3>
        <div className="grid2">
          <TextField
            label={t('intake.customerName')}
            value={customer.value.name}
            onChange={(v) => setCustomer('name', v)}
            onBlur={() => touched.touch('customer.name')}
            error={err(cIssues, 'customer', 'name')}
            readOnly={readOnly}
            required
            maxLength={LIMITS.name}
          />
          <TextField
            label={t('intake.salutation')}
            value={customer.value.salutation}
            onChange={(v) => setCustomer('salutation', v)}
            error={err(cIssues, 'customer', 'salutation')}
            placeholder={t('intake.salutationPlaceholder')}
            readOnly={readOnly}
            maxLength={30}
            hint={
              !readOnly && !customer.value.salutation && surnameOf(customer.value.name) ? (
                <span className="row">
                  {(['intake.salutationMr', 'intake.salutationMs'] as const).map((k) => {
                    const s = t(k, { surname: surnameOf(customer.value.name) });
                    return (
                      <button key={k} type="button" onClick={() => setCustomer('salutation', s)}>
                        {s}
                      </button>
                    );
                  })}
                </span>
              ) : undefined
            }
          />
          <TextField
            label={t('intake.mobile')}
            type="tel"
            inputMode="tel"
            value={customer.value.mobile}
            onChange={(v) => setCustomer('mobile', v)}
            onBlur={() => touched.touch('customer.mobile')}
            error={err(cIssues, 'customer', 'mobile')}
            readOnly={readOnly}
            required
            maxLength={20}
          />
        </div>
      </section>

      <section className="card" aria-labelledby="cv-vehicle">
        <h3 id="cv-vehicle">{t('intake.sectionVehicle')}</h3>
        <div className="grid2">
          <div>
            <TextField
              className="plate-input"
              label={t('intake.plate')}
              value={plate}
              autoCapitalize="characters"
              onCompositionStart={() => {
                composing.current = true;
              }}
              onCompositionEnd={(v) => {
                composing.current = false;
                setVehicle('plate', normalisePlate(v).slice(0, 16));
              }}
              onChange={(v) => setVehicle('plate', composing.current ? v.slice(0, 16) : normalisePlate(v).slice(0, 16))}
              onBlur={() => touched.touch('vehicle.plate')}
              error={err(vIssues, 'vehicle', 'plate')}
              hint={kind === 'standard' || kind === 'new-energy' || (kind === 'other' && vehicle.value.plateOther) ? <PlateKindBadge kind={kind} /> : undefined}
              readOnly={readOnly}
              required
              placeholder={t('intake.platePlaceholder')}
            />
            <ProvincePicker plate={plate} onPick={(v) => setVehicle('plate', normalisePlate(v).slice(0, 16))} disabled={readOnly} />
            <label className="check">
              <input type="checkbox" checked={vehicle.value.plateOther} disabled={readOnly} onChange={(e) => setVehicle('plateOther', e.target.checked)} />
              {t('intake.plateOther')}
            </label>
          </div>
          <TextField
            className="vin-input"
            label={t('intake.vin')}
            value={vin}
            autoCapitalize="characters"
            onChange={(v) => setVehicle('vin', normaliseVin(v).slice(0, 20))}
            onBlur={() => touched.touch('vehicle.vin')}
            error={err(vIssues, 'vehicle', 'vin')}
            warning={vinWarning}
            hint={t('intake.vinCount', { n: vin.length })}
            readOnly={readOnly}
            required
          />
          <TextField
            label={t('intake.make')}
            value={vehicle.value.make}
            onChange={(v) => setVehicle('make', v)}
            onBlur={() => touched.touch('vehicle.make')}
            error={err(vIssues, 'vehicle', 'make')}
            readOnly={readOnly}
            required
            maxLength={40}
          />
          <TextField
            label={t('intake.model')}
            value={vehicle.value.model}
            onChange={(v) => setVehicle('model', v)}
            onBlur={() => touched.touch('vehicle.model')}
            error={err(vIssues, 'vehicle', 'model')}
            readOnly={readOnly}
            required
            maxLength={60}
          />
          <NumberField label={t('intake.year')} value={vehicle.value.year} onChange={(v) => setVehicle('year', v)} schema={yearSchema} readOnly={readOnly} placeholder="2021" />
          <TextField label={t('intake.colour')} value={vehicle.value.colour} onChange={(v) => setVehicle('colour', v)} readOnly={readOnly} maxLength={30} />
        </div>
      </section>

      <section className="card" aria-labelledby="cv-visit">
        <h3 id="cv-visit">{t('intake.sectionVisit')}</h3>
        <div className="grid2">
          <NumberField
            label={t('intake.odometer')}
            value={visit.value.odometerKm}
            onChange={(v) => visit.set((s) => ({ ...s, odometerKm: v }))}
            schema={odometerSchema}
            readOnly={readOnly}
            required
          />
          <TextField
            label={t('intake.appointmentRef')}
            value={visit.value.appointmentRef}
            onChange={(v) => visit.set((s) => ({ ...s, appointmentRef: v }))}
            readOnly={readOnly}
            maxLength={40}
          />
        </div>
        <FuelGauge value={visit.value.fuelEighths} onChange={(v) => visit.set((s) => ({ ...s, fuelEighths: v }))} readOnly={readOnly} />
      </section>

      <section className="card" aria-labelledby="cv-complaint">
        <h3 id="cv-complaint">{t('intake.sectionComplaint')}</h3>
        <TextField
          multiline
          label={t('intake.symptom')}
          value={complaint.value.symptom}
          onChange={(v) => setComplaint('symptom', v)}
          error={err(qIssues, 'complaint', 'symptom')}
          placeholder={t('intake.symptomPlaceholder')}
          readOnly={readOnly}
          maxLength={LIMITS.longNote}
        />
        <div className="grid2">
          <TextField label={t('intake.since')} value={complaint.value.since} onChange={(v) => setComplaint('since', v)} placeholder={t('intake.sincePlaceholder')} readOnly={readOnly} maxLength={100} />
          <Segmented
            label={t('intake.pattern')}
            options={[
              { value: 'constant', label: t('intake.patternConstant') },
              { value: 'intermittent', label: t('intake.patternIntermittent') },
            ]}
            value={complaint.value.pattern || null}
            onChange={(v) => setComplaint('pattern', v ?? '')}
            clearable
            disabled={readOnly}
          />
        </div>
        <TextField
          multiline
          label={t('intake.conditions')}
          value={complaint.value.conditions}
          onChange={(v) => setComplaint('conditions', v)}
          placeholder={t('intake.conditionsPlaceholder')}
          readOnly={readOnly}
          maxLength={LIMITS.note}
        />
        <div className="grid2">
          <TextField label={t('intake.warningLights')} value={complaint.value.warningLights} onChange={(v) => setComplaint('warningLights', v)} readOnly={readOnly} maxLength={300} />
          <TextField label={t('intake.noises')} value={complaint.value.noises} onChange={(v) => setComplaint('noises', v)} readOnly={readOnly} maxLength={300} />
          <TextField label={t('intake.smells')} value={complaint.value.smells} onChange={(v) => setComplaint('smells', v)} readOnly={readOnly} maxLength={300} />
        </div>
      </section>
    </div>
  );
}

/** The family name to address the customer by: the first character of a Chinese name, else the last word. */
function surnameOf(name: string): string {
  const n = name.trim();
  if (!n) return '';
  if (/^\p{Script=Han}/u.test(n)) return n.charAt(0);
  return n.split(/\s+/).pop() ?? '';
}

function PlateKindBadge({ kind }: { kind: 'standard' | 'new-energy' | 'other' }) {
  const { t } = useI18n();
  const text = kind === 'standard' ? t('intake.plateKindStandard') : kind === 'new-energy' ? t('intake.plateKindNewEnergy') : t('intake.plateKindOther');
  return (
    <span className={`badge plate-kind ${kind === 'new-energy' ? 'new-energy' : kind === 'standard' ? 'ok' : ''}`} data-testid="plate-kind">
      {text}
    </span>
  );
}
