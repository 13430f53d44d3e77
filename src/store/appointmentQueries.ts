/**
 * Reading appointments on the tablet (re-exported by queries.ts, the screens' one door to data).
 * Appointments are pulled like every record, so a day's list opens with no network.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { Appointment } from '../model/appointment/schema';
import { appointmentsOfDay } from '../model/appointment/day';
import { getDb } from './db';

/** One day's appointments (YYYY-MM-DD, the dealership's calendar) in slot order. */
export async function loadAppointmentsOf(date: string): Promise<Appointment[]> {
  return appointmentsOfDay(await getDb().appointments.where('date').equals(date).toArray(), date);
}

export function useAppointmentsOf(date: string): Appointment[] | undefined {
  return useLiveQuery(() => loadAppointmentsOf(date), [date]);
}

/** undefined while loading, null when not on this tablet. */
export function useAppointment(id: string | undefined): Appointment | null | undefined {
  return useLiveQuery(async () => (id ? ((await getDb().appointments.get(id)) ?? null) : null), [id]);
}

/** The appointment an intake was started from, if any (the link kept on the appointment). */
export async function appointmentOfIntake(intakeId: string): Promise<Appointment | null> {
  return (await getDb().appointments.where('intakeId').equals(intakeId).first()) ?? null;
}
