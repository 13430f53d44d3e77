/**
 * Drizzle table definitions mirroring migrations/*.sql (the SQL files are the source of truth
 * for the database; this file is the typed view the code queries through). Unqualified names,
 * so a PostgreSQL search_path can isolate a test schema.
 */
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const dealerships = pgTable('dealerships', {
  id: uuid('id').primaryKey(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull().default(0),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const staff = pgTable('staff', {
  id: uuid('id').primaryKey(),
  dealershipId: uuid('dealership_id').notNull(),
  username: text('username').notNull(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  pinHash: text('pin_hash').notNull(),
  pinFailures: integer('pin_failures').notNull().default(0),
  pinLockedUntil: ts('pin_locked_until'),
  loginFailures: integer('login_failures').notNull().default(0),
  loginLockedUntil: ts('login_locked_until'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const deviceSessions = pgTable('device_sessions', {
  id: uuid('id').primaryKey(),
  dealershipId: uuid('dealership_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  deviceName: text('device_name').notNull(),
  staffId: uuid('staff_id').notNull(),
  actingStaffId: uuid('acting_staff_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastSeenAt: ts('last_seen_at'),
  revokedAt: ts('revoked_at'),
  stepUpStaffId: uuid('step_up_staff_id'),
  stepUpUntil: ts('step_up_until'),
});

export const sessionStaff = pgTable(
  'session_staff',
  {
    sessionId: uuid('session_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    verifiedAt: ts('verified_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.staffId] })],
);

export const intakes = pgTable(
  'intakes',
  {
    dealershipId: uuid('dealership_id').notNull(),
    id: uuid('id').notNull(),
    data: jsonb('data').notNull(),
    sectionRevs: jsonb('section_revs').$type<Record<string, number>>().notNull(),
    status: text('status').notNull(),
    contentHash: text('content_hash'),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    createdByDevice: uuid('created_by_device').notNull(),
    createdByStaff: uuid('created_by_staff').notNull(),
    updatedByDevice: uuid('updated_by_device').notNull(),
    updatedByStaff: uuid('updated_by_staff').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.dealershipId, t.id] })],
);

const followTable = (name: string) =>
  pgTable(
    name,
    {
      dealershipId: uuid('dealership_id').notNull(),
      id: uuid('id').notNull(),
      intakeId: uuid('intake_id').notNull(),
      data: jsonb('data').notNull(),
      /** Null while a draft (migration 0003). */
      contentHash: text('content_hash'),
      seq: bigint('seq', { mode: 'number' }).notNull(),
      deviceId: uuid('device_id').notNull(),
      staffId: uuid('staff_id').notNull(),
      createdAt: ts('created_at').notNull().defaultNow(),
    },
    (t) => [primaryKey({ columns: [t.dealershipId, t.id] })],
  );

export const techChecks = followTable('tech_checks');
export const handovers = followTable('handovers');

export const mutations = pgTable(
  'mutations',
  {
    dealershipId: uuid('dealership_id').notNull(),
    id: uuid('id').notNull(),
    intakeId: uuid('intake_id').notNull(),
    op: text('op').notNull(),
    deviceId: uuid('device_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    clientAt: text('client_at').notNull(),
    seq: bigint('seq', { mode: 'number' }),
    result: jsonb('result').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.dealershipId, t.id] })],
);

export const blobs = pgTable(
  'blobs',
  {
    dealershipId: uuid('dealership_id').notNull(),
    sha256: text('sha256').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    deviceId: uuid('device_id').notNull(),
    staffId: uuid('staff_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.dealershipId, t.sha256] })],
);

export const schema = { dealerships, staff, deviceSessions, sessionStaff, intakes, techChecks, handovers, mutations, blobs };
export type Schema = typeof schema;
