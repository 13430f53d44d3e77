/**
 * POST /api/auth/login (public, strictly rate-limited), POST /api/auth/pin and GET /api/auth/me.
 * Sessions live in device_sessions (token hash only); PIN lockout state lives on the staff row
 * (pin_failures, pin_locked_until), so it holds across devices and restarts.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loginRequestSchema, pinRequestSchema, type Device, type LoginResponse, type Role } from '../../shared/auth';
import { dealerships, deviceSessions, sessionStaff, staff } from '../db/schema';
import { HttpError, notFound, parseBody } from '../errors';
import { requireAuth } from '../context';
import { dummyHash, newToken, tokenHash, verifySecret } from '../auth/crypto';
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

export function publicLoginRoutes(app: FastifyInstance, loginRateLimit: object | false): void {
  app.post('/api/auth/login', { config: loginRateLimit ? { rateLimit: loginRateLimit } : {} }, async (req, reply) => {
    const body = parseBody(loginRequestSchema, req.body);
    const { db } = app.wa.database;
    const d = await findDealership(db, body.dealership);
    const [member] = d ? await db.select().from(staff).where(and(eq(staff.dealershipId, d.id), eq(staff.username, body.username))).limit(1) : [];
    const ok = await verifySecret(body.password, member?.passwordHash ?? (await dummyHash()));
    if (!d || !member || !ok) throw new HttpError(401, 'invalid_login', 'dealership, username or password is wrong');
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
    const now = new Date();
    if (member.pinLockedUntil && member.pinLockedUntil > now) {
      throw new HttpError(423, 'pin_locked', 'too many wrong PINs; try again later', { lockedUntil: member.pinLockedUntil.toISOString() });
    }
    if (!(await verifySecret(body.pin, member.pinHash))) {
      const [row] = await db
        .update(staff)
        .set({ pinFailures: sql`${staff.pinFailures} + 1` })
        .where(eq(staff.id, member.id))
        .returning({ failures: staff.pinFailures });
      const failures = row?.failures ?? 0;
      if (failures >= app.wa.pinMaxAttempts) {
        const until = new Date(now.getTime() + app.wa.pinLockMs);
        await db.update(staff).set({ pinFailures: 0, pinLockedUntil: until }).where(eq(staff.id, member.id));
        req.log.warn({ staffId: member.id }, 'PIN locked after repeated failures');
        throw new HttpError(423, 'pin_locked', 'too many wrong PINs; try again later', { lockedUntil: until.toISOString() });
      }
      throw new HttpError(401, 'wrong_pin', 'wrong PIN', { attemptsLeft: app.wa.pinMaxAttempts - failures });
    }
    await db.transaction(async (tx) => {
      await tx.update(staff).set({ pinFailures: 0, pinLockedUntil: null }).where(eq(staff.id, member.id));
      await tx.update(deviceSessions).set({ actingStaffId: member.id }).where(eq(deviceSessions.id, auth.sessionId));
      await tx.insert(sessionStaff).values({ sessionId: auth.sessionId, staffId: member.id }).onConflictDoNothing();
    });
    app.wa.authCache.forgetSession(auth.sessionId); // its acting staff member changed
    return { staff: { id: member.id, username: member.username, name: member.name, role: member.role as Role } };
  });

  // Any device session of the dealership may refresh its staff list (with PIN verifiers), so a
  // colleague added by the manager can switch in on every tablet, not only after a new login.
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
