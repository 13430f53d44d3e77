/**
 * Follow-up records of a signed intake: the technician's check (tech_checks) and the handover
 * (handovers). Each arrives once, signed, with its full record; the server recomputes its hash,
 * checks it is bound to the intake's signed hash (and the handover to the signed check it names),
 * stores it once and refuses any different record under the same id afterwards.
 */
import { and, eq } from 'drizzle-orm';
import { techCheckHash } from '../../shared/schema/technicianCheck';
import { handoverHash } from '../../shared/schema/handover';
import type { Mutation } from '../../shared/protocol';
import { handovers, techChecks } from '../db/schema';
import type { OpContext, Outcome } from './apply';
import { intakeOf } from './intakeOps';

type M<Op extends Mutation['op']> = Extract<Mutation, { op: Op }>;
type FollowTable = typeof techChecks | typeof handovers;

const refused = (m: Mutation, reason: string): Outcome => ({ result: { mutationId: m.id, status: 'rejected', reason }, seq: null });

async function checkIntake(ctx: OpContext, intakeId: string, intakeHash: string): Promise<string | null> {
  const row = await ctx.intakes.get(intakeId);
  if (!row) return 'unknown intake';
  const intake = intakeOf(row);
  if (intake.status !== 'signed') return 'the intake is not signed yet';
  if (intake.contentHash !== intakeHash) return 'bound to a different intake hash than the signed one';
  return null;
}

async function storeOnce(ctx: OpContext, m: Mutation, table: FollowTable, rec: { id: string; intakeId: string }, hash: string): Promise<Outcome> {
  const { dealershipId, deviceId, staffId } = ctx.author;
  const [existing] = await ctx.tx.select({ hash: table.contentHash }).from(table).where(and(eq(table.dealershipId, dealershipId), eq(table.id, rec.id))).limit(1);
  if (existing) {
    return existing.hash === hash
      ? { result: { mutationId: m.id, status: 'duplicate', reason: 'already stored' }, seq: null }
      : refused(m, 'a different signed record with this id is already stored; signed records are frozen');
  }
  const seq = ctx.nextSeq();
  await ctx.tx.insert(table).values({ dealershipId, id: rec.id, intakeId: rec.intakeId, data: rec, contentHash: hash, seq, deviceId, staffId });
  return { result: { mutationId: m.id, status: 'applied' }, seq };
}

export async function applyTechCheck(ctx: OpContext, m: M<'techCheck'>): Promise<Outcome> {
  const tc = m.techCheck;
  if (tc.intakeId !== m.intakeId) return refused(m, 'intakeId does not match the check');
  if (tc.status !== 'signed' || !tc.signoff) return refused(m, 'only a signed technician check is pushed');
  const hash = techCheckHash(tc);
  if (tc.contentHash !== hash || tc.signoff.contentHash !== hash) return refused(m, `hash mismatch: the server computes ${hash}`);
  const problem = await checkIntake(ctx, tc.intakeId, tc.intakeHash);
  if (problem) return refused(m, problem);
  return storeOnce(ctx, m, techChecks, tc, hash);
}

export async function applyHandover(ctx: OpContext, m: M<'handover'>): Promise<Outcome> {
  const h = m.handover;
  if (h.intakeId !== m.intakeId) return refused(m, 'intakeId does not match the handover');
  if (h.status !== 'signed' || !h.signatures.length) return refused(m, 'only a signed handover is pushed');
  const hash = handoverHash(h);
  if (h.contentHash !== hash || h.signatures.some((s) => s.contentHash !== hash)) return refused(m, `hash mismatch: the server computes ${hash}`);
  const problem = await checkIntake(ctx, h.intakeId, h.intakeHash);
  if (problem) return refused(m, problem);
  if (h.techCheckId) {
    const [tc] = await ctx.tx
      .select({ hash: techChecks.contentHash })
      .from(techChecks)
      .where(and(eq(techChecks.dealershipId, ctx.author.dealershipId), eq(techChecks.id, h.techCheckId)))
      .limit(1);
    if (tc && tc.hash !== h.techCheckHash) return refused(m, 'bound to a different technician check hash than the stored one');
  }
  return storeOnce(ctx, m, handovers, h, hash);
}
