/**
 * Direct REST access to intakes, scoped to the session's dealership (another dealership's id is
 * 404 exactly like a nonexistent one):
 *   GET   /api/intakes             list (newest change first) with missing photo counts
 *   GET   /api/intakes/:id         record, section revisions, missing photos, follow-up records
 *   PATCH /api/intakes/:id         {section, value, baseRev} — a section patch of a DRAFT,
 *   PUT   /api/intakes/:id         applied through the same push code (authored, idempotent)
 * A signed intake is immutable: PATCH/PUT answer 409 with the reason, whatever the body.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { intakeContentSchema, SECTIONS, type Intake } from '../../model/intake/schema';
import { handovers, intakes, techChecks } from '../db/schema';
import { HttpError, notFound, parseBody } from '../errors';
import { requireAuth } from '../context';
import { missingPhotos } from '../sync/pull';
import { applyPush, authorOf } from '../sync/apply';
import { SIGNED_REASON, TOO_LARGE_REASON } from '../sync/intakeOps';
import { isFrozen } from '../../model/frozen';
import { queryInt } from './sync';

const uuid = z.string().uuid();
const listQuery = z.object({
  status: z.enum(['draft', 'signed']).optional(),
  limit: queryInt(1, 500, 100),
});
const patchBody = z.object({ section: z.enum(SECTIONS), value: z.unknown(), baseRev: z.number().int().min(0).nullable() });

function idParam(req: FastifyRequest): string {
  const id = (req.params as { id?: string }).id ?? '';
  if (!uuid.safeParse(id).success) throw notFound('no such intake');
  return id.toLowerCase();
}

export function intakeRoutes(app: FastifyInstance): void {
  const db = () => app.wa.database.db;

  async function row(dealershipId: string, id: string) {
    const [r] = await db().select().from(intakes).where(and(eq(intakes.dealershipId, dealershipId), eq(intakes.id, id))).limit(1);
    if (!r) throw notFound('no such intake');
    return r;
  }

  app.get('/api/intakes', async (req) => {
    const auth = requireAuth(req.auth);
    const q = parseBody(listQuery, req.query, 'query');
    const where = q.status ? and(eq(intakes.dealershipId, auth.dealershipId), eq(intakes.status, q.status)) : eq(intakes.dealershipId, auth.dealershipId);
    const rows = await db().select().from(intakes).where(where).orderBy(desc(intakes.seq)).limit(q.limit);
    const records = rows.map((r) => r.data as Intake);
    const missing = await missingPhotos(app.wa.database, auth.dealershipId, records);
    return {
      intakes: rows.map((r, i) => {
        const it = records[i] as Intake;
        return {
          id: it.id,
          seq: r.seq,
          status: it.status,
          plate: it.vehicle.plate,
          customer: it.customer.name,
          advisor: it.advisor,
          createdAt: it.createdAt,
          updatedAt: it.updatedAt,
          contentHash: it.contentHash,
          missingPhotos: missing.get(it.id)?.length ?? 0,
          createdBy: { deviceId: r.createdByDevice, staffId: r.createdByStaff },
          updatedBy: { deviceId: r.updatedByDevice, staffId: r.updatedByStaff },
        };
      }),
    };
  });

  app.get('/api/intakes/:id', async (req) => {
    const auth = requireAuth(req.auth);
    const r = await row(auth.dealershipId, idParam(req));
    const intake = r.data as Intake;
    const missing = await missingPhotos(app.wa.database, auth.dealershipId, [intake]);
    const scope = <T extends typeof techChecks | typeof handovers>(t: T) => and(eq(t.dealershipId, auth.dealershipId), eq(t.intakeId, intake.id));
    const [tcs, hos] = await Promise.all([
      db().select({ data: techChecks.data }).from(techChecks).where(scope(techChecks)),
      db().select({ data: handovers.data }).from(handovers).where(scope(handovers)),
    ]);
    return {
      seq: r.seq,
      intake,
      sectionRevs: r.sectionRevs,
      missingPhotos: missing.get(intake.id) ?? [],
      techChecks: tcs.map((t) => t.data),
      handovers: hos.map((h) => h.data),
    };
  });

  const change = async (req: FastifyRequest) => {
    const auth = requireAuth(req.auth);
    const id = idParam(req);
    const r = await row(auth.dealershipId, id);
    if (isFrozen(r)) throw new HttpError(409, 'signed', SIGNED_REASON, { contentHash: r.contentHash });
    const body = parseBody(patchBody, req.body);
    const sectionSchema: z.ZodType = intakeContentSchema.shape[body.section];
    const value: unknown = parseBody(sectionSchema, body.value, `value of section ${body.section}`);
    // A refusal here is answered and changes nothing: no `mutations` row (the id is never replayed).
    const [result] = await applyPush(
      app.wa.database,
      app.wa.versions,
      authorOf(auth),
      [{ op: 'patch', id: randomUUID(), intakeId: id, at: new Date().toISOString(), section: body.section, value, baseRev: body.baseRev }],
      { recordRefusals: false },
    );
    if (!result) throw new Error('no result');
    if (result.status === 'conflict') throw new HttpError(409, 'conflict', result.reason ?? 'conflict', { sectionRev: result.sectionRev, serverValue: result.serverValue });
    if (result.status === 'rejected') {
      if (result.reason?.startsWith(TOO_LARGE_REASON)) throw new HttpError(413, 'too_large', result.reason);
      if (result.retry) throw new HttpError(403, 'forbidden', result.reason ?? 'refused');
      const signed = result.reason === SIGNED_REASON;
      throw new HttpError(signed ? 409 : 400, signed ? 'signed' : 'invalid', result.reason ?? 'rejected');
    }
    return { sectionRev: result.sectionRev };
  };
  app.patch('/api/intakes/:id', change);
  app.put('/api/intakes/:id', change);
}
