/**
 * The draft order prepared from an appointment (草拟工作订单): when the customer arrives, the intake
 * starts with what was taken at booking, so reception is quick. Pure: the store writes it.
 *
 * Customer and vehicle come from the booking; the complaint is the customer's words from it,
 * headed by the service wanted; the visit's appointment number is the DMS's id (or the
 * appointment's own id for one made on a tablet), so the intake names its appointment and the
 * appointment names its intake (`intakeId`, set when it is marked arrived).
 */
import { newIntake } from '../intake/newIntake';
import type { Intake } from '../intake/schema';
import { SERVICE_TYPE_ZH, type Appointment } from './schema';

/** The number an intake carries for its appointment (fits the intake's 40-character field). */
export function appointmentRefOf(a: Pick<Appointment, 'id' | 'externalId'>): string {
  return (a.externalId || a.id).slice(0, 40);
}

/** The complaint as written on the order: the service type, then the customer's words. */
export function complaintOf(a: Pick<Appointment, 'serviceType' | 'symptoms'>): string {
  const type = SERVICE_TYPE_ZH[a.serviceType];
  const words = a.symptoms.trim();
  if (!words || words === type) return type;
  return `${type}：${words}`.slice(0, 2000);
}

export function intakeFromAppointment(a: Appointment, opts: { advisor: { id: string; name: string }; id?: string; now?: Date }): Intake {
  const draft = newIntake({ advisor: opts.advisor, id: opts.id, now: opts.now });
  return {
    ...draft,
    customer: { ...draft.customer, name: a.customer.name, mobile: a.customer.mobile },
    vehicle: { ...draft.vehicle, plate: a.vehicle.plate, vin: a.vehicle.vin, make: a.vehicle.make, model: a.vehicle.model },
    visit: { ...draft.visit, appointmentRef: appointmentRefOf(a) },
    complaint: { ...draft.complaint, symptom: complaintOf(a) },
  };
}
