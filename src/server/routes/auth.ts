/**
 * POST /api/auth/login (public, strictly rate-limited), POST /api/auth/pin, POST /api/auth/step-up,
 * GET /api/auth/staff and GET /api/auth/me.
 * Sessions live in device_sessions (token hash only). Guess counting of PINs and passwords lives
 * on the staff row and is taken atomically before any secret is checked (auth/attempts.ts), so it
 * holds across devices, restarts and parallel requests.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loginRequestSchema, pinRequestSchema, stepUpRequestSchema, type Device, type LoginResponse, type Role } from '../../shared/auth';
import { dealerships, deviceSessions, sessionStaff, staff } from '../db/schema';
import { HttpError, notFound, parseBody } from '../errors';
import { requireAuth } from '../context';
import { dummyHash, newToken, tokenHash, verifySecret } from '../auth/crypto';
import { clearAttempts, reserveAttempt, type SecretKind } from '../auth/attempts';
import { findDealership, findStaff, staffList } from '../tenants';

type SessionRow = typeof deviceSessions.$inferSelect;

export function deviceOf(s: SessionRow): Device {
  return {
    id: s.id,
    name: s.deviceName,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt?.toISOString() ?? null,
    revokedAt: s.revokedAt?.toISOString() ?? null,
    staffId: s.staffId,
  };
}

const LOCKED = { pin: ['pin_locked', 'too many wrong PINs; try again later'], login: ['login_locked', 'too many wrong passwords for this account; try again later'] } as const;

function locked(kind: SecretKind, until: Date): HttpError {
  const [code, message] = LOCKED[kind];
  const lockedUntil = until.toISOString();
  return new HttpError(423, code, message, { lockedUntil }, { lockedUntil });
}

/**
 * Check a staff member's secret under the atomic attempt count: reserve, verify, then clear on
 * success. Returns the failures so far on a wrong secret; throws 423 when locked.
 */
async function checkCounted(app: FastifyInstance, kind: SecretKind, member: { id: string; secretHash: string }, secret: string, max: number, lockMs: number): Promise<{ ok: true } | { ok: false; attemptsLeft: number }> {
  const { database } = app.wa;
  const r = await reserveAttempt(database, kind, member.id, max, lockMs);
  if (!r.granted) throw locked(kind, r.lockedUntil);
  if (await verifySecret(secret, member.secretHash)) {
    await clearAttempts(database, kind, member.id);
    return { ok: true };
  }
  if (r.lockedUntil) throw locked(kind, r.lockedUntil); // this guess was the last one allowed
  return { ok: false, attemptsLeft: Math.max(0, max - r.failures) };
}

export function publicLoginRoutes(app: FastifyInstance, loginRateLimit: object | false): void {
  app.post('/api/auth/login', { config: loginRateLimit ? { rateLimit: loginRateLimit } : {} }, async (req, reply) => {
    const body = parseBody(loginRequestSchema, req.body);
    const { db } = app.wa.database;
    const d = await findDealership(db, body.dealership);
    const [member] = d ? await db.select().from(staff).where(and(eq(staff.dealershipId, d.id), eq(staff.username, body.username))).limit(1) : [];
    if (!d || !member) {
      await verifySecret(body.password, await dummyHash()); // the same time as a real check
      throw new HttpError(401, 'invalid_login', 'dealership, username or password is wrong');
    }
    const { loginMaxAttempts, loginLockMs } = app.wa;
    const checked = await checkCounted(app, 'login', { id: member.id, secretHash: member.passwordHash }, body.password, loginMaxAttempts, loginLockMs);
    if (!checked.ok) throw new HttpError(401, 'invalid_login', 'dealership, username or password is wrong');
    const token = newToken();
    const [session] = await db
      .insert(deviceSessions)
      .values({ id: randomUUID(), dealershipId: d.id, tokenHash: tokenHash(token), deviceName: body.deviceName, staffId: member.id, actingStaffId: member.id })
      .returning();
    if (!session) throw new Error('session insert returned nothing');
    req.log.info({ dealership: d.slug, staffId: member.id, deviceId: session.id }, 'device logged in');
    const res: LoginResponse = {
      token,
      device: deviceOf(session),
      staff: { id: member.id, username: member.username, name: member.name, role: member.role as Role },
      dealership: { id: d.id, slug: d.slug, name: d.name },
      staffList: await staffList(db, d.id),
    };
    return reply.code(201).send(res);
  });
}

export function authRoutes(app: FastifyInstance): void {
  app.post('/api/auth/pin', async (req) => {
    const auth = requireAuth(req.auth);
    const body = parseBody(pinRequestSchema, req.body);
    const { db } = app.wa.database;
    const member = await findStaff(db, auth.dealershipId, body.staffId);
    if (!member) throw notFound('no such staff member');
    const checked = await checkCounted(app, 'pin', { id: member.id, secretHash: member.pinHash }, body.pin, app.wa.pinMaxAttempts, app.wa.pinLockMs);
    if (!checked.ok) throw new HttpError(401, 'wrong_pin', 'wrong PIN', { attemptsLeft: checked.attemptsLeft }, { attemptsLeft: checked.attemptsLeft });
    await db.transaction(async (tx) => {
      // A PIN switch ends any password step-up on this session: a PIN never carries one over.
      await tx.update(deviceSessions).set({ actingStaffId: member.id, stepUpStaffId: null, stepUpUntil: null }).where(eq(deviceSessions.id, auth.sessionId));
      await tx.insert(sessionStaff).values({ sessionId: auth.sessionId, staffId: member.id }).onConflictDoNothing();
    });
    app.wa.authCache.forgetSession(auth.sessionId); // its acting staff member changed
    return { staff: { id: member.id, username: member.username, name: member.name, role: member.role as Role } };
  });

  // Step-up: the acting staff member re-enters their PASSWORD; for the next few minutes this
  // device session may run manager actions as them (routes/manager.ts). Counted like a login.
  app.post('/api/auth/step-up', async (req) => {
    const auth = requireAuth(req.auth);
    const body = parseBody(stepUpRequestSchema, req.body);
    const member = await findStaff(app.wa.database.db, auth.dealershipId, auth.staffId);
    if (!member) throw new HttpError(403, 'forbidden', 'acting staff member unknown');
    const { loginMaxAttempts, loginLockMs, stepUpMs } = app.wa;
    const checked = await checkCounted(app, 'login', { id: member.id, secretHash: member.passwordHash }, body.password, loginMaxAttempts, loginLockMs);
    if (!checked.ok) throw new HttpError(401, 'wrong_password', 'wrong password', { attemptsLeft: checked.attemptsLeft }, { attemptsLeft: checked.attemptsLeft });
    const [row] = await app.wa.database.query<{ until_ms: number | string }>(
      `UPDATE device_sessions SET step_up_staff_id = $2, step_up_until = now() + ($3::double precision * interval '1 millisecond')
        WHERE id = $1 RETURNING (extract(epoch FROM step_up_until) * 1000)::double precision AS until_ms`,
      [auth.sessionId, member.id, stepUpMs],
    );
    req.log.info({ staffId: member.id, deviceId: auth.sessionId }, 'password step-up');
    return { staff: { id: member.id, username: member.username, name: member.name, role: member.role as Role }, stepUpUntil: new Date(Number(row?.until_ms ?? Date.now())).toISOString() };
  });

  // Any device session of the dealership may refresh its staff list (with offline PIN
  // verifiers), so a colleague added by the manager can switch in on every tablet. What a
  // verifier lets an attacker do is bounded in src/server/README.md (threat model): a PIN only
  // ever switches the acting staff on a session that already exists, never a manager action.
  app.get('/api/auth/staff', async (req) => {
    const auth = requireAuth(req.auth);
    return { staff: await staffList(app.wa.database.db, auth.dealershipId) };
  });

  app.get('/api/auth/me', async (req) => {
    const auth = requireAuth(req.auth);
    const { db } = app.wa.database;
    const [session] = await db.select().from(deviceSessions).where(eq(deviceSessions.id, auth.sessionId));
    const member = await findStaff(db, auth.dealershipId, auth.staffId);
    const [d] = await db.select({ id: dealerships.id, slug: dealerships.slug, name: dealerships.name }).from(dealerships).where(eq(dealerships.id, auth.dealershipId));
    if (!session || !member || !d) throw new HttpError(401, 'unauthenticated', 'session vanished');
    return { device: deviceOf(session), staff: { id: member.id, username: member.username, name: member.name, role: member.role as Role }, dealership: d };
  });
}
