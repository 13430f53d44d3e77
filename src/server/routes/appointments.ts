/**
 * Appointments for the dealership's DMS (and anything else that books), scoped to the session's
 * dealership like every route:
 *   POST /api/appointments            one appointment as the DMS sends it (dmsAppointmentSchema).
 *                                     Idempotent by `externalId`: the first send creates (201), the
 *                                     same external id again updates that one appointment (200).
 *   GET  /api/appointments?date=YYYY-MM-DD   that day's appointments in slot order.
 *
 * Who may post: a device session whose acting staff member is an advisor or a manager (the roles
 * the appointment kind's mutators name, src/model/appointment/kind.ts). A DMS integration gets its
 * own staff account (role advisor, made by a manager) and logs in once like a tablet
 * (POST /api/auth/login with a device name such as "DMS"); the manager can revoke that device.
 * A technician's session may read but not post (403). Any session of the dealership may read.
 *
 * A post is applied through the same push code as a tablet's change (authored, one statement,
 * in the change order), so tablets pull it like any record. A malformed body is 400 with the zod
 * issues; a change the appointment's rules refuse (an arrived appointment is final) is 409; a
 * refusal writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { appointmentDate, detailsFromDms, dmsAppointmentSchema, newAppointment, type Appointment } from '../../model/appointment/schema';
import { nextStamp } from '../../model/kind';
import { mayRun } from '../../model/roles';
import type { Mutation, MutationResult } from '../../shared/protocol';
import { HttpError, parseBody } from '../errors';
import { requireAuth } from '../context';
import { applyPush, authorOf } from '../sync/apply';
import { TOO_LARGE_REASON } from '../sync/intakeOps';

const dayQuery = z.object({ date: appointmentDate });

const BY_EXTERNAL_SQL = `SELECT data FROM appointments WHERE dealership_id = $1 AND external_id = $2 AND external_id <> ''`;
const OF_DAY_SQL = 'SELECT data FROM appointments WHERE dealership_id = $1 AND slot_date = $2 ORDER BY slot_time, created_at, id';

function refusal(r: MutationResult | undefined): HttpError | null {
  if (!r) return new HttpError(500, 'internal', 'no result');
  if (r.status !== 'rejected' && r.status !== 'conflict') return null;
  const reason = r.reason ?? 'refused';
  if (reason.startsWith(TOO_LARGE_REASON)) return new HttpError(413, 'too_large', reason);
  if (reason.startsWith('appointment.status')) return new HttpError(409, 'appointment_status', reason);
  if (r.retry) return new HttpError(403, 'forbidden', reason);
  return new HttpError(400, 'invalid', reason);
}

export function appointmentRoutes(app: FastifyInstance): void {
  const byExternal = async (dealershipId: string, externalId: string): Promise<Appointment | null> => {
    const [row] = await app.wa.database.query<{ data: Appointment }>(BY_EXTERNAL_SQL, [dealershipId, externalId]);
    return row?.data ?? null;
  };

  app.post('/api/appointments', async (req, reply) => {
    const auth = requireAuth(req.auth);
    if (!mayRun(auth.role, 'appointment')) throw new HttpError(403, 'forbidden', `a ${auth.role} may not book appointments`);
    const body = parseBody(dmsAppointmentSchema, req.body);
    const prior = await byExternal(auth.dealershipId, body.externalId);
    // The DMS's message is the newest word on the booking: stamped after the stored version, so
    // a tablet whose clock runs ahead cannot make the DMS's update look older than its own.
    const at = nextStamp(new Date().toISOString(), prior?.updatedAt);
    const id = prior?.id ?? randomUUID();
    const record = newAppointment({ id, details: detailsFromDms(body), externalId: body.externalId, source: 'dms', now: new Date(at) });
    const mutations: Mutation[] = [{ id: randomUUID(), op: 'appointment', intakeId: id, at, appointment: prior ? { ...record, createdAt: prior.createdAt } : record }];
    if (body.status) mutations.push({ id: randomUUID(), op: 'appointmentStatus', intakeId: id, at, appointment: { ...record, status: body.status, intakeId: null } });
    const results = await applyPush(app.wa.database, app.wa.versions, authorOf(auth), mutations, { recordRefusals: false });
    for (const r of results) {
      const err = refusal(r);
      if (err) throw err;
    }
    const stored = await byExternal(auth.dealershipId, body.externalId);
    if (!stored) throw new HttpError(500, 'internal', 'appointment not stored');
    return reply.code(prior ? 200 : 201).send({ appointment: stored, created: !prior });
  });

  app.get('/api/appointments', async (req) => {
    const auth = requireAuth(req.auth);
    const q = parseBody(dayQuery, req.query, 'query');
    const rows = await app.wa.database.query<{ data: Appointment }>(OF_DAY_SQL, [auth.dealershipId, q.date]);
    return { date: q.date, appointments: rows.map((r) => r.data) };
  });
}
