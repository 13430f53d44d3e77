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
import { historyPrefill, type HistoryPrefill } from './vehicleHistory';

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
  // The car's history (issue 11), read before the transaction (the index lives in memory): what
  // the last visit knew of the car and its open items (earlier damage, declined work).
  const booked = await db.appointments.get(id);
  const prefill = booked ? await historyPrefill(booked.vehicle.vin || booked.vehicle.plate, db) : null;
  return db.transaction('rw', [db.appointments, db.intakes, db.summaries, db.outbox, db.sectionRevs, db.conflicts], async () => {
    const appointment = await db.appointments.get(id);
    if (!appointment) throw new DomainError('record.notFound', `appointment ${id}`);
    if (appointment.status === 'arrived' && appointment.intakeId) {
      const started = await db.intakes.get(appointment.intakeId);
      if (started) return started;
      throw new DomainError('appointment.status', 'arrived; its intake is on another tablet');
    }
    const draft = withHistory(intakeFromAppointment(appointment, { advisor }), prefill);
    const intake = await mutate('intake', 'create', { intake: draft });
    await mutate('appointment', 'setStatus', { status: 'arrived', intakeId: intake.id }, { id });
    return intake;
  });
}

/**
 * The draft order the manuals ask for: the booking's own data first (who booked, which plate),
 * the car's last visit for what the booking left empty (VIN, make, model, year, colour), and the
 * car's open items. The customer stays the booking's: the history's last customer is only offered
 * on the first step, never silently reused.
 */
function withHistory(draft: Intake, prefill: HistoryPrefill | null): Intake {
  if (!prefill) return draft;
  const known = prefill.vehicleSection;
  const v = draft.vehicle;
  return {
    ...draft,
    vehicle: {
      ...v,
      plate: v.plate || known.plate,
      vin: v.vin || known.vin,
      make: v.make || known.make,
      model: v.model || known.model,
      year: v.year ?? known.year,
      colour: v.colour || known.colour,
    },
    history: prefill.history,
  };
}
