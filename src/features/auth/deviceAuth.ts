/**
 * The device session: log this tablet in once (dealership + username + password), sign it out,
 * and the manager's tools. What is stored (kv): 'session' (token, dealership, acting staff),
 * 'auth.staff' (staff list with PIN verifiers), 'device.dealershipId' (whose records this
 * tablet holds).
 *
 * Nothing here ever deletes an unsynced record. Signing out removes the session and the staff
 * list only; records stay and sync after the next login of the same dealership. A login to a
 * DIFFERENT dealership is refused while this tablet holds unsynced work of the previous one;
 * when everything is on the server, the previous dealership's copies are cleared first (they
 * must not be pushed under another dealership's account).
 */
import { getDb } from '../../db/db';
import { loadSession, saveSession, SESSION_KEY, type DeviceSession } from '../../app/session';
import {
  createStaffRequestSchema,
  deviceListResponseSchema,
  loginRequestSchema,
  loginResponseSchema,
  staffListResponseSchema,
  staffPublicSchema,
  STEP_UP_REQUIRED,
  stepUpResponseSchema,
  type CreateStaffRequest,
  type Device,
  type LoginRequest,
} from '../../shared/auth';
import { readSyncCounts } from '../../sync/syncCounts';
import { z } from 'zod';
import { callApi } from './authHttp';
import { STAFF_KEY, saveStaffList } from './staffStore';
import { PIN_LOCKS_KEY } from './pin';

export const OWNER_KEY = 'device.dealershipId';
const SYNC_KEYS = ['sync.cursor', 'sync.photosWanted', 'sync.status'];

export type LoginOutcome =
  | { ok: true; session: DeviceSession; clearedPrevious: boolean }
  | { ok: false; reason: 'invalid' | 'offline' | 'rateLimited' | 'server' | 'badInput' }
  | { ok: false; reason: 'otherDealershipUnsynced'; unsynced: number };

/** Records of this tablet not yet safely on the server (outbox, photos, quarantine, conflicts). */
export async function unsyncedTotal(): Promise<number> {
  const c = await readSyncCounts(getDb());
  return c.pendingRecords + c.quarantined + c.conflicts;
}

async function clearPreviousDealership(): Promise<void> {
  const db = getDb();
  await db.transaction('rw', [db.intakes, db.summaries, db.sectionRevs, db.photos, db.techChecks, db.handovers, db.kv], async () => {
    await Promise.all([db.intakes.clear(), db.summaries.clear(), db.sectionRevs.clear(), db.photos.clear(), db.techChecks.clear(), db.handovers.clear()]);
    for (const k of SYNC_KEYS) await db.kv.delete(k);
  });
}

export async function loginDevice(input: LoginRequest): Promise<LoginOutcome> {
  const body = loginRequestSchema.safeParse(input);
  if (!body.success) return { ok: false, reason: 'badInput' };
  const r = await callApi('POST', '/api/auth/login', { body: body.data, schema: loginResponseSchema });
  if (!r.ok) {
    if (r.kind === 'offline') return { ok: false, reason: 'offline' };
    if (r.status === 401 || r.status === 400) return { ok: false, reason: 'invalid' };
    if (r.status === 429) return { ok: false, reason: 'rateLimited' };
    return { ok: false, reason: 'server' };
  }
  const res = r.data;
  const db = getDb();
  const owner = (await db.kv.get(OWNER_KEY))?.value as string | undefined;
  const hasRecords = (await db.intakes.count()) > 0;
  let clearedPrevious = false;
  if (owner && owner !== res.dealership.id && hasRecords) {
    const unsynced = await unsyncedTotal();
    if (unsynced > 0) return { ok: false, reason: 'otherDealershipUnsynced', unsynced };
    await clearPreviousDealership();
    clearedPrevious = true;
  }
  const session: DeviceSession = {
    token: res.token,
    deviceId: res.device.id,
    deviceName: res.device.name,
    dealership: { id: res.dealership.id, name: res.dealership.name, slug: res.dealership.slug },
    staff: { id: res.staff.id, name: res.staff.name, role: res.staff.role },
    loginStaffId: res.staff.id,
    serverStaffIds: [res.staff.id],
    signedInAt: new Date().toISOString(),
  };
  await db.transaction('rw', db.kv, async () => {
    await db.kv.put({ key: STAFF_KEY, value: res.staffList });
    await db.kv.put({ key: OWNER_KEY, value: res.dealership.id });
    await saveSession(session);
  });
  return { ok: true, session, clearedPrevious };
}

/**
 * Sign this tablet out (local revoke): forget the token, the staff list and PIN lock state.
 * Every record, photo and unsent change stays; they sync after the next login.
 */
export async function signOutDevice(): Promise<void> {
  const db = getDb();
  await db.transaction('rw', db.kv, async () => {
    await db.kv.delete(SESSION_KEY);
    await db.kv.delete(STAFF_KEY);
    await db.kv.delete(PIN_LOCKS_KEY);
  });
}

/** Rename this tablet locally (shown in settings; the server keeps the name given at login). */
export async function renameDevice(name: string): Promise<void> {
  const s = await loadSession();
  if (s) await saveSession({ ...s, deviceName: name.trim().slice(0, 100) });
}

/**
 * Fetch the dealership's staff list (with PIN verifiers) with the device session, whatever the
 * acting staff member's role: new colleagues can then switch in on this tablet, offline too.
 * Offline or refused: nothing changes, the stored list stays.
 */
export async function refreshDeviceStaffList(): Promise<boolean> {
  const s = await loadSession();
  if (!s) return false;
  const r = await callApi('GET', '/api/auth/staff', { token: s.token, actingStaffId: s.staff.id, schema: staffListResponseSchema });
  if (!r.ok) return false;
  await saveStaffList(r.data.staff);
  return true;
}

// -- manager tools (online only; the acting staff member must be a manager who re-entered
// their password on this tablet in the last few minutes: a PIN is never enough) --------------

async function managerAuth(): Promise<{ token: string; actingStaffId: string } | null> {
  const s = await loadSession();
  if (!s || s.staff.role !== 'manager') return null;
  return { token: s.token, actingStaffId: s.staff.id };
}

export type ManagerOutcome<T> =
  | { ok: true; data: T }
  | { ok: false; reason: 'notManager' | 'offline' | 'forbidden' | 'stepUpRequired' | 'wrongPassword' | 'locked' | 'exists' | 'invalid' | 'server'; message: string };

function fail<T>(r: { kind: string; status: number; error: string; message: string }): ManagerOutcome<T> {
  if (r.kind === 'offline') return { ok: false, reason: 'offline', message: r.message };
  if (r.status === 403 && r.error === STEP_UP_REQUIRED) return { ok: false, reason: 'stepUpRequired', message: r.message };
  if (r.status === 401 && r.error === 'wrong_password') return { ok: false, reason: 'wrongPassword', message: r.message };
  if (r.status === 423) return { ok: false, reason: 'locked', message: r.message };
  if (r.status === 401 || r.status === 403) return { ok: false, reason: 'forbidden', message: r.message };
  if (r.status === 409) return { ok: false, reason: 'exists', message: r.message };
  if (r.status === 400) return { ok: false, reason: 'invalid', message: r.message };
  return { ok: false, reason: 'server', message: r.message };
}

/**
 * Step-up: the acting manager re-enters their password; for the next few minutes (the returned
 * time) this tablet may run manager actions. Counted on the server like a login.
 */
export async function stepUpManager(password: string): Promise<ManagerOutcome<{ until: string }>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const r = await callApi('POST', '/api/auth/step-up', { ...a, body: { password }, schema: stepUpResponseSchema });
  return r.ok ? { ok: true, data: { until: r.data.stepUpUntil } } : fail(r);
}

/** Fetch the staff list with PIN verifiers again and store it (so new staff can switch offline). */
export async function refreshStaffList(): Promise<ManagerOutcome<number>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const r = await callApi('GET', '/api/auth/staff', { ...a, schema: staffListResponseSchema });
  if (!r.ok) return fail(r);
  await saveStaffList(r.data.staff);
  return { ok: true, data: r.data.staff.length };
}

export async function addStaffMember(req: CreateStaffRequest): Promise<ManagerOutcome<{ id: string }>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const body = createStaffRequestSchema.safeParse(req);
  if (!body.success) return { ok: false, reason: 'invalid', message: body.error.issues[0]?.message ?? '' };
  const r = await callApi('POST', '/api/staff', { ...a, body: body.data, schema: z.object({ staff: staffPublicSchema }) });
  if (!r.ok) return fail(r);
  await refreshStaffList();
  return { ok: true, data: { id: r.data.staff.id } };
}

export async function listDevices(): Promise<ManagerOutcome<Device[]>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const r = await callApi('GET', '/api/devices', { ...a, schema: deviceListResponseSchema });
  return r.ok ? { ok: true, data: r.data.devices } : fail(r);
}

export async function revokeDevice(id: string): Promise<ManagerOutcome<true>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const r = await callApi('POST', `/api/devices/${encodeURIComponent(id)}/revoke`, { ...a, body: {}, schema: z.unknown() });
  return r.ok ? { ok: true, data: true } : fail(r);
}
