/**
 * The onRequest hook of every protected route: `Authorization: Bearer <device token>` → the
 * device session (looked up by SHA-256 of the token; revoked = 401), then the acting staff
 * member from `X-Acting-Staff`: the staff member who logged the device in,
 * or one who proved a PIN on this session (table session_staff); anything else is 403. A success
 * is remembered for a few seconds (authCache.ts).
 */
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deviceSessions } from '../db/schema';
import { HttpError } from '../errors';
import type { AuthContext, ServerContext } from '../context';
import { tokenHash } from './crypto';
import { AuthCache } from './authCache';
import { ACTING_STAFF_HEADER, roleSchema } from '../../shared/auth';

const HEADER = ACTING_STAFF_HEADER.toLowerCase();

const uuid = z.string().uuid();
const SEEN_EVERY_MS = 60_000;

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+([A-Za-z0-9_-]{10,200})$/.exec(h.trim());
  return m?.[1] ?? null;
}

/**
 * The session, the acting staff member's role and whether they may act on it, in one prepared
 * query (this runs before every API request, so it is one round trip and no query building).
 * $2 = the requested acting staff id, or null for the session's current one.
 */
const AUTH_SQL = `SELECT s.id, s.dealership_id, s.staff_id, s.acting_staff_id, s.last_seen_at, st.id AS member, st.role, st.name,
    (st.id = s.staff_id OR st.id = s.acting_staff_id
      OR EXISTS (SELECT 1 FROM session_staff ss WHERE ss.session_id = s.id AND ss.staff_id = st.id)) AS unlocked
  FROM device_sessions s
  LEFT JOIN staff st ON st.id = COALESCE($2::uuid, s.acting_staff_id) AND st.dealership_id = s.dealership_id
  WHERE s.token_hash = $1 AND s.revoked_at IS NULL`;

interface AuthRow {
  id: string;
  dealership_id: string;
  staff_id: string;
  acting_staff_id: string;
  last_seen_at: Date | string | null;
  member: string | null;
  role: string | null;
  name: string | null;
  unlocked: boolean | null;
}

export async function authenticate(ctx: ServerContext, req: FastifyRequest): Promise<AuthContext> {
  const token = bearerToken(req);
  if (!token) throw new HttpError(401, 'unauthenticated', 'missing or malformed Authorization: Bearer token');
  const raw = req.headers[HEADER];
  const given = raw === undefined ? null : Array.isArray(raw) ? (raw[0] ?? '') : raw;
  const wanted = given === null ? null : given.toLowerCase(); // one spelling per id
  const wellFormed = wanted === null || uuid.safeParse(wanted).success;
  const hash = tokenHash(token);
  const key = AuthCache.key(hash, wellFormed ? wanted : null);
  const cached = wellFormed ? ctx.authCache.get(key) : null;
  if (cached) return cached;
  const [session] = await ctx.database.query<AuthRow>(AUTH_SQL, [hash, wellFormed ? wanted : null], 'wa_auth');
  if (!session) throw new HttpError(401, 'unauthenticated', 'unknown or revoked device session');
  if (!wellFormed) throw new HttpError(403, 'forbidden', 'X-Acting-Staff is not a staff id of this device session');
  const staffId = wanted ?? session.acting_staff_id;
  if (wanted !== null && wanted !== session.staff_id && wanted !== session.acting_staff_id && session.unlocked !== true) {
    throw new HttpError(403, 'forbidden', 'this staff member has not unlocked this device with a PIN');
  }
  if (!session.member || !session.role) throw new HttpError(403, 'forbidden', 'acting staff member unknown');

  const now = Date.now();
  const seen = session.last_seen_at === null ? null : new Date(session.last_seen_at).getTime();
  if (seen === null || now - seen > SEEN_EVERY_MS) {
    await ctx.database.db.update(deviceSessions).set({ lastSeenAt: new Date(now) }).where(eq(deviceSessions.id, session.id));
  }
  const auth: AuthContext = { sessionId: session.id, dealershipId: session.dealership_id, staffId, staffName: session.name ?? '', role: roleSchema.parse(session.role) };
  ctx.authCache.set(key, auth);
  return auth;
}
