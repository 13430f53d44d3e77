/**
 * Pull: everything of the dealership changed after the cursor, in change-sequence order, from
 * the three record tables (each row carries the seq of its latest change). Because writers
 * commit in seq order (see apply.ts), a row with seq ≤ cursor that is not visible yet cannot
 * exist, so advancing the cursor to the last returned seq never skips a change.
 * `missingPhotos` lists referenced photo hashes whose bytes this dealership does not hold yet.
 */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { blobs, handovers, intakes, techChecks } from '../db/schema';
import { photoHashesOf } from '../../shared/signedContent';
import type { Intake } from '../../shared/schema/intake';
import type { Handover } from '../../shared/schema/handover';
import type { TechCheck } from '../../shared/schema/technicianCheck';
import type { PullResponse, PulledIntake } from '../../shared/protocol';

export const PULL_DEFAULT_LIMIT = 200;
export const PULL_MAX_LIMIT = 1000;

/** Referenced photo hashes (intake photos) this dealership does not hold, per intake. */
export async function missingPhotos(db: Db, dealershipId: string, records: Intake[]): Promise<Map<string, string[]>> {
  const wanted = new Map(records.map((r) => [r.id, photoHashesOf(r)]));
  const all = [...new Set([...wanted.values()].flat())];
  const held = new Set<string>();
  for (let i = 0; i < all.length; i += 500) {
    const part = all.slice(i, i + 500);
    const rows = await db.select({ h: blobs.sha256 }).from(blobs).where(and(eq(blobs.dealershipId, dealershipId), inArray(blobs.sha256, part)));
    for (const r of rows) held.add(r.h);
  }
  return new Map([...wanted].map(([id, hashes]) => [id, hashes.filter((h) => !held.has(h))]));
}

export async function pull(db: Db, dealershipId: string, since: number, limit: number): Promise<PullResponse> {
  const [ins, tcs, hos] = await Promise.all([
    db.select({ seq: intakes.seq, data: intakes.data, revs: intakes.sectionRevs }).from(intakes).where(and(eq(intakes.dealershipId, dealershipId), gt(intakes.seq, since))).orderBy(asc(intakes.seq)).limit(limit + 1),
    db.select({ seq: techChecks.seq, data: techChecks.data }).from(techChecks).where(and(eq(techChecks.dealershipId, dealershipId), gt(techChecks.seq, since))).orderBy(asc(techChecks.seq)).limit(limit + 1),
    db.select({ seq: handovers.seq, data: handovers.data }).from(handovers).where(and(eq(handovers.dealershipId, dealershipId), gt(handovers.seq, since))).orderBy(asc(handovers.seq)).limit(limit + 1),
  ]);
  const seqs = [...ins.map((r) => r.seq), ...tcs.map((r) => r.seq), ...hos.map((r) => r.seq)].sort((a, b) => a - b);
  const more = seqs.length > limit;
  const cursor = seqs.length === 0 ? since : (seqs[Math.min(limit, seqs.length) - 1] ?? since);
  const keep = <T extends { seq: number }>(rows: T[]) => rows.filter((r) => r.seq <= cursor);
  const pickedIntakes = keep(ins);
  const missing = await missingPhotos(db, dealershipId, pickedIntakes.map((r) => r.data as Intake));
  const changes: PulledIntake[] = pickedIntakes.map((r) => {
    const intake = r.data as Intake;
    return { seq: r.seq, intake, sectionRevs: r.revs, missingPhotos: missing.get(intake.id) ?? [] };
  });
  return {
    changes,
    techChecks: keep(tcs).map((r) => ({ seq: r.seq, techCheck: r.data as TechCheck })),
    handovers: keep(hos).map((r) => ({ seq: r.seq, handover: r.data as Handover })),
    cursor,
    more,
  };
}
