/**
 * Manager-only routes: staff (GET/POST /api/staff) and device sessions (GET /api/devices,
 * POST /api/devices/:id/revoke). The acting staff member must be a manager AND have re-entered
 * their password on this device session within the last few minutes (POST /api/auth/step-up);
 * a PIN is never enough (403 step_up_required). Every future admin route goes through
 * requireStepUp. Every query is scoped to the session's dealership, so another dealership's
 * device id is a 404.
 */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createStaffRequestSchema, STEP_UP_REQUIRED } from '../../shared/auth';
import { deviceSessions } from '../db/schema';
import { HttpError, notFound, parseBody } from '../errors';
import { requireAuth, type AuthContext } from '../context';
import { addStaff, staffList } from '../tenants';
import { deviceOf } from './auth';

/** A manager acting, with a password step-up on this session that has not run out. */
export async function requireStepUp(app: FastifyInstance, auth: AuthContext | null): Promise<AuthContext> {
  const a = requireAuth(auth);
  if (a.role !== 'manager') throw new HttpError(403, 'forbidden', 'managers only');
  const [row] = await app.wa.database.query<{ ok: boolean }>(
    'SELECT (step_up_staff_id = $2 AND step_up_until > now()) IS TRUE AS ok FROM device_sessions WHERE id = $1',
    [a.sessionId, a.staffId],
  );
  if (!row?.ok) throw new HttpError(403, STEP_UP_REQUIRED, 'manager actions need your password re-entered (POST /api/auth/step-up); a PIN is not enough');
  return a;
}

const idParam = z.object({ id: z.string() });

export function managerRoutes(app: FastifyInstance): void {
  app.get('/api/staff', async (req) => {
    const auth = await requireStepUp(app, req.auth);
    return { staff: await staffList(app.wa.database.db, auth.dealershipId) };
  });

  app.post('/api/staff', async (req, reply) => {
    const auth = await requireStepUp(app, req.auth);
    const body = parseBody(createStaffRequestSchema, req.body);
    const created = await addStaff(app.wa.database.db, auth.dealershipId, body);
    req.log.info({ staffId: created.id, by: auth.staffId }, 'staff added');
    return reply.code(201).send({ staff: created });
  });

  app.get('/api/devices', async (req) => {
    const auth = await requireStepUp(app, req.auth);
    const rows = await app.wa.database.db.select().from(deviceSessions).where(eq(deviceSessions.dealershipId, auth.dealershipId)).orderBy(desc(deviceSessions.createdAt));
    return { devices: rows.map(deviceOf) };
  });

  app.post('/api/devices/:id/revoke', async (req) => {
    const auth = await requireStepUp(app, req.auth);
    const { id: given } = idParam.parse(req.params);
    if (!z.string().uuid().safeParse(given).success) throw notFound('no such device');
    const id = given.toLowerCase();
    const { db } = app.wa.database;
    const [row] = await db.select().from(deviceSessions).where(and(eq(deviceSessions.id, id), eq(deviceSessions.dealershipId, auth.dealershipId)));
    if (!row) throw notFound('no such device');
    await db
      .update(deviceSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(deviceSessions.id, id), eq(deviceSessions.dealershipId, auth.dealershipId), isNull(deviceSessions.revokedAt)));
    app.wa.authCache.forgetSession(id); // refused from the next request on
    app.wa.changes.closeSession(id); // and its event streams end now
    const [after] = await db.select().from(deviceSessions).where(eq(deviceSessions.id, id));
    req.log.info({ deviceId: id, by: auth.staffId }, 'device revoked');
    return { device: after ? deviceOf(after) : deviceOf(row) };
  });
}
