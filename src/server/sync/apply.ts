/**
 * Applying a push: ONE database transaction per push request.
 *
 * 1. Lock the dealership's counter row (SELECT … FOR UPDATE). All writers of a dealership queue
 *    here, so change sequence numbers are handed out and COMMITTED in the same order; a reader
 *    can never see seq 12 before 11 (SYNC.md invariant 4). It also makes the idempotency check
 *    and the per-section revision check race-free.
 * 2. Mutation ids already in `mutations` are replays: answered from the stored result
 *    ('applied' comes back as 'duplicate'; conflicts and rejections come back as they were), and
 *    nothing changes.
 * 3. Every other mutation is applied (or answered conflict/rejected) against the push's
 *    IntakeCache; at the end the changed intakes and one `mutations` row per new mutation (id,
 *    author, result) are written in the same transaction. An unexpected error rolls the whole
 *    push back; the tablet retries it (replay-safe).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { dealerships, mutations } from '../db/schema';
import type { Mutation, MutationResult } from '../../shared/protocol';
import { applyCreate, applyPatch, applySign, applyAmend } from './intakeOps';
import { applyHandover, applyTechCheck } from './followOps';
import type { Db } from '../db/client';
import { IntakeCache } from './intakeCache';

export interface Author {
  dealershipId: string;
  deviceId: string;
  staffId: string;
}

/** What one mutation did: its answer and whether it took a change sequence number. */
export interface Outcome {
  result: MutationResult;
  seq: number | null;
}

export interface OpContext {
  tx: Tx;
  intakes: IntakeCache;
  author: Author;
  /** Take the next change sequence number (only call when something is written). */
  nextSeq(): number;
}

async function applyOne(ctx: OpContext, m: Mutation): Promise<Outcome> {
  switch (m.op) {
    case 'create':
      return applyCreate(ctx, m);
    case 'patch':
      return applyPatch(ctx, m);
    case 'sign':
      return applySign(ctx, m);
    case 'amend':
      return applyAmend(ctx, m);
    case 'techCheck':
      return applyTechCheck(ctx, m);
    case 'handover':
      return applyHandover(ctx, m);
  }
}

export function replayed(stored: MutationResult): MutationResult {
  return stored.status === 'applied' ? { ...stored, status: 'duplicate' } : stored;
}

export async function applyPush(db: Db, author: Author, batch: Mutation[]): Promise<MutationResult[]> {
  return db.transaction(async (tx) => {
    const [counter] = await tx.select({ seq: dealerships.changeSeq }).from(dealerships).where(eq(dealerships.id, author.dealershipId)).for('update');
    if (!counter) throw new Error('dealership vanished');
    let seq = counter.seq;
    const ids = [...new Set(batch.map((m) => m.id))];
    const seen = new Map<string, MutationResult>();
    const prior = await tx
      .select({ id: mutations.id, result: mutations.result })
      .from(mutations)
      .where(and(eq(mutations.dealershipId, author.dealershipId), inArray(mutations.id, ids)));
    for (const p of prior) seen.set(p.id, p.result as MutationResult);

    const cache = new IntakeCache(tx, author.dealershipId);
    await cache.prefetch(batch.filter((m) => !seen.has(m.id)).map((m) => m.intakeId));
    const ctx: OpContext = { tx, author, intakes: cache, nextSeq: () => ++seq };
    const results: MutationResult[] = [];
    const rows: (typeof mutations.$inferInsert)[] = [];
    for (const m of batch) {
      const stored = seen.get(m.id);
      if (stored) {
        results.push(replayed(stored));
        continue;
      }
      const before = seq;
      const { result } = await applyOne(ctx, m);
      rows.push({
        dealershipId: author.dealershipId,
        id: m.id,
        intakeId: m.intakeId,
        op: m.op,
        deviceId: author.deviceId,
        staffId: author.staffId,
        clientAt: m.at,
        seq: seq > before ? seq : null,
        result,
      });
      seen.set(m.id, result);
      results.push(result);
    }
    await cache.flush();
    for (let i = 0; i < rows.length; i += 200) await tx.insert(mutations).values(rows.slice(i, i + 200));
    if (seq !== counter.seq) await tx.update(dealerships).set({ changeSeq: seq }).where(eq(dealerships.id, author.dealershipId));
    return results;
  });
}
