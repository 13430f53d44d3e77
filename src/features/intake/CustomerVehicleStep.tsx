/**
 * Step 1 of the intake: customer (客户), vehicle (车辆), visit (到店信息: odometer, fuel,
 * appointment) and the diagnostic questionnaire (问诊表).
 *
 * Four sections, each its own component with a react-hook-form form (useAutosaveForm) over its
 * autosave editor (useSection) with the zod resolver over the section's shared schema (customer.ts, vehicle.ts,
 * complaint.ts; the visit's storage schema). Every keystroke is kept as a draft; the schemas'
 * issues appear next to the fields as the advisor types, translated. Whether the record is
 * complete is decided on the review step (readiness.ts), never by refusing to save.
 */
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/i18n';
import { useSection } from '../../db/useSection';
import { customerSchema } from '../../model/intake/customer';
import { isMainlandPlate, normalisePlate, normaliseVin, plateKind, vehicleSchema, vinCheckDigitOk, type PlateKind } from '../../model/intake/vehicle';
import { complaintSchema } from '../../model/intake/complaint';
import { visitSectionSchema, type Intake } from '../../model/intake/schema';
import type { StepProps } from './stepProps';
import { useAutosaveForm } from '../../ui/useAutosaveForm';
import { TextField } from '../../ui/TextField';
import { NumberField } from '../../ui/NumberField';
import { FuelGauge } from './FuelGauge';
import { Segmented } from '../../ui/Segmented';
import { SaveStatus, type EditorStatus } from '../../ui/SaveStatus';
import { ProvincePicker } from './ProvincePicker';
import { odometerSchema, yearSchema } from './fieldSchemas';
import { LIMITS } from '../../model/text';
import { VehicleLookup } from '../history/VehicleLookup';
import './intakeForms.css';

type SectionKey = 'customer' | 'vehicle' | 'visit' | 'complaint';
type ReportStatus = (key: SectionKey, status: EditorStatus) => void;
const IDLE: EditorStatus = { state: 'idle', error: null };

export function CustomerVehicleStep({ intake }: StepProps) {
  // Each section owns its editor and form, so a keystroke re-renders that section only; the
  // step keeps their save states for the one SaveStatus.
  const [status, setStatus] = useState<Record<SectionKey, EditorStatus>>({ customer: IDLE, vehicle: IDLE, visit: IDLE, complaint: IDLE });
  const report = useCallback<ReportStatus>(
    (key, next) => setStatus((prev) => (prev[key].state === next.state && prev[key].error === next.error ? prev : { ...prev, [key]: next })),
    [],
  );
  return (
    <div className="intake-step" data-testid="customer-vehicle-step">
      <SaveStatus editors={Object.values(status)} readOnly={intake.status === 'signed'} />
      <CustomerSection intake={intake} report={report} />
      <VehicleSection intake={intake} report={report} />
      <VehicleLookup intake={intake} />
      <VisitSection intake={intake} report={report} />
      <ComplaintSection intake={intake} report={report} />
    </div>
  );
}

interface SectionProps extends StepProps {
  report: ReportStatus;
}

/** The section's autosave editor, its save state handed to the step. */
function useReportedSection<S extends SectionKey>(intake: Intake, key: S, report: ReportStatus) {
  const ed = useSection(intake, key);
  const { state, error } = ed;
  useEffect(() => report(key, { state, error }), [key, report, state, error]);
  return ed;
}

const CustomerSection = memo(function CustomerSection({ intake, report }: SectionProps) {
  const { t } = useI18n();
  const customer = useAutosaveForm(useReportedSection(intake, 'customer', report), customerSchema);
  const { readOnly } = customer;
  const c = customer.values;
  return (
    <section className="card" aria-labelledby="cv-customer">
      <h3 id="cv-customer">{t('intake.sectionCustomer')}</h3>
      <div className="grid2">
        <TextField label={t('intake.customerName')} {...customer.text('name')} required maxLength={LIMITS.name} />
        <TextField
          label={t('intake.salutation')}
          {...customer.text('salutation')}
          placeholder={t('intake.salutationPlaceholder')}
          maxLength={30}
          hint={
            !readOnly && !c.salutation && surnameOf(c.name) ? (
              <span className="row">
                {(['intake.salutationMr', 'intake.salutationMs'] as const).map((k) => {
                  const s = t(k, { surname: surnameOf(c.name) });
                  return (
                    <button key={k} type="button" onClick={() => customer.set('salutation', s)}>
                      {s}
                    </button>
                  );
                })}
              </span>
            ) : undefined
          }
        />
        <TextField label={t('intake.mobile')} type="tel" inputMode="tel" {...customer.text('mobile')} required maxLength={20} />
      </div>
    </section>
  );
});

const VehicleSection = memo(function VehicleSection({ intake, report }: SectionProps) {
  const { t } = useI18n();
  const vehicle = useAutosaveForm(useReportedSection(intake, 'vehicle', report), vehicleSchema);
  const { readOnly } = vehicle;
  const v = vehicle.values;
  // Plate: upper-case and without separators, but not while an IME is composing (拼音 → 京).
  const composing = useRef(false);
  const plateInput = useRef<HTMLInputElement>(null);
  const plate = v.plate;
  const kind = plate ? plateKind(plate) : null;
  const vin = v.vin;
  // The schema reports both "17 characters" and "allowed characters" for a short VIN; while
  // typing, a forbidden letter (I, O, Q…) is the more useful of the two.
  const vinError = vehicle.error('vin') && /[^A-HJ-NPR-Z0-9]/.test(vin) ? 'vin.chars' : vehicle.error('vin');
  const vinWarning = vin && !vehicle.issue('vin') && !vinCheckDigitOk(vin) ? 'vin.checkDigit' : null;
  return (
    <section className="card" aria-labelledby="cv-vehicle">
      <h3 id="cv-vehicle">{t('intake.sectionVehicle')}</h3>
      <div className="grid2">
        <div>
          <TextField
            className="plate-input"
            label={t('intake.plate')}
            {...vehicle.text('plate')}
            inputRef={plateInput}
            autoCapitalize="characters"
            onCompositionStart={() => {
              composing.current = true;
            }}
            onCompositionEnd={(raw) => {
              composing.current = false;
              vehicle.set('plate', normalisePlate(raw).slice(0, 16));
            }}
            onChange={(raw) => vehicle.set('plate', composing.current ? raw.slice(0, 16) : normalisePlate(raw).slice(0, 16))}
            hint={kind && (isMainlandPlate(kind) || (kind === 'other' && v.plateOther)) ? <PlateKindBadge kind={kind} /> : undefined}
            required
            placeholder={t('intake.platePlaceholder')}
          />
          <ProvincePicker
            plate={plate}
            onPick={(p) => vehicle.set('plate', normalisePlate(p).slice(0, 16))}
            disabled={readOnly}
            // The cursor goes back into the plate, after the province, so typing goes on there.
            returnFocus={() => plateInput.current}
          />
          <label className="check">
            <input type="checkbox" checked={v.plateOther} disabled={readOnly} onChange={(e) => vehicle.set('plateOther', e.target.checked)} />
            {t('intake.plateOther')}
          </label>
        </div>
        <TextField
          className="vin-input"
          label={t('intake.vin')}
          {...vehicle.text('vin')}
          onChange={(raw) => vehicle.set('vin', normaliseVin(raw).slice(0, 20))}
          error={vinError}
          warning={vinWarning}
          autoCapitalize="characters"
          hint={t('intake.vinCount', { n: vin.length })}
          required
        />
        <TextField label={t('intake.make')} {...vehicle.text('make')} required maxLength={40} />
        <TextField label={t('intake.model')} {...vehicle.text('model')} required maxLength={60} />
        <NumberField label={t('intake.year')} value={v.year} onChange={(n) => vehicle.set('year', n)} schema={yearSchema} readOnly={readOnly} placeholder="2021" />
        <TextField label={t('intake.colour')} {...vehicle.text('colour')} maxLength={30} />
      </div>
    </section>
  );
});

const VisitSection = memo(function VisitSection({ intake, report }: SectionProps) {
  const { t } = useI18n();
  const visit = useAutosaveForm(useReportedSection(intake, 'visit', report), visitSectionSchema);
  const { readOnly } = visit;
  return (
    <section className="card" aria-labelledby="cv-visit">
      <h3 id="cv-visit">{t('intake.sectionVisit')}</h3>
      <div className="grid2">
        <NumberField
          label={t('intake.odometer')}
          value={visit.values.odometerKm}
          onChange={(n) => visit.set('odometerKm', n)}
          schema={odometerSchema}
          readOnly={readOnly}
          required
        />
        <TextField label={t('intake.appointmentRef')} {...visit.text('appointmentRef')} maxLength={40} />
      </div>
      <FuelGauge value={visit.values.fuelEighths} onChange={(n) => visit.set('fuelEighths', n)} readOnly={readOnly} />
    </section>
  );
});

const ComplaintSection = memo(function ComplaintSection({ intake, report }: SectionProps) {
  const { t } = useI18n();
  const complaint = useAutosaveForm(useReportedSection(intake, 'complaint', report), complaintSchema);
  const { readOnly } = complaint;
  return (
    <section className="card" aria-labelledby="cv-complaint">
      <h3 id="cv-complaint">{t('intake.sectionComplaint')}</h3>
      <TextField multiline label={t('intake.symptom')} {...complaint.text('symptom')} placeholder={t('intake.symptomPlaceholder')} maxLength={LIMITS.longNote} />
      <div className="grid2">
        <TextField label={t('intake.since')} {...complaint.text('since')} placeholder={t('intake.sincePlaceholder')} maxLength={100} />
        <Segmented
          label={t('intake.pattern')}
          options={[
            { value: 'constant', label: t('intake.patternConstant') },
            { value: 'intermittent', label: t('intake.patternIntermittent') },
          ]}
          value={complaint.values.pattern || null}
          onChange={(p) => complaint.set('pattern', p ?? '')}
          clearable
          disabled={readOnly}
        />
      </div>
      <TextField multiline label={t('intake.conditions')} {...complaint.text('conditions')} placeholder={t('intake.conditionsPlaceholder')} maxLength={LIMITS.note} />
      <div className="grid2">
        <TextField label={t('intake.warningLights')} {...complaint.text('warningLights')} maxLength={300} />
        <TextField label={t('intake.noises')} {...complaint.text('noises')} maxLength={300} />
        <TextField label={t('intake.smells')} {...complaint.text('smells')} maxLength={300} />
      </div>
    </section>
  );
});

/** The family name to address the customer by: the first character of a Chinese name, else the last word. */
function surnameOf(name: string): string {
  const n = name.trim();
  if (!n) return '';
  if (/^\p{Script=Han}/u.test(n)) return n.charAt(0);
  return n.split(/\s+/).pop() ?? '';
}

const PLATE_KIND_KEY: Record<Exclude<PlateKind, 'invalid'>, MessageKey> = {
  standard: 'intake.plateKindStandard',
  'new-energy': 'intake.plateKindNewEnergy',
  coach: 'intake.plateKindCoach',
  trailer: 'intake.plateKindTrailer',
  police: 'intake.plateKindPolice',
  consulate: 'intake.plateKindConsulate',
  'hk-macau': 'intake.plateKindHkMacau',
  emergency: 'intake.plateKindEmergency',
  embassy: 'intake.plateKindEmbassy',
  other: 'intake.plateKindOther',
};

function PlateKindBadge({ kind }: { kind: Exclude<PlateKind, 'invalid'> }) {
  const { t } = useI18n();
  return (
    <span className={`badge plate-kind ${kind === 'new-energy' ? 'new-energy' : kind === 'other' ? '' : 'ok'}`} data-testid="plate-kind">
      {t(PLATE_KIND_KEY[kind])}
    </span>
  );
}
