/**
 * The device session: log this tablet in once (dealership + username + password), sign it out,
 * and the manager's tools. What is stored (device state, src/store/device.ts): the session
 * (token, dealership, acting staff), the staff list with PIN verifiers, and the owner (whose
 * records this tablet holds).
 *
 * Nothing here ever deletes an unsynced record. Signing out removes the session and the staff
 * list only; records stay and sync after the next login of the same dealership. A login to a
 * DIFFERENT dealership is refused while this tablet holds unsynced work of the previous one;
 * when everything is on the server, the previous dealership's copies are cleared first (they
 * must not be pushed under another dealership's account).
 */
import { deviceTransaction, forgetLogin, readDevice, wipeDealershipData, writeDevice } from '../../store/device';
import { loadSession, saveSession, saveStaffList, type DeviceSession } from '../../store/session';
import { countIntakes, loadSyncCounts } from '../../store/queries';
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
import { z } from 'zod';
import { httpRequest, noAnswer, type HttpFailure } from '../../sync/public';

export type LoginOutcome =
  | { ok: true; session: DeviceSession; clearedPrevious: boolean }
  | { ok: false; reason: 'invalid' | 'offline' | 'rateLimited' | 'server' | 'badInput' }
  | { ok: false; reason: 'otherDealershipUnsynced'; unsynced: number };

/** Records of this tablet not yet safely on the server (outbox, photos, quarantine, conflicts). */
export async function unsyncedTotal(): Promise<number> {
  const c = await loadSyncCounts();
  return c.pendingRecords + c.quarantined + c.conflicts;
}

export async function loginDevice(input: LoginRequest): Promise<LoginOutcome> {
  const body = loginRequestSchema.safeParse(input);
  if (!body.success) return { ok: false, reason: 'badInput' };
  const r = await httpRequest('POST', '/api/auth/login', { json: body.data, answer: { schema: loginResponseSchema } });
  if (!r.ok) {
    if (noAnswer(r)) return { ok: false, reason: 'offline' };
    if (r.status === 401 || r.status === 400) return { ok: false, reason: 'invalid' };
    if (r.status === 429) return { ok: false, reason: 'rateLimited' };
    return { ok: false, reason: 'server' };
  }
  const res = r.data;
  const owner = await readDevice('owner');
  const hasRecords = (await countIntakes()) > 0;
  let clearedPrevious = false;
  if (owner && owner !== res.dealership.id && hasRecords) {
    const unsynced = await unsyncedTotal();
    if (unsynced > 0) return { ok: false, reason: 'otherDealershipUnsynced', unsynced };
    await wipeDealershipData();
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
  await deviceTransaction(async () => {
    await saveStaffList(res.staffList);
    await writeDevice('owner', res.dealership.id);
    await saveSession(session);
  });
  return { ok: true, session, clearedPrevious };
}

/**
 * Sign this tablet out (local revoke): forget the token, the staff list and PIN lock state.
 * Every record, photo and unsent change stays; they sync after the next login.
 */
export async function signOutDevice(): Promise<void> {
  await forgetLogin();
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
  const r = await httpRequest('GET', '/api/auth/staff', { auth: { token: s.token, actingStaffId: s.staff.id }, answer: { schema: staffListResponseSchema } });
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

function fail<T>(r: HttpFailure): ManagerOutcome<T> {
  if (noAnswer(r)) return { ok: false, reason: 'offline', message: r.message };
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
  const r = await httpRequest('POST', '/api/auth/step-up', { auth: a, json: { password }, answer: { schema: stepUpResponseSchema } });
  return r.ok ? { ok: true, data: { until: r.data.stepUpUntil } } : fail(r);
}

/** Fetch the staff list with PIN verifiers again and store it (so new staff can switch offline). */
export async function refreshStaffList(): Promise<ManagerOutcome<number>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const r = await httpRequest('GET', '/api/auth/staff', { auth: a, answer: { schema: staffListResponseSchema } });
  if (!r.ok) return fail(r);
  await saveStaffList(r.data.staff);
  return { ok: true, data: r.data.staff.length };
}

export async function addStaffMember(req: CreateStaffRequest): Promise<ManagerOutcome<{ id: string }>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const body = createStaffRequestSchema.safeParse(req);
  if (!body.success) return { ok: false, reason: 'invalid', message: body.error.issues[0]?.message ?? '' };
  const r = await httpRequest('POST', '/api/staff', { auth: a, json: body.data, answer: { schema: z.object({ staff: staffPublicSchema }) } });
  if (!r.ok) return fail(r);
  await refreshStaffList();
  return { ok: true, data: { id: r.data.staff.id } };
}

export async function listDevices(): Promise<ManagerOutcome<Device[]>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const r = await httpRequest('GET', '/api/devices', { auth: a, answer: { schema: deviceListResponseSchema } });
  return r.ok ? { ok: true, data: r.data.devices } : fail(r);
}

export async function revokeDevice(id: string): Promise<ManagerOutcome<true>> {
  const a = await managerAuth();
  if (!a) return { ok: false, reason: 'notManager', message: '' };
  const r = await httpRequest('POST', `/api/devices/${encodeURIComponent(id)}/revoke`, { auth: a, json: {}, answer: { schema: z.unknown() } });
  return r.ok ? { ok: true, data: true } : fail(r);
}
