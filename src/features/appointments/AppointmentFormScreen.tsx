/**
 * Booking an appointment on the tablet (预约登记), or changing one (rebooking another day or hour
 * when the customer cannot keep it): a react-hook-form form validated by the zod
 * resolver over the model's form schema (src/model/appointment/schema.ts), errors translated from
 * its i18n keys. Unlike the intake's editors this one has a save button: the manuals have the
 * advisor read the booking back to the customer and then confirm it, and nothing exists before.
 * Saving is a local write (offline too); the sync engine sends it to the server later.
 */
import { useId, useState } from 'react';
import { useForm, type FieldPath, type PathValue } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useI18n } from '../../i18n/i18n';
import { errorText } from '../../i18n/errorText';
import { useAppointment, useSession, useStaffList } from '../../store/queries';
import { createAppointment, updateAppointment } from '../../store/appointmentWrites';
import { appointmentFormSchema, BRING_ITEMS, durationMinutes, SERVICE_TYPES, type Appointment, type AppointmentDetails, type AppointmentForm } from '../../model/appointment/schema';
import { localDate } from '../../model/appointment/day';
import { LIMITS } from '../../model/text';
import { TextField } from '../../ui/TextField';
import { NumberField } from '../../ui/NumberField';
import { Segmented } from '../../ui/Segmented';
import { hrefOf, navigate } from '../../ui/router';
import './appointments.css';

function blank(date: string): AppointmentForm {
  return {
    date,
    time: '09:00',
    durationMinutes: 60,
    customer: { name: '', mobile: '' },
    vehicle: { plate: '', vin: '', make: '', model: '' },
    serviceType: 'maintenance',
    symptoms: '',
    advisor: null,
    bring: [...BRING_ITEMS],
    note: '',
  };
}

/** The form's values for a stored appointment (its booking part). */
function formOf(a: Appointment): AppointmentForm {
  return {
    date: a.date,
    time: a.time,
    durationMinutes: a.durationMinutes,
    customer: { ...a.customer },
    vehicle: { ...a.vehicle },
    serviceType: a.serviceType,
    symptoms: a.symptoms,
    advisor: a.advisor,
    bring: [...a.bring],
    note: a.note,
  };
}

/** New (no id) or change the appointment `id`. */
export function AppointmentFormScreen({ id }: { id?: string }) {
  const { t } = useI18n();
  const stored = useAppointment(id);
  if (!id) return <AppointmentFormView initial={blank(localDate())} save={createAppointment} />;
  if (stored === undefined) return <p role="status">{t('common.loading')}</p>;
  if (stored === null || stored.status === 'arrived') return <p className="muted">{t(stored ? 'errors.appointment_status' : 'errors.record_notFound')}</p>;
  return <AppointmentFormView key={stored.id} initial={formOf(stored)} editing save={(details) => updateAppointment(stored.id, details)} />;
}

function AppointmentFormView({ initial, save, editing = false }: { initial: AppointmentForm; save: (details: AppointmentDetails) => Promise<Appointment>; editing?: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const session = useSession();
  const staff = useStaffList();
  const form = useForm<AppointmentForm, unknown, AppointmentDetails>({
    defaultValues: initial,
    resolver: zodResolver(appointmentFormSchema),
    mode: 'onTouched',
  });
  const { formState } = form;
  const values = form.watch();
  const [saveError, setSaveError] = useState<string | null>(null);

  const set = <P extends FieldPath<AppointmentForm>>(path: P, value: PathValue<AppointmentForm, P>) =>
    form.setValue(path, value, { shouldTouch: true, shouldDirty: true, shouldValidate: formState.isSubmitted || !!form.getFieldState(path).isTouched });
  const errorOf = (path: FieldPath<AppointmentForm>) => form.getFieldState(path, formState).error?.message ?? null;
  const text = (path: FieldPath<AppointmentForm>) => ({
    value: String(form.getValues(path) ?? ''),
    onChange: (v: string) => set(path, v as PathValue<AppointmentForm, typeof path>),
    onBlur: () => void form.trigger(path),
    error: errorOf(path),
  });

  const onValid = async (details: AppointmentDetails) => {
    setSaveError(null);
    try {
      await save(details);
      navigate({ name: 'appointments', ...(details.date === localDate() ? {} : { date: details.date }) });
    } catch (e) {
      setSaveError(t('appointments.saveFailed', { reason: errorText(t, e) }));
    }
  };

  const advisors = (staff ?? []).filter((s) => s.role !== 'technician');
  if (session && session.staff.role === 'technician') {
    return <p className="muted">{t('errors.mutation_forbidden')}</p>;
  }

  return (
    <section aria-labelledby={`${id}-title`} className="appointments appt-form">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id={`${id}-title`}>{t(editing ? 'appointments.editTitle' : 'appointments.formTitle')}</h2>
        <a className="button" href={hrefOf({ name: 'appointments' })}>
          {t('appointments.back')}
        </a>
      </div>
      <form noValidate onSubmit={(e) => void form.handleSubmit(onValid)(e)}>
        <fieldset className="card plain-fieldset">
          <legend>{t('appointments.slotSection')}</legend>
          <div className="grid2">
            <TextField label={t('appointments.date')} type="date" required {...text('date')} />
            <TextField label={t('appointments.time')} type="time" required {...text('time')} />
            <NumberField label={t('appointments.duration')} value={values.durationMinutes ?? null} onChange={(v) => set('durationMinutes', v)} schema={durationMinutes} />
          </div>
        </fieldset>
        <fieldset className="card plain-fieldset">
          <legend>{t('appointments.customerSection')}</legend>
          <div className="grid2">
            <TextField label={t('appointments.customerName')} required maxLength={LIMITS.name} {...text('customer.name')} />
            <TextField label={t('appointments.mobile')} type="tel" inputMode="tel" maxLength={20} {...text('customer.mobile')} />
          </div>
        </fieldset>
        <fieldset className="card plain-fieldset">
          <legend>{t('appointments.vehicleSection')}</legend>
          <div className="grid2">
            <TextField label={t('appointments.plate')} className="plate-input" maxLength={16} autoCapitalize="characters" {...text('vehicle.plate')} />
            <TextField label={t('appointments.vin')} className="vin-input" maxLength={20} autoCapitalize="characters" {...text('vehicle.vin')} />
            <TextField label={t('appointments.make')} maxLength={40} {...text('vehicle.make')} />
            <TextField label={t('appointments.model')} maxLength={60} {...text('vehicle.model')} />
          </div>
        </fieldset>
        <fieldset className="card plain-fieldset">
          <legend>{t('appointments.serviceSection')}</legend>
          <Segmented
            label={t('appointments.serviceType')}
            options={SERVICE_TYPES.map((s) => ({ value: s, label: t(`appointments.service_${s}`) }))}
            value={values.serviceType}
            onChange={(v) => v && set('serviceType', v)}
          />
          <TextField label={t('appointments.symptoms')} multiline maxLength={LIMITS.longNote} hint={t('appointments.symptomsHint')} {...text('symptoms')} />
          <div className="field">
            <label htmlFor={`${id}-advisor`} className="label">
              {t('appointments.advisor')}
            </label>
            <select
              id={`${id}-advisor`}
              value={values.advisor?.id ?? ''}
              onChange={(e) => {
                const s = advisors.find((x) => x.id === e.target.value);
                set('advisor', s ? { id: s.id, name: s.name } : null);
              }}
            >
              <option value="">{t('appointments.noAdvisor')}</option>
              {advisors.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="plain-fieldset">
            <legend>{t('appointments.bringTitle')}</legend>
            <div className="check-grid">
              {BRING_ITEMS.map((b) => (
                <label className="check" key={b}>
                  <input
                    type="checkbox"
                    checked={values.bring.includes(b)}
                    onChange={(e) => set('bring', e.target.checked ? BRING_ITEMS.filter((x) => x === b || values.bring.includes(x)) : values.bring.filter((x) => x !== b))}
                  />
                  {t(`appointments.bring_${b}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <TextField label={t('appointments.note')} maxLength={LIMITS.note} {...text('note')} />
        </fieldset>
        <p className="muted">{t('appointments.readBack')}</p>
        {saveError && (
          <p role="alert" className="error">
            {saveError}
          </p>
        )}
        <button type="submit" className="primary" disabled={formState.isSubmitting} style={{ width: '100%' }}>
          {formState.isSubmitting ? t('appointments.saving') : t('appointments.save')}
        </button>
      </form>
    </section>
  );
}
