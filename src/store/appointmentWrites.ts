/**
 * Local appointment operations, as screens call them. Each is a mutator of the appointment kind
 * (src/model/appointment/kind.ts) run by the store, which writes the record and its outbox entry
 * in ONE Dexie transaction; offline they all work and the sync engine pushes them later.
 *
 * `startIntakeFromAppointment` is the one tap at arrival: it creates the intake drafted from the
 * appointment AND marks the appointment arrived with that intake's id, in ONE transaction, so
 * there is never an arrived appointment without its intake nor a second intake from a second tap.
 */
import { newId } from '../model/intake/newIntake';
import type { Intake } from '../model/intake/schema';
import { DomainError } from '../model/domainError';
import { newAppointment, type Appointment, type AppointmentDetails } from '../model/appointment/schema';
import { intakeFromAppointment } from '../model/appointment/intakeFromAppointment';
import { loadKinds, mutate } from './mutate';
import { getDb } from './db';

/** Book a new appointment on this tablet. */
export async function createAppointment(details: AppointmentDetails): Promise<Appointment> {
  return mutate('appointment', 'create', { record: newAppointment({ id: newId(), details }) });
}

/** Change the booking (date, time, customer, …); refused once the customer has arrived. */
export async function updateAppointment(id: string, details: AppointmentDetails): Promise<Appointment> {
  return mutate('appointment', 'update', { details }, { id });
}

export async function markNoShow(id: string): Promise<Appointment> {
  return mutate('appointment', 'setStatus', { status: 'noShow', intakeId: null }, { id });
}

export async function cancelAppointment(id: string): Promise<Appointment> {
  return mutate('appointment', 'setStatus', { status: 'cancelled', intakeId: null }, { id });
}

/** Back to booked (a no-show or a cancelled appointment the customer kept after all). */
export async function rebookAppointment(id: string): Promise<Appointment> {
  return mutate('appointment', 'setStatus', { status: 'booked', intakeId: null }, { id });
}

/**
 * The customer is here: start the intake drafted from the appointment and mark it arrived, in one
 * write. A second tap (or a tap on an appointment another tablet already received) opens the
 * intake it started instead of making another.
 */
export async function startIntakeFromAppointment(id: string, advisor: { id: string; name: string }): Promise<Intake> {
  await loadKinds(); // before the transaction: mutate runs inside it
  const db = getDb();
  return db.transaction('rw', [db.appointments, db.intakes, db.summaries, db.outbox, db.sectionRevs, db.conflicts], async () => {
    const appointment = await db.appointments.get(id);
    if (!appointment) throw new DomainError('record.notFound', `appointment ${id}`);
    if (appointment.status === 'arrived' && appointment.intakeId) {
      const started = await db.intakes.get(appointment.intakeId);
      if (started) return started;
      throw new DomainError('appointment.status', 'arrived; its intake is on another tablet');
    }
    const draft = intakeFromAppointment(appointment, { advisor });
    // ISSUE 11 HISTORY PREFILL JOINS HERE: the car's history (vehicles kind, helper E) fills what
    // the last visit knew (make, model, year, colour, open items) into `draft` before it is
    // created. Wired by the lead at merge; until then the intake starts from the appointment.
    const intake = await mutate('intake', 'create', { intake: draft });
    await mutate('appointment', 'setStatus', { status: 'arrived', intakeId: intake.id }, { id });
    return intake;
  });
}
