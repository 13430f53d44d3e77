/**
 * The tablet's database (IndexedDB through Dexie). What is stored where, and why:
 *
 * - intakes:    the advisor's working copy of every intake, drafts and signed. Kept after sync:
 *               the tablet is not a cache, and the record must open with no network.
 * - sectionRevs: per intake, the server revision of each section last seen (sync merge base).
 * - outbox:     mutations not yet acknowledged by the server. Written in the SAME transaction as
 *               the change it describes, deleted only after the server answered for it.
 * - quarantine: mutations the server refused, kept and shown to staff, never deleted silently.
 * - photos:     photo and signature bytes as ArrayBuffer + type + SHA-256 (not Blob: Safari has
 *               returned null Blobs from IndexedDB), read back and verified after each write.
 * - conflicts:  sections edited on two tablets at once, waiting for a person to choose.
 * - summaries:  one small row per intake (plate, name, phone, status, dates) kept in step with
 *               `intakes` in the same transaction, so the list and its search stay fast with
 *               10,000 records without loading every full record.
 * - kv:         small device state, typed and keyed in device.ts (session, staff, sync cursor…).
 * - techChecks: technicians' checks (验收) of signed intakes; their own records, never edits of the
 *               intake. Drafts and signed ones both go through the outbox (src/store/mutate.ts).
 * - handovers:  handover walks (交车) against the intake, same rules as techChecks.
 *
 * v3 gives every outbox entry its record kind and id (`kind`, `recordId`), so an autosave of any
 * record coalesces into its own unsent entry and a pull can tell a record with unsent changes.
 *
 * v4 keeps the photo bookkeeping apart from the bytes: `photoMeta` holds one small row per photo
 * (hash, intake, size, uploaded), so counting what is unsent and marking a photo uploaded never
 * reads or rewrites hundreds of KB of bytes. `photos` keeps the bytes (its old `uploaded` field is
 * no longer written).
 *
 * v5 (issue 11) keeps the dealership's vehicle index (`vehicleChunks`: one packed, compressed row
 * per pulled page, see vehicleIndex.ts; pulled by its own cursor from GET /api/sync/vehicles, never
 * written by the tablet) and indexes intakes by VIN, so a car's earlier visits on this tablet are
 * found without reading every intake.
 * v6 adds `appointments` (预约, src/model/appointment): the dealership's bookings, pulled like every
 * record so today's list opens offline; indexed by date (今日预约) and by the intake an arrival started.
 *
 * Migrations are only ever added: a new `this.version(n)` block, never an edited old one.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { Intake, SectionName } from '../model/intake/schema';
import type { Mutation } from '../shared/protocol';
import type { TechCheck } from '../model/techCheck/schema';
import type { Handover } from '../model/handover/schema';
import type { KindName } from '../model/registry';
import type { Appointment } from '../model/appointment/schema';
import type { VehicleChunk } from './vehicleIndex';

export interface OutboxEntry {
  /** Auto-increment: the order in which changes were made. */
  seq?: number;
  mutationId: string;
  intakeId: string;
  /** The record kind and id the change is about (v3; the intake's id for intake changes). */
  kind: KindName;
  recordId: string;
  op: Mutation['op'];
  /** The coalescing key while unsent: for intake patches the section, for follow-up record drafts
   *  'draft', so autosave updates an unsent entry in place. Null once sent (never changed again). */
  section: SectionName | 'draft' | null;
  mutation: Mutation;
  /**
   * 'pending' may be coalesced into; 'sending' is in flight and must not change; 'stuck' got
   * 5xx answers when sent alone again and again (src/sync/pushOutbox.ts): the rest of the outbox
   * goes past it, it is tried again from `retryAt` on, and it is shown to staff.
   */
  state: 'pending' | 'sending' | 'stuck';
  createdAt: string;
  attempts: number;
  lastError: string | null;
  /** 5xx answers to this mutation sent alone, in a row. */
  serverErrors?: number;
  /** When a stuck entry is tried again (ISO). */
  retryAt?: string | null;
}

export interface QuarantineEntry {
  mutationId: string;
  intakeId: string;
  mutation: Mutation;
  reason: string;
  at: string;
}

export interface ConflictEntry {
  /** `${intakeId}:${section}` */
  key: string;
  intakeId: string;
  section: SectionName;
  mine: unknown;
  theirs: unknown;
  theirsRev: number;
  at: string;
}

export interface StoredPhoto {
  hash: string;
  intakeId: string;
  type: string;
  bytes: ArrayBuffer;
  width: number;
  height: number;
  size: number;
  createdAt: string;
  /** Up to v3 only: since v4 the uploaded mark lives in photoMeta; never written any more. */
  uploaded?: 0 | 1;
}

/** The bookkeeping of one stored photo (v4), kept apart from its bytes. */
export interface PhotoMeta {
  hash: string;
  intakeId: string;
  size: number;
  createdAt: string;
  /** 1 once the server confirmed it holds these bytes (numbers index in IndexedDB, booleans don't). */
  uploaded: 0 | 1;
}

export interface SectionRevs {
  intakeId: string;
  revs: Partial<Record<SectionName, number>>;
}

export interface IntakeSummary {
  id: string;
  status: Intake['status'];
  plate: string;
  customerName: string;
  mobile: string;
  make: string;
  model: string;
  advisorId: string;
  advisorName: string;
  createdAt: string;
  updatedAt: string;
  signedAt: string | null;
  findings: number;
  /** Lower-case text searched by the list's filter: plate, name, phone. */
  search: string;
}

export interface KvEntry {
  key: string;
  value: unknown;
}

/** The versions tablets in the field may have (exported for the upgrade test); never edited. */
export const STORES_V1 = {
  intakes: 'id, status, updatedAt, createdAt, vehicle.plate, customer.name, customer.mobile, advisor.id',
  sectionRevs: 'intakeId',
  outbox: '++seq, mutationId, intakeId, [intakeId+section+state], state',
  quarantine: 'mutationId, intakeId',
  conflicts: 'key, intakeId',
  photos: 'hash, intakeId, uploaded',
  summaries: 'id, status, createdAt, updatedAt',
  kv: 'key',
} as const;
/** v2 (additive): follow-up records of a signed intake. */
export const STORES_V2 = {
  techChecks: 'id, intakeId, status, updatedAt',
  handovers: 'id, intakeId, status, updatedAt',
} as const;

export class WalkaroundDB extends Dexie {
  intakes!: EntityTable<Intake, 'id'>;
  sectionRevs!: EntityTable<SectionRevs, 'intakeId'>;
  outbox!: EntityTable<OutboxEntry, 'seq'>;
  quarantine!: EntityTable<QuarantineEntry, 'mutationId'>;
  conflicts!: EntityTable<ConflictEntry, 'key'>;
  photos!: EntityTable<StoredPhoto, 'hash'>;
  photoMeta!: EntityTable<PhotoMeta, 'hash'>;
  summaries!: EntityTable<IntakeSummary, 'id'>;
  kv!: EntityTable<KvEntry, 'key'>;
  techChecks!: EntityTable<TechCheck, 'id'>;
  handovers!: EntityTable<Handover, 'id'>;
  vehicleChunks!: EntityTable<VehicleChunk, 'cursor'>;
  appointments!: EntityTable<Appointment, 'id'>;

  constructor(name = 'walkaround') {
    super(name);
    this.version(1).stores(STORES_V1);
    this.version(2).stores(STORES_V2);
    // v3: outbox entries name their record (kind + id); entries of v2 (intake ops and signed
    // follow-up records) get them from their mutation. Nothing else changes, nothing is dropped.
    this.version(3)
      .stores({ outbox: '++seq, mutationId, intakeId, [intakeId+section+state], state, recordId, [recordId+section+state]' })
      .upgrade(async (tx) => {
        await tx
          .table('outbox')
          .toCollection()
          .modify((e: OutboxEntry) => {
            const { kind, recordId } = recordOfMutation(e.mutation);
            e.kind = kind;
            e.recordId = recordId;
          });
      });
    // v4: photo bookkeeping in its own table, one row per stored photo, filled from the photos
    // (read one at a time by a cursor). Every photo row stays as it was.
    this.version(4)
      .stores({ photoMeta: 'hash, intakeId, uploaded' })
      .upgrade(async (tx) => {
        const meta = tx.table('photoMeta');
        await tx
          .table('photos')
          .toCollection()
          .each((p: StoredPhoto) => {
            void meta.put({ hash: p.hash, intakeId: p.intakeId, size: p.size ?? p.bytes?.byteLength ?? 0, createdAt: p.createdAt, uploaded: p.uploaded === 1 ? 1 : 0 } satisfies PhotoMeta);
          });
      });
    // v5: the vehicle index (issue 11), filled by its first pull; intakes also indexed by VIN.
    this.version(5).stores({ vehicleChunks: 'cursor', intakes: `${STORES_V1.intakes}, vehicle.vin` });
    // v6 (additive): appointments, a table of its own; nothing else changes.
    this.version(6).stores({ appointments: 'id, date, status, externalId, intakeId, updatedAt' });
  }
}

/** Which record a mutation is about (used by the v3 upgrade). */
export function recordOfMutation(m: Mutation): { kind: KindName; recordId: string } {
  switch (m.op) {
    case 'techCheck':
    case 'techCheckDraft':
      return { kind: 'techCheck', recordId: m.techCheck.id };
    case 'handover':
    case 'handoverDraft':
      return { kind: 'handover', recordId: m.handover.id };
    case 'appointment':
    case 'appointmentStatus':
      return { kind: 'appointment', recordId: m.appointment.id };
    default:
      return { kind: 'intake', recordId: m.intakeId };
  }
}

/** The name of every table the database declares. */
export type TableName = { [K in keyof WalkaroundDB]: WalkaroundDB[K] extends Table ? K : never }[keyof WalkaroundDB];

/**
 * What each table holds, declared once (a table added above without a line here is a compile
 * error). Lists that used to be kept by hand are derived from it:
 * - 'record': the dealership's data (records, their photos, list rows, merge bases); cleared when
 *   the tablet moves to another dealership, once nothing is unsynced;
 * - 'pending': what still has to reach the server or a person (outbox, quarantine, conflicts);
 * - 'device': device state (kv, see device.ts).
 */
export const TABLE_ROLES = {
  intakes: 'record',
  sectionRevs: 'record',
  photos: 'record',
  photoMeta: 'record',
  summaries: 'record',
  techChecks: 'record',
  handovers: 'record',
  vehicleChunks: 'record',
  appointments: 'record',
  outbox: 'pending',
  quarantine: 'pending',
  conflicts: 'pending',
  kv: 'device',
} as const satisfies Record<TableName, 'record' | 'pending' | 'device'>;

export type TableRole = (typeof TABLE_ROLES)[TableName];

export function tablesWithRole(db: WalkaroundDB, role: TableRole): Table[] {
  return db.tables.filter((t) => TABLE_ROLES[t.name as TableName] === role);
}

let current: WalkaroundDB | null = null;

/** The app's database. Tests may swap it with `useDatabase(new WalkaroundDB('test-x'))`. */
export function getDb(): WalkaroundDB {
  if (!current) current = new WalkaroundDB();
  return current;
}

export function useDatabase(db: WalkaroundDB): void {
  current = db;
}
