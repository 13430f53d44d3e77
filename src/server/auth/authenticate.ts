/**
 * The onRequest hook of every protected route: `Authorization: Bearer <device token>` → the
 * device session (looked up by SHA-256 of the token; revoked = 401), then the acting staff
 * member from `X-Acting-Staff` (alias `X-Staff-Id`): the staff member who logged the device in,
 * or one who proved a PIN on this session (table session_staff); anything else is 403.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deviceSessions, sessionStaff, staff } from '../db/schema';
import { HttpError } from '../errors';
import type { AuthContext, ServerContext } from '../context';
import { tokenHash } from './crypto';
import { roleSchema } from '../../shared/auth';

const uuid = z.string().uuid();
const SEEN_EVERY_MS = 60_000;

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+([A-Za-z0-9_-]{10,200})$/.exec(h.trim());
  return m?.[1] ?? null;
}

export async function authenticate(ctx: ServerContext, req: FastifyRequest): Promise<AuthContext> {
  const token = bearerToken(req);
  if (!token) throw new HttpError(401, 'unauthenticated', 'missing or malformed Authorization: Bearer token');
  const { db } = ctx.database;
  const [session] = await db
    .select()
    .from(deviceSessions)
    .where(and(eq(deviceSessions.tokenHash, tokenHash(token)), isNull(deviceSessions.revokedAt)))
    .limit(1);
  if (!session) throw new HttpError(401, 'unauthenticated', 'unknown or revoked device session');

  const raw = req.headers['x-acting-staff'] ?? req.headers['x-staff-id'];
  let staffId = session.actingStaffId;
  if (raw !== undefined) {
    const wanted = Array.isArray(raw) ? raw[0] : raw;
    if (!uuid.safeParse(wanted).success) throw new HttpError(403, 'forbidden', 'X-Acting-Staff is not a staff id of this device session');
    staffId = wanted as string;
    if (staffId !== session.staffId && staffId !== session.actingStaffId) {
      const [ok] = await db
        .select({ s: sessionStaff.staffId })
        .from(sessionStaff)
        .where(and(eq(sessionStaff.sessionId, session.id), eq(sessionStaff.staffId, staffId)))
        .limit(1);
      if (!ok) throw new HttpError(403, 'forbidden', 'this staff member has not unlocked this device with a PIN');
    }
  }
  const [member] = await db
    .select({ role: staff.role })
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.dealershipId, session.dealershipId)))
    .limit(1);
  if (!member) throw new HttpError(403, 'forbidden', 'acting staff member unknown');

  const now = Date.now();
  if (!session.lastSeenAt || now - session.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    await db.update(deviceSessions).set({ lastSeenAt: new Date(now) }).where(eq(deviceSessions.id, session.id));
  }
  return { sessionId: session.id, dealershipId: session.dealershipId, staffId, role: roleSchema.parse(member.role) };
}
