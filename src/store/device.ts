/**
 * Device state: the small values this tablet keeps beside its records (IndexedDB table `kv`).
 * Every key is declared HERE, once, with its type and its value when absent; no other module
 * names a kv key. Reads and writes join an open Dexie transaction over `kv` when called inside
 * one (the pull writes its cursor in the same transaction as the page it applied), and take the
 * database explicitly so the sync engine's tests can run two tablets side by side.
 *
 * Offline: all of this is read from IndexedDB only; the session and the staff list written at
 * login are what lets the tablet work (and switch users) with no network.
 */
import type { Role, StaffWithPin } from '../shared/auth';
import type { SyncProblem } from '../sync/syncErrors';
import type { Signature } from '../model/intake/schema';
import { getDb, tablesWithRole, type WalkaroundDB } from './db';

export type { Role };

export interface StaffRef {
  id: string;
  name: string;
  role: Role;
}

export interface DeviceSession {
  token: string;
  deviceId: string;
  dealership: { id: string; name: string; slug: string };
  /** The staff member acting on the tablet now. */
  staff: StaffRef;
  /** The name this tablet was given at login ("前台1号平板"). */
  deviceName?: string;
  /** Who logged the device in: the server always lets this person act on the session. */
  loginStaffId?: string;
  /**
   * Staff who have also proven their PIN to the SERVER on this device session (POST
   * /api/auth/pin). A switch made offline is verified on the tablet only; until the server has
   * seen that PIN, sync acts as the login staff member (records carry their own author anyway).
   */
  serverStaffIds?: string[];
  signedInAt?: string;
}

export interface PinLock {
  failures: number;
  lockedUntil: string | null;
}

/** The outcome of the last sync runs (shown in settings, across reloads and tabs). */
export interface PersistedSyncStatus {
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: SyncProblem | null;
  /** When a pull last reached the server's head (null: never, e.g. just logged in). */
  lastPullAt?: string | null;
}

/** Photo hash → intake id: photos of pulled records that this tablet does not hold yet. */
export type WantedPhotos = Record<string, string>;

/** Every device-state value, by name. */
export interface DeviceState {
  /** The device session (token, dealership, acting staff); null when signed out. */
  session: DeviceSession | null;
  /** The dealership's staff with PIN verifiers (scrypt parameters, salt, key: never a PIN). */
  staffList: StaffWithPin[];
  /** Wrong-PIN counts and lockouts per staff id (a reload does not reset them). */
  pinLocks: Record<string, PinLock>;
  /** Whose records this tablet holds (the dealership id of the last login). */
  owner: string | null;
  /** The pull cursor: everything up to here has been applied. */
  syncCursor: number;
  /** The vehicle index's pull cursor (GET /api/sync/vehicles), apart from the records' one. */
  vehicleCursor: number;
  /** The repeat-repair (重复维修) window in days on this tablet (default REPEAT_WINDOW_DAYS, 90). */
  repeatWindowDays: number;
  syncStatus: PersistedSyncStatus;
  photosWanted: WantedPhotos;
  /**
   * Intake id → the customer's signature drawn in customer mode and not yet joined by the
   * advisor's (a reload between the two must not throw it away). Each is bound to the content
   * hash it covered; see heldSignature.ts.
   */
  heldSignatures: Record<string, Signature>;
}

export type DeviceKey = keyof DeviceState;

/** The stored kv key of each value (kept as they were: existing tablets upgrade in place). */
const KV_KEY: { readonly [K in DeviceKey]: string } = {
  session: 'session',
  staffList: 'auth.staff',
  pinLocks: 'auth.pinLocks',
  owner: 'device.dealershipId',
  syncCursor: 'sync.cursor',
  vehicleCursor: 'sync.vehicleCursor',
  repeatWindowDays: 'history.repeatWindowDays',
  syncStatus: 'sync.status',
  photosWanted: 'sync.photosWanted',
  heldSignatures: 'sign.heldSignatures',
};

const EMPTY_STATUS: PersistedSyncStatus = { lastSuccessAt: null, lastAttemptAt: null, lastError: null };

/** The value read when nothing (or something of the wrong shape) is stored. */
function absent<K extends DeviceKey>(key: K): DeviceState[K] {
  const defaults: DeviceState = { session: null, staffList: [], pinLocks: {}, owner: null, syncCursor: 0, vehicleCursor: 0, repeatWindowDays: 90, syncStatus: EMPTY_STATUS, photosWanted: {}, heldSignatures: {} };
  return defaults[key];
}

/** Shape checks on read: a value of another shape reads as absent rather than crashing a screen. */
function accept<K extends DeviceKey>(key: K, v: unknown): DeviceState[K] {
  const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
  switch (key) {
    case 'syncCursor':
    case 'vehicleCursor':
      return (typeof v === 'number' && Number.isFinite(v) ? v : absent(key)) as DeviceState[K];
    case 'repeatWindowDays':
      return (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 3650 ? v : absent(key)) as DeviceState[K];
    case 'owner':
      return (typeof v === 'string' ? v : absent(key)) as DeviceState[K];
    case 'staffList':
      return (Array.isArray(v) ? v : absent(key)) as DeviceState[K];
    case 'syncStatus':
      return (isObject ? { ...EMPTY_STATUS, ...(v as Partial<PersistedSyncStatus>) } : absent(key)) as DeviceState[K];
    default:
      return (isObject ? v : absent(key)) as DeviceState[K];
  }
}

/** Keys whose values belong to the dealership's data, not to the device login. */
const DEALERSHIP_DATA_KEYS: readonly DeviceKey[] = ['syncCursor', 'vehicleCursor', 'syncStatus', 'photosWanted', 'heldSignatures'];
/** Keys that make up the device login (forgotten at sign-out; records stay). */
const LOGIN_KEYS: readonly DeviceKey[] = ['session', 'staffList', 'pinLocks'];

export async function readDevice<K extends DeviceKey>(key: K, db: WalkaroundDB = getDb()): Promise<DeviceState[K]> {
  const row = await db.kv.get(KV_KEY[key]);
  return row === undefined ? absent(key) : accept(key, row.value);
}

/** Store a value; null (for the nullable keys) deletes it. */
export async function writeDevice<K extends DeviceKey>(key: K, value: DeviceState[K], db: WalkaroundDB = getDb()): Promise<void> {
  if (value === null) await db.kv.delete(KV_KEY[key]);
  else await db.kv.put({ key: KV_KEY[key], value });
}

export async function deleteDevice(keys: readonly DeviceKey[], db: WalkaroundDB = getDb()): Promise<void> {
  await db.kv.bulkDelete(keys.map((k) => KV_KEY[k]));
}

/** Read, change and write one value in one transaction (no lost update between two tabs). */
export async function updateDevice<K extends DeviceKey>(key: K, change: (cur: DeviceState[K]) => DeviceState[K], db: WalkaroundDB = getDb()): Promise<DeviceState[K]> {
  return db.transaction('rw', db.kv, async () => {
    const next = change(await readDevice(key, db));
    await writeDevice(key, next, db);
    return next;
  });
}

/** Several writes in one transaction over device state (e.g. the session and staff at login). */
export async function deviceTransaction<T>(fn: () => Promise<T>, db: WalkaroundDB = getDb()): Promise<T> {
  return db.transaction('rw', db.kv, fn);
}

/** Sign-out: forget the session, the staff list and the PIN locks. Records and outbox stay. */
export async function forgetLogin(db: WalkaroundDB = getDb()): Promise<void> {
  await db.transaction('rw', db.kv, () => deleteDevice(LOGIN_KEYS, db));
}

/**
 * Remove the previous dealership's copies (records, photos, sync position) before this tablet
 * serves another dealership. The tables come from the store's own list (db.ts TABLE_ROLES),
 * so a record table added later is cleared too. The caller has made sure nothing is unsynced:
 * the outbox, quarantine and conflicts are left alone (they are empty then, and would be
 * evidence otherwise).
 */
export async function wipeDealershipData(db: WalkaroundDB = getDb()): Promise<void> {
  const tables = tablesWithRole(db, 'record');
  await db.transaction('rw', [...tables, db.kv], async () => {
    await Promise.all(tables.map((t) => t.clear()));
    await deleteDevice(DEALERSHIP_DATA_KEYS, db);
  });
}

/** The staff id to send as X-Acting-Staff: the acting one if the server knows their PIN proof. */
export function serverActingStaffId(s: DeviceSession): string {
  const known = new Set([s.loginStaffId, ...(s.serverStaffIds ?? [])].filter(Boolean));
  return known.size === 0 || known.has(s.staff.id) ? s.staff.id : (s.loginStaffId ?? s.staff.id);
}
