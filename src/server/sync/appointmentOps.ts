/**
 * Appointments (预约) in a push, on the server. The push dispatches `appointment` and
 * `appointmentStatus` here; the kind's own mutators (src/model/appointment/kind.ts) decide, so a
 * change means the same here as on the tablet:
 *
 *  1. The record's id must be the mutation's `intakeId` (the wire carries the appointment's id
 *     there) and the record must fit the size limit.
 *  2. The stored appointment is found by id, else by external id: a DMS sending the same external
 *     id again (or two sends racing) updates the one appointment instead of making a second one.
 *  3. `appointment` (a booking): none stored → the kind's `create`; stored → last writer wins by
 *     updatedAt on the booking part (an older one is answered duplicate, "superseded"), and the
 *     kind's `update` keeps the stored status, intake link and id (refused once arrived, unless
 *     nothing changes).
 *  4. `appointmentStatus`: the kind's `setStatus` on the stored record (its transitions: an
 *     arrival is final); an arrival's intake must be on the server (else retry: it comes first).
 * Writes go into ctx.appointments; the push commits them in the one statement (migrations/0005,
 * old_seq guards races, the unique external id turns a racing second create into a redo).
 */
import { kinds } from '../../model/registry';
import { isDomainError } from '../../model/domainError';
import type { WireIn } from '../../model/kind';
import { canonicalJson } from '../../shared/canonicalJson';
import type { Mutation } from '../../shared/protocol';
import type { Appointment } from '../../model/appointment/schema';
import { detailsOf } from '../../model/appointment/kind';
import type { OpContext, Outcome } from './apply';
import { notYet, refused, sizeProblem } from './intakeOps';

export interface AppointmentWrite {
  id: string;
  external_id: string;
  date: string;
  time: string;
  status: string;
  data: Appointment;
  rel: number;
  /** The seq of the stored version this replaces (null: a new record). */
  old_seq: number | null;
}

const same = (m: Mutation, reason: string): Outcome => ({ result: { mutationId: m.id, status: 'duplicate', reason }, seq: null });

interface Stored {
  data: Appointment;
  oldSeq: number | null;
}

const BY_ID_SQL = 'SELECT data, seq::text AS seq FROM appointments WHERE dealership_id = $1 AND id = $2';
const BY_EXTERNAL_SQL = `SELECT data, seq::text AS seq FROM appointments WHERE dealership_id = $1 AND external_id = $2 AND external_id <> ''`;

/** The stored appointment this record is about: written earlier in this push, or in the database. */
async function storedAppointment(ctx: OpContext, rec: Appointment): Promise<Stored | null> {
  const pending = ctx.appointments.get(rec.id);
  if (pending) return { data: pending.data, oldSeq: pending.old_seq };
  const [row] = await ctx.q<{ data: Appointment; seq: string }>(BY_ID_SQL, [ctx.author.dealershipId, rec.id], 'wa_appt_by_id');
  if (row) return { data: row.data, oldSeq: Number(row.seq) };
  if (!rec.externalId) return null;
  for (const w of ctx.appointments.values()) if (w.external_id === rec.externalId) return { data: w.data, oldSeq: w.old_seq };
  const [ext] = await ctx.q<{ data: Appointment; seq: string }>(BY_EXTERNAL_SQL, [ctx.author.dealershipId, rec.externalId], 'wa_appt_by_external');
  return ext ? { data: ext.data, oldSeq: Number(ext.seq) } : null;
}

type AnyRun = (record: Appointment | undefined, args: unknown, env: { now: string; actor: null; openConflicts: number }, prepared: undefined) => Appointment;

function runMutator(name: string, prior: Appointment | undefined, rawArgs: unknown, now: string): Appointment {
  const m = (kinds.appointment.mutators as unknown as Record<string, { args: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { message: string }[] } } }; run: AnyRun }>)[name];
  if (!m) throw new Error(`mutation.unknown: appointment.${name}`);
  const parsed = m.args.safeParse(rawArgs);
  if (!parsed.success) throw new Error(`invalid mutation: ${parsed.error?.issues[0]?.message ?? ''}`);
  return m.run(prior, parsed.data, { now, actor: null, openConflicts: 0 }, undefined);
}

/** Steps 3 and 4: the record to store, or the answer that stores nothing. */
async function decide(ctx: OpContext, m: Mutation, name: string, wi: WireIn<Appointment>, prior: Appointment | undefined): Promise<Appointment | Outcome> {
  const claimed = wi.claimed;
  if (m.op === 'appointment') {
    if (!prior) return runMutator(wi.createWith ?? 'create', undefined, wi.createArgs, claimed.updatedAt);
    if (canonicalJson(detailsOf(prior)) === canonicalJson(detailsOf(claimed))) return same(m, 'booking already stored');
    if (prior.updatedAt > claimed.updatedAt) return same(m, 'superseded by a newer booking');
    return runMutator(name, prior, wi.args, claimed.updatedAt);
  }
  if (!prior) return notYet(m, 'unknown appointment: push its booking first');
  if (claimed.status === 'arrived' && claimed.intakeId && !(await ctx.intakes.get(claimed.intakeId))) {
    return notYet(m, 'the intake this arrival started is not on the server yet');
  }
  const next = runMutator(name, prior, wi.args, claimed.updatedAt);
  return canonicalJson(next) === canonicalJson(prior) ? same(m, 'status already stored') : next;
}

export async function applyAppointment(ctx: OpContext, m: Mutation): Promise<Outcome> {
  const def = kinds.appointment;
  const entry = def.wireIn[m.op];
  const wi = entry?.read(m);
  if (!entry || !wi) return refused(m, `mutation.unknown: ${m.op}`);
  const rec = wi.claimed;
  if (rec.id !== m.intakeId) return refused(m, 'intakeId must be the appointment id');
  const big = sizeProblem(rec);
  if (big) return refused(m, big);
  const prior = await storedAppointment(ctx, rec);
  let next: Appointment | Outcome;
  try {
    next = await decide(ctx, m, entry.mutator, wi, prior?.data);
  } catch (e) {
    if (isDomainError(e)) return refused(m, e.message);
    return refused(m, e instanceof Error ? e.message : String(e));
  }
  if ('result' in next) return next;
  const checked = def.schema.safeParse(next);
  if (!checked.success) return refused(m, `invalid mutation: ${checked.error.issues[0]?.message ?? ''}`);
  const data = checked.data;
  const rel = ctx.nextSeq();
  ctx.appointments.set(data.id, { id: data.id, external_id: data.externalId, date: data.date, time: data.time, status: data.status, data, rel, old_seq: prior?.oldSeq ?? null });
  return { result: { mutationId: m.id, status: 'applied' }, seq: rel };
}
