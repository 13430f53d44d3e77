/**
 * 今日预约: one day's appointments in slot order, read from the tablet's store (pulled like every
 * record), so the list opens and works with no network. One tap on an arrival starts the intake
 * drafted from the appointment and marks it arrived, in one write (store/appointmentWrites.ts),
 * then opens the intake; no-show and cancel (two taps) are a tap each too. All of it offline.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { errorText } from '../../i18n/errorText';
import { useAppointmentsOf, useSession } from '../../store/queries';
import { cancelAppointment, markNoShow, rebookAppointment, startIntakeFromAppointment } from '../../store/appointmentWrites';
import { localDate } from '../../model/appointment/day';
import type { Appointment } from '../../model/appointment/schema';
import { hrefOf, navigate } from '../../ui/router';
import './appointments.css';

function shiftDay(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00`);
  d.setDate(d.getDate() + days);
  return localDate(d);
}

export function AppointmentsScreen({ date }: { date?: string }) {
  const { t } = useI18n();
  const session = useSession();
  const today = localDate();
  const day = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : today;
  const list = useAppointmentsOf(day);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  // Technicians read the day (to plan the workshop); advisors and managers act on it.
  const mayAct = !!session && session.staff.role !== 'technician';

  async function run(id: string, action: () => Promise<unknown>) {
    if (busy) return;
    setBusy(id);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(null);
    }
  }

  const arrive = (a: Appointment) =>
    run(a.id, async () => {
      if (!session) return;
      const intake = await startIntakeFromAppointment(a.id, { id: session.staff.id, name: session.staff.name });
      navigate({ name: 'intake', id: intake.id, step: 'customer' });
    });

  const open = list?.filter((a) => a.status === 'booked').length ?? 0;

  return (
    <section aria-labelledby="appt-title" className="appointments">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="appt-title">{day === today ? t('appointments.title') : t('appointments.dayTitle', { date: day })}</h2>
        {mayAct && (
          <a className="button primary" href={hrefOf({ name: 'newAppointment' })}>
            + {t('appointments.newAppointment')}
          </a>
        )}
      </div>
      <div className="row" role="group" aria-label={t('appointments.dayTitle', { date: day })}>
        <a className="button" href={hrefOf({ name: 'appointments', date: shiftDay(day, -1) })}>
          ‹ {t('appointments.previousDay')}
        </a>
        <a className="button" href={hrefOf({ name: 'appointments' })} aria-current={day === today ? 'date' : undefined}>
          {t('appointments.today')}
        </a>
        <a className="button" href={hrefOf({ name: 'appointments', date: shiftDay(day, 1) })}>
          {t('appointments.nextDay')} ›
        </a>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {list === undefined ? (
        <p role="status">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted">{t('appointments.empty')}</p>
      ) : (
        <>
          <p className="muted" role="status">
            {t('appointments.count', { n: list.length, open })}
          </p>
          <ol aria-label={t('appointments.listLabel')} className="appt-list">
            {list.map((a) => (
              <li key={a.id} className={`card appt-card appt-${a.status}`} data-testid="appointment">
                <div className="appt-head">
                  <span className="appt-time">{a.time}</span>
                  <strong>{a.customer.name}</strong>
                  <span className="appt-plate">{a.vehicle.plate || a.vehicle.vin}</span>
                  <span className={`badge appt-status-${a.status}`}>{t(`appointments.status_${a.status}`)}</span>
                </div>
                <p className="appt-line">
                  <span className="badge">{t(`appointments.service_${a.serviceType}`)}</span>{' '}
                  {a.symptoms}
                </p>
                <p className="muted appt-line">
                  {[
                    a.customer.mobile,
                    [a.vehicle.make, a.vehicle.model].filter(Boolean).join(' '),
                    a.durationMinutes ? t('appointments.minutes', { n: a.durationMinutes }) : '',
                    a.advisor ? t('appointments.preferredAdvisor', { name: a.advisor.name }) : '',
                    a.externalId ? t('appointments.externalId', { id: a.externalId }) : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </p>
                {a.bring.length > 0 && a.status === 'booked' && (
                  <p className="appt-line">
                    {t('appointments.bringTitle')}: {a.bring.map((b) => t(`appointments.bring_${b}`)).join('、')}
                  </p>
                )}
                {a.note && <p className="appt-line">{a.note}</p>}
                <div className="row appt-actions">
                  {a.status === 'arrived' && a.intakeId && (
                    <a className="button" href={hrefOf({ name: 'intake', id: a.intakeId, step: 'customer' })}>
                      {t('appointments.openIntake')}
                    </a>
                  )}
                  {mayAct && (a.status === 'booked' || a.status === 'noShow') && (
                    <button
                      type="button"
                      className="primary"
                      disabled={busy !== null}
                      aria-label={t('appointments.arriveLabel', { name: a.customer.name, plate: a.vehicle.plate || a.vehicle.vin })}
                      onClick={() => void arrive(a)}
                    >
                      {t('appointments.arrive')}
                    </button>
                  )}
                  {mayAct && a.status === 'booked' && (
                    <button type="button" disabled={busy !== null} onClick={() => void run(a.id, () => markNoShow(a.id))}>
                      {t('appointments.noShow')}
                    </button>
                  )}
                  {mayAct && a.status !== 'arrived' && (
                    <a className="button" href={hrefOf({ name: 'editAppointment', id: a.id })} aria-label={t('appointments.editLabel', { name: a.customer.name })}>
                      {t('appointments.edit')}
                    </a>
                  )}
                  {mayAct && (a.status === 'cancelled' || a.status === 'noShow') && (
                    <button type="button" disabled={busy !== null} onClick={() => void run(a.id, () => rebookAppointment(a.id))}>
                      {t('appointments.rebook')}
                    </button>
                  )}
                  {mayAct &&
                    (a.status === 'booked' || a.status === 'noShow') &&
                    (confirming === a.id ? (
                      <span className="row" role="group" aria-label={t('appointments.cancelConfirm')}>
                        <span>{t('appointments.cancelConfirm')}</span>
                        <button
                          type="button"
                          className="danger"
                          disabled={busy !== null}
                          onClick={() =>
                            void run(a.id, async () => {
                              await cancelAppointment(a.id);
                              setConfirming(null);
                            })
                          }
                        >
                          {t('appointments.confirmCancel')}
                        </button>
                        <button type="button" onClick={() => setConfirming(null)}>
                          {t('appointments.keep')}
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="danger" disabled={busy !== null} onClick={() => setConfirming(a.id)}>
                        {t('appointments.cancel')}
                      </button>
                    ))}
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
