/**
 * Follow-up records of a signed intake on the server: the technician's check (tech_checks) and
 * the handover (handovers). The push dispatches on the kind's wire table (src/model/<kind>/kind.ts
 * `wireIn`) and runs the kind's own mutator definitions, so a change means the same here as on
 * the tablet:
 *
 *  1. The record must belong to the mutation's intake, and be bound to that intake's signed hash
 *     (a handover also to the signed technician's check it names, when the server holds it).
 *  2. A stored record that is frozen (the kind's isFrozen) takes nothing more: the same signed
 *     record again is a duplicate, anything else is refused.
 *  3. Drafts (`techCheckDraft` / `handoverDraft`): last writer wins by updatedAt. An older draft
 *     than the stored one is answered duplicate (superseded) and changes nothing; otherwise the
 *     kind's `create` (no stored record) or `save` mutator runs and its result, validated with
 *     the kind's schema, is stored.
 *  4. Sign-offs (`techCheck` / `handover`, also what previous client versions push): the kind's
 *     sign mutator `prepare` runs on the record's draft content with the sign-off's own args
 *     (recomputes the hash, checks what is signed is bound to it), the record must verify
 *     (hashVerifies), and the signed record replaces the draft.
 * Writes go into ctx.followUps; the push commits them in one statement (old_seq guards races).
 */
import { kinds } from '../../model/registry';
import { isDomainError } from '../../model/domainError';
import { isFrozen } from '../../model/frozen';
import type { Mutator, WireIn } from '../../model/kind';
import { canonicalJson } from '../../shared/canonicalJson';
import type { Mutation } from '../../shared/protocol';
import type { FollowUpTable, FollowUpWrite, OpContext, Outcome } from './apply';
import { intakeOf, notYet, refused, sizeProblem } from './intakeOps';

type Kind = 'techCheck' | 'handover';

interface FollowRecord {
  id: string;
  intakeId: string;
  intakeHash: string;
  status: 'draft' | 'signed';
  updatedAt: string;
  contentHash: string | null;
  techCheckId?: string | null;
  techCheckHash?: string | null;
}

type AnyMutator = Mutator<FollowRecord, unknown, unknown>;

const same = (m: Mutation, reason: string): Outcome => ({ result: { mutationId: m.id, status: 'duplicate', reason }, seq: null });

/** Why the record cannot be stored against its intake: now (final) or not yet (retry, not recorded). */
async function checkIntake(ctx: OpContext, m: Mutation, intakeId: string, intakeHash: string): Promise<Outcome | null> {
  const row = await ctx.intakes.get(intakeId);
  if (!row) return notYet(m, 'unknown intake: push its create first');
  const intake = intakeOf(row);
  if (!isFrozen(intake)) return notYet(m, 'the intake is not signed yet');
  if (intake.contentHash !== intakeHash) return refused(m, 'bound to a different intake hash than the signed one');
  return null;
}

/** A technician's sign-off names the acting staff member as the server knows them, never a client's claim. */
function signoffProblem(ctx: OpContext, m: Mutation, rec: FollowRecord): Outcome | null {
  const signoff = (rec as { signoff?: { staffId: string; name: string } | null }).signoff;
  if (!isFrozen(rec) || !signoff) return null;
  if (signoff.staffId.toLowerCase() !== ctx.author.staffId) return notYet(m, 'the sign-off must name the acting staff member: it is sent again when they sync');
  if (signoff.name !== ctx.author.staffName) return refused(m, `the sign-off must carry the acting staff member's name as registered (${ctx.author.staffName})`);
  return null;
}

/** The stored version of a follow-up record: written earlier in this push, or in the database. */
async function storedRecord(ctx: OpContext, table: FollowUpTable, id: string): Promise<{ data: FollowRecord; oldSeq: number | null } | null> {
  const pending = ctx.followUps[table].get(id);
  if (pending) return { data: pending.data as FollowRecord, oldSeq: pending.old_seq };
  const [row] = await ctx.q<{ data: FollowRecord; seq: string }>(`SELECT data, seq::text AS seq FROM ${table} WHERE dealership_id = $1 AND id = $2`, [ctx.author.dealershipId, id]);
  return row ? { data: row.data, oldSeq: Number(row.seq) } : null;
}

function argsOf(mutator: AnyMutator, raw: unknown): unknown {
  const parsed = mutator.args.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid mutation: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** Steps 3 and 4: the record to store, or the answer that stores nothing. */
function decide(m: Mutation, kind: Kind, name: string, wi: WireIn<FollowRecord>, prior: FollowRecord | undefined): FollowRecord | Outcome {
  const def = kinds[kind];
  const mutators = def.mutators as unknown as Record<string, AnyMutator>;
  const claimed = wi.claimed;
  const mutator = mutators[name];
  if (!mutator) return refused(m, `mutation.unknown: ${kind}.${name}`);
  if (mutator.prepare) {
    mutator.prepare(wi.base ?? claimed, argsOf(mutator, wi.args)); // throws record.stale on a hash mismatch
    if (!isFrozen(claimed) || !(def.hashVerifies as (r: FollowRecord) => boolean)(claimed)) return refused(m, 'record.stale: hash mismatch: the signed record does not verify');
    return claimed;
  }
  if (prior && prior.updatedAt > claimed.updatedAt) return same(m, 'superseded by a newer draft');
  if (prior && canonicalJson(prior) === canonicalJson(claimed)) return same(m, 'draft already stored');
  const run = prior ? mutator : mutators[wi.createWith ?? ''];
  if (!run) return refused(m, `mutation.unknown: ${kind}.${wi.createWith ?? ''}`);
  const next = run.run(prior, argsOf(run, prior ? wi.args : wi.createArgs), { now: claimed.updatedAt, actor: null, openConflicts: 0 }, undefined);
  const checked = def.schema.safeParse(next);
  if (!checked.success) return refused(m, `invalid mutation: ${checked.error.issues[0]?.message ?? ''}`);
  return checked.data as FollowRecord;
}

export async function applyFollowUp(ctx: OpContext, m: Mutation, kind: Kind): Promise<Outcome> {
  const def = kinds[kind];
  const entry = def.wireIn[m.op];
  const wi = entry?.read(m) as WireIn<FollowRecord> | null | undefined;
  if (!entry || !wi) return refused(m, `mutation.unknown: ${m.op}`);
  const rec = wi.claimed;
  if (rec.intakeId !== m.intakeId) return refused(m, `intakeId does not match the ${kind}`);
  const signoff = signoffProblem(ctx, m, rec);
  if (signoff) return signoff;
  const big = sizeProblem(rec);
  if (big) return refused(m, big);
  const problem = await checkIntake(ctx, m, rec.intakeId, rec.intakeHash);
  if (problem) return problem;
  if (rec.techCheckId) {
    const tc = await storedRecord(ctx, 'tech_checks', rec.techCheckId);
    if (tc && isFrozen(tc.data) && tc.data.contentHash !== rec.techCheckHash) return refused(m, 'bound to a different technician check hash than the stored one');
  }
  const table = def.sqlTable as FollowUpTable;
  const prior = await storedRecord(ctx, table, wi.recordId);
  if (prior && isFrozen(prior.data)) {
    return isFrozen(rec) && prior.data.contentHash === rec.contentHash
      ? same(m, 'already stored')
      : refused(m, 'record.frozen: a different record with this id is already signed; signed records are frozen');
  }
  let next: FollowRecord | Outcome;
  try {
    next = decide(m, kind, entry.mutator, wi, prior?.data);
  } catch (e) {
    if (isDomainError(e)) return refused(m, e.message);
    return refused(m, e instanceof Error ? e.message : String(e));
  }
  if ('result' in next) return next;
  const rel = ctx.nextSeq();
  const write: FollowUpWrite = { id: next.id, intake_id: next.intakeId, data: next, content_hash: next.contentHash, rel, old_seq: prior?.oldSeq ?? null };
  ctx.followUps[table].set(next.id, write);
  return { result: { mutationId: m.id, status: 'applied' }, seq: rel };
}
