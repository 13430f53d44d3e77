/**
 * The appointment (预约) as a record kind: create, update the booking, and change its status
 * (arrived with the intake it started, no-show, cancelled, booked again). The whole record
 * travels: `appointment` for a new or changed booking, `appointmentStatus` for a status change;
 * the server runs the same mutators on its stored record (src/server/sync/appointmentOps.ts), so
 * a booking change never undoes an arrival and a status change follows `mayChangeStatus`.
 * A wire mutation's `intakeId` is the appointment's own id (the outbox orders per record by it).
 */
import { z } from 'zod';
import type { Mutation } from '../../shared/protocol';
import { defineKind, nextStamp, stored, type Mutator, type WireContext } from '../kind';
import { DomainError } from '../domainError';
import { uuidText } from '../text';
import { APPOINTMENT_STATUSES, appointmentDetailsSchema, appointmentSchema, mayChangeStatus, type Appointment, type AppointmentDetails } from './schema';

const ADVISORS = ['advisor', 'manager'] as const;

const DETAIL_KEYS = Object.keys(appointmentDetailsSchema.shape) as (keyof AppointmentDetails)[];

/** The booking part of a record (what `update` replaces). */
export function detailsOf(a: Appointment): AppointmentDetails {
  return Object.fromEntries(DETAIL_KEYS.map((k) => [k, a[k]])) as AppointmentDetails;
}

const toWire = (op: 'appointment' | 'appointmentStatus') => ({ mutationId, after }: WireContext<Appointment, unknown>): Mutation =>
  ({ id: mutationId, op, intakeId: after.id, at: after.updatedAt, appointment: after }) as Mutation;

const create: Mutator<Appointment, { record: Appointment }> = {
  args: z.object({ record: appointmentSchema }),
  roles: ADVISORS,
  creates: true,
  run: (record, args) => {
    if (record) throw new DomainError('mutation.invalidArgs', `appointment ${args.record.id} exists`);
    // An arrival is a status change of a stored appointment (it checks its intake); a booking
    // never arrives by itself.
    if (args.record.status === 'arrived' || args.record.intakeId) throw new DomainError('appointment.status', 'a new appointment has not arrived');
    return args.record;
  },
  wire: toWire('appointment'),
  // A booking and its edits before the next sync travel as one mutation: the newest whole record.
  coalesce: () => 'draft',
};

const update: Mutator<Appointment, { details: AppointmentDetails }> = {
  args: z.object({ details: appointmentDetailsSchema }),
  roles: ADVISORS,
  run: (record, { details }, env) => {
    const cur = stored(record, 'appointment');
    if (cur.status === 'arrived') throw new DomainError('appointment.status', 'an arrived appointment is final');
    return { ...cur, ...details, updatedAt: nextStamp(env.now, cur.updatedAt) };
  },
  wire: toWire('appointment'),
  coalesce: () => 'draft',
};

const setStatusArgs = z.object({ status: z.enum(APPOINTMENT_STATUSES), intakeId: uuidText.nullable() });
type SetStatusArgs = z.infer<typeof setStatusArgs>;

const setStatus: Mutator<Appointment, SetStatusArgs> = {
  args: setStatusArgs,
  roles: ADVISORS,
  run: (record, { status, intakeId }, env) => {
    const cur = stored(record, 'appointment');
    if (!mayChangeStatus(cur.status, status)) throw new DomainError('appointment.status', `${cur.status} → ${status}`);
    if (status === 'arrived' && !intakeId) throw new DomainError('mutation.invalidArgs', 'an arrival names the intake it started');
    if (cur.status === status && (status !== 'arrived' || cur.intakeId === intakeId)) return cur; // nothing changes
    if (cur.status === 'arrived') throw new DomainError('appointment.status', 'arrived with another intake');
    const at = nextStamp(env.now, cur.updatedAt);
    return { ...cur, status, intakeId: status === 'arrived' ? intakeId : null, statusAt: at, updatedAt: at };
  },
  wire: toWire('appointmentStatus'),
};

const ofOp = (m: Mutation, op: string): Appointment | null => (m.op === op && 'appointment' in m ? m.appointment : null);

export const appointmentKind = defineKind({
  name: 'appointment',
  sqlTable: 'appointments',
  schema: appointmentSchema,
  // Never signed: nothing to verify, never frozen (status 'signed' does not exist here).
  hashVerifies: () => true,
  mutators: { create, update, setStatus },
  wireIn: {
    appointment: {
      mutator: 'update',
      read: (m) => {
        const r = ofOp(m, 'appointment');
        return r && { createWith: 'create', createArgs: { record: r }, recordId: r.id, args: { details: detailsOf(r) }, claimed: r };
      },
    },
    appointmentStatus: {
      mutator: 'setStatus',
      read: (m) => {
        const r = ofOp(m, 'appointmentStatus');
        return r && { recordId: r.id, args: { status: r.status, intakeId: r.intakeId }, claimed: r };
      },
    },
  },
});
