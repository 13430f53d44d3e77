/**
 * A dealership's full database state, normalised for comparison: every row of every tenant
 * table, without the dealership id, authoring device/staff ids and wall-clock timestamps.
 */
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { blobs, dealerships, handovers, intakes, mutations, techChecks } from '../../../src/server/db/schema';
import { createDealership } from '../../../src/server/tenants';

export async function dealershipState(app: FastifyInstance, dealershipId: string) {
  const { db } = app.wa.database;
  const [d] = await db.select({ seq: dealerships.changeSeq }).from(dealerships).where(eq(dealerships.id, dealershipId));
  const ins = await db.select().from(intakes).where(eq(intakes.dealershipId, dealershipId)).orderBy(asc(intakes.id));
  const muts = await db.select().from(mutations).where(eq(mutations.dealershipId, dealershipId)).orderBy(asc(mutations.id));
  const tcs = await db.select().from(techChecks).where(eq(techChecks.dealershipId, dealershipId)).orderBy(asc(techChecks.id));
  const hos = await db.select().from(handovers).where(eq(handovers.dealershipId, dealershipId)).orderBy(asc(handovers.id));
  const bls = await db.select().from(blobs).where(eq(blobs.dealershipId, dealershipId)).orderBy(asc(blobs.sha256));
  return {
    changeSeq: d?.seq,
    intakes: ins.map((r) => ({ id: r.id, data: r.data, revs: r.sectionRevs, status: r.status, hash: r.contentHash, seq: r.seq })),
    mutations: muts.map((r) => ({ id: r.id, intakeId: r.intakeId, op: r.op, seq: r.seq, result: r.result, clientAt: r.clientAt })),
    techChecks: tcs.map((r) => ({ id: r.id, data: r.data, hash: r.contentHash, seq: r.seq })),
    handovers: hos.map((r) => ({ id: r.id, data: r.data, hash: r.contentHash, seq: r.seq })),
    blobs: bls.map((r) => ({ sha256: r.sha256, type: r.contentType, size: r.size })),
  };
}

let n = 0;
/** A second tenant with one advisor and one manager (logins: <slug>/adv, <slug>/mgr, password "password-<slug>"). */
export async function otherDealership(app: FastifyInstance, slug = `other${++n}`) {
  const password = `password-${slug}`;
  const made = await createDealership(app.wa.database.db, {
    slug,
    name: `Other ${slug}`,
    staff: [
      { username: 'adv', name: '赵六', role: 'advisor', password, pin: '1111' },
      { username: 'mgr', name: '钱七', role: 'manager', password, pin: '2222' },
    ],
  });
  return { ...made, advisor: { dealership: slug, username: 'adv', password }, manager: { dealership: slug, username: 'mgr', password } };
}
