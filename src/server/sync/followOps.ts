/**
 * Follow-up records of a signed intake: the technician's check (tech_checks) and the handover
 * (handovers). Each arrives once, signed, with its full record; the server recomputes its hash,
 * checks it is bound to the intake's signed hash (and the handover to the signed check it names),
 * stores it once and refuses any different record under the same id afterwards.
 */
import { techCheckHash } from '../../model/techCheck/schema';
import { handoverHash } from '../../model/handover/schema';
import type { Mutation } from '../../shared/protocol';
import type { FollowKind, OpContext, Outcome } from './apply';
import { intakeOf, notYet, refused, sizeProblem } from './intakeOps';

type M<Op extends Mutation['op']> = Extract<Mutation, { op: Op }>;

/** Why the record cannot be stored against its intake: now (final) or not yet (retry). */
async function checkIntake(ctx: OpContext, m: Mutation, intakeId: string, intakeHash: string): Promise<Outcome | null> {
  const row = await ctx.intakes.get(intakeId);
  if (!row) return notYet(m, 'unknown intake: push its create first');
  const intake = intakeOf(row);
  if (intake.status !== 'signed') return notYet(m, 'the intake is not signed yet');
  if (intake.contentHash !== intakeHash) return refused(m, 'bound to a different intake hash than the signed one');
  return null;
}

/** The stored hash of a follow-up record: written earlier in this push, or in the database. */
async function storedHash(ctx: OpContext, kind: FollowKind, id: string): Promise<string | null> {
  const pending = ctx.follow[kind].get(id);
  if (pending) return pending.content_hash;
  const [row] = await ctx.q<{ h: string }>(`SELECT content_hash AS h FROM ${kind} WHERE dealership_id = $1 AND id = $2`, [ctx.author.dealershipId, id]);
  return row?.h ?? null;
}

async function storeOnce(ctx: OpContext, m: Mutation, kind: FollowKind, rec: { id: string; intakeId: string }, hash: string): Promise<Outcome> {
  const existing = await storedHash(ctx, kind, rec.id);
  if (existing !== null) {
    return existing === hash
      ? { result: { mutationId: m.id, status: 'duplicate', reason: 'already stored' }, seq: null }
      : refused(m, 'a different signed record with this id is already stored; signed records are frozen');
  }
  const rel = ctx.nextSeq();
  ctx.follow[kind].set(rec.id, { id: rec.id, intake_id: rec.intakeId, data: rec, content_hash: hash, rel });
  return { result: { mutationId: m.id, status: 'applied' }, seq: rel };
}

export async function applyTechCheck(ctx: OpContext, m: M<'techCheck'>): Promise<Outcome> {
  const tc = m.techCheck;
  if (tc.intakeId !== m.intakeId) return refused(m, 'intakeId does not match the check');
  if (tc.status !== 'signed' || !tc.signoff) return refused(m, 'only a signed technician check is pushed');
  const hash = techCheckHash(tc);
  if (tc.contentHash !== hash || tc.signoff.contentHash !== hash) return refused(m, `hash mismatch: the server computes ${hash}`);
  // The sign-off names the acting staff member as the server knows them, never a client's claim.
  if (tc.signoff.staffId.toLowerCase() !== ctx.author.staffId) {
    return notYet(m, 'the sign-off must name the acting staff member: it is sent again when they sync');
  }
  if (tc.signoff.name !== ctx.author.staffName) return refused(m, `the sign-off must carry the acting staff member's name as registered (${ctx.author.staffName})`);
  const big = sizeProblem(tc);
  if (big) return refused(m, big);
  const problem = await checkIntake(ctx, m, tc.intakeId, tc.intakeHash);
  if (problem) return problem;
  return storeOnce(ctx, m, 'tech_checks', tc, hash);
}

export async function applyHandover(ctx: OpContext, m: M<'handover'>): Promise<Outcome> {
  const h = m.handover;
  if (h.intakeId !== m.intakeId) return refused(m, 'intakeId does not match the handover');
  if (h.status !== 'signed' || !h.signatures.length) return refused(m, 'only a signed handover is pushed');
  const hash = handoverHash(h);
  if (h.contentHash !== hash || h.signatures.some((s) => s.contentHash !== hash)) return refused(m, `hash mismatch: the server computes ${hash}`);
  const big = sizeProblem(h);
  if (big) return refused(m, big);
  const problem = await checkIntake(ctx, m, h.intakeId, h.intakeHash);
  if (problem) return problem;
  if (h.techCheckId) {
    const tcHash = await storedHash(ctx, 'tech_checks', h.techCheckId);
    if (tcHash !== null && tcHash !== h.techCheckHash) return refused(m, 'bound to a different technician check hash than the stored one');
  }
  return storeOnce(ctx, m, 'handovers', h, hash);
}
