/**
 * Dealerships (tenants) and their staff: creation, used by the demo seed, by tests and by the
 * manager's POST /api/staff. Secrets are hashed here (scrypt); nothing stores them in clear.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from './db/client';
import { dealerships, staff } from './db/schema';
import { hashSecret, pinVerifier } from './auth/crypto';
import type { CreateStaffRequest, DealershipPublic, Role, StaffPublic, StaffWithPin } from '../shared/auth';
import { HttpError } from './errors';

export interface NewDealership {
  slug: string;
  name: string;
  staff: CreateStaffRequest[];
}

export async function createDealership(db: Db, d: NewDealership): Promise<{ dealership: DealershipPublic; staff: StaffPublic[] }> {
  const id = randomUUID();
  const hashed = await Promise.all(d.staff.map(async (s) => ({ s, pw: await hashSecret(s.password), pin: await hashSecret(s.pin) })));
  const out: StaffPublic[] = [];
  await db.transaction(async (tx) => {
    await tx.insert(dealerships).values({ id, slug: d.slug, name: d.name });
    for (const { s, pw, pin } of hashed) {
      const sid = randomUUID();
      await tx.insert(staff).values({ id: sid, dealershipId: id, username: s.username, name: s.name, role: s.role, passwordHash: pw, pinHash: pin });
      out.push({ id: sid, username: s.username, name: s.name, role: s.role });
    }
  });
  return { dealership: { id, slug: d.slug, name: d.name }, staff: out };
}

export async function addStaff(db: Db, dealershipId: string, s: CreateStaffRequest): Promise<StaffPublic> {
  const [pw, pin] = await Promise.all([hashSecret(s.password), hashSecret(s.pin)]);
  const id = randomUUID();
  const rows = await db
    .insert(staff)
    .values({ id, dealershipId, username: s.username, name: s.name, role: s.role, passwordHash: pw, pinHash: pin })
    .onConflictDoNothing()
    .returning({ id: staff.id });
  if (!rows.length) throw new HttpError(409, 'exists', `username ${s.username} is taken in this dealership`);
  return { id, username: s.username, name: s.name, role: s.role };
}

export async function staffList(db: Db, dealershipId: string): Promise<StaffWithPin[]> {
  const rows = await db.select().from(staff).where(eq(staff.dealershipId, dealershipId)).orderBy(staff.username);
  return rows.map((r) => ({ id: r.id, username: r.username, name: r.name, role: r.role as Role, pin: pinVerifier(r.pinHash) }));
}

export async function findDealership(db: Db, slug: string) {
  const [d] = await db.select().from(dealerships).where(eq(dealerships.slug, slug)).limit(1);
  return d ?? null;
}

export async function findStaff(db: Db, dealershipId: string, id: string) {
  const [s] = await db.select().from(staff).where(and(eq(staff.dealershipId, dealershipId), eq(staff.id, id))).limit(1);
  return s ?? null;
}

export async function anyDealership(db: Db): Promise<boolean> {
  return (await db.select({ id: dealerships.id }).from(dealerships).limit(1)).length > 0;
}
