/**
 * PINs on a shared tablet: switch the acting staff member, and let staff take the tablet back
 * from a customer. Verified ON THE TABLET (scrypt with the server's parameters, from the staff
 * list stored at login), so it works with no network; when online, a user switch is also proven
 * to the server (POST /api/auth/pin), which enforces its own lockout.
 *
 * Lockout: PIN_MAX_ATTEMPTS wrong PINs in a row lock that staff member's PIN on this tablet for
 * PIN_LOCK_SECONDS. The state is device state (pinLocks, in IndexedDB), so a reload does not
 * reset it; a server lockout (423) is copied here too.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { readDevice, updateDevice, type PinLock } from '../../store/device';
import { loadSession, loadStaffList, saveSession, serverActingStaffId, type DeviceSession } from '../../store/session';
import { PIN_LOCK_SECONDS, PIN_MAX_ATTEMPTS, pinResponseSchema, type PinVerifier, type StaffWithPin } from '../../shared/auth';
import { httpRequest, noAnswer } from '../../sync/public';

export type { PinLock };

export type PinCheck =
  | { ok: true; staff: StaffWithPin }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: string }
  | { ok: false; reason: 'unknownStaff' };

export async function pinLockOf(staffId: string, now: Date = new Date()): Promise<PinLock> {
  const l = (await readDevice('pinLocks'))[staffId] ?? { failures: 0, lockedUntil: null };
  if (l.lockedUntil && Date.parse(l.lockedUntil) <= now.getTime()) return { failures: 0, lockedUntil: null };
  return l;
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** scrypt(pin, salt) === hash, compared without an early exit. */
export async function pinMatches(pin: string, v: PinVerifier): Promise<boolean> {
  if (v.algorithm !== 'scrypt') return false;
  const expected = fromBase64(v.hash);
  const key = await scryptAsync(pin.normalize('NFC'), fromBase64(v.salt), { N: v.N, r: v.r, p: v.p, dkLen: v.dkLen, maxmem: 256 * 1024 * 1024 });
  if (key.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < key.length; i++) diff |= key[i]! ^ expected[i]!;
  return diff === 0;
}

/** Record one attempt's outcome in the persisted lock state (one transaction). */
async function recordAttempt(staffId: string, ok: boolean, now: Date, lockUntil?: string): Promise<PinLock> {
  const locks = await updateDevice('pinLocks', (all) => {
    const cur = all[staffId] ?? { failures: 0, lockedUntil: null };
    let next: PinLock;
    if (lockUntil) next = { failures: 0, lockedUntil: lockUntil };
    else if (ok) next = { failures: 0, lockedUntil: null };
    else {
      const failures = (cur.lockedUntil && Date.parse(cur.lockedUntil) <= now.getTime() ? 0 : cur.failures) + 1;
      next =
        failures >= PIN_MAX_ATTEMPTS
          ? { failures: 0, lockedUntil: new Date(now.getTime() + PIN_LOCK_SECONDS * 1000).toISOString() }
          : { failures, lockedUntil: null };
    }
    return { ...all, [staffId]: next };
  });
  return locks[staffId]!;
}

/** Check a PIN on the tablet, counting wrong attempts toward the lockout. */
export async function checkStaffPin(staffId: string, pin: string, now: Date = new Date()): Promise<PinCheck> {
  const staff = (await loadStaffList()).find((s) => s.id === staffId);
  if (!staff) return { ok: false, reason: 'unknownStaff' };
  const lock = await pinLockOf(staffId, now);
  if (lock.lockedUntil) return { ok: false, reason: 'locked', lockedUntil: lock.lockedUntil };
  const ok = /^\d{4,6}$/.test(pin) && (await pinMatches(pin, staff.pin)); // hashing outside any transaction
  const after = await recordAttempt(staffId, ok, now);
  if (ok) return { ok: true, staff };
  if (after.lockedUntil) return { ok: false, reason: 'locked', lockedUntil: after.lockedUntil };
  return { ok: false, reason: 'wrong', attemptsLeft: PIN_MAX_ATTEMPTS - after.failures };
}

/**
 * Is this the staff member's PIN? Offline, with the tablet's lockout. For customer mode: staff
 * take the tablet back from the customer with their PIN.
 */
export async function verifyStaffPin(staffId: string, pin: string): Promise<boolean> {
  return (await checkStaffPin(staffId, pin)).ok;
}

// -- switching the acting staff member ------------------------------------------------------

/** PINs verified offline, waiting to be proven to the server (memory only, never stored). */
const pendingProofs = new Map<string, string>();
let onlineHooked = false;

function hookOnline(): void {
  if (onlineHooked || typeof window === 'undefined') return;
  onlineHooked = true;
  window.addEventListener('online', () => void flushPinProofs());
}

type ProofResult = 'proven' | 'offline' | 'wrong' | { lockedUntil: string };

async function proveToServer(session: DeviceSession, staffId: string, pin: string): Promise<ProofResult> {
  const r = await httpRequest('POST', '/api/auth/pin', {
    json: { staffId, pin },
    auth: { token: session.token, actingStaffId: serverActingStaffId(session) },
    answer: { schema: pinResponseSchema },
  });
  if (r.ok) return 'proven';
  if (noAnswer(r) || r.kind === 'server') return 'offline'; // 5xx, 408, 429: try again later
  if (r.status === 423) {
    const until = typeof r.body.lockedUntil === 'string' ? r.body.lockedUntil : new Date(Date.now() + PIN_LOCK_SECONDS * 1000).toISOString();
    return { lockedUntil: until };
  }
  if (r.status === 401 && r.error === 'wrong_pin') return 'wrong';
  return 'offline'; // session trouble is reported by sync; the tablet-side check stands
}

async function markProven(staffId: string): Promise<void> {
  const s = await loadSession();
  if (!s) return;
  const ids = new Set(s.serverStaffIds ?? []);
  ids.add(staffId);
  await saveSession({ ...s, serverStaffIds: [...ids] });
}

/** Retry server proofs of PINs that were checked offline. */
export async function flushPinProofs(): Promise<void> {
  for (const [staffId, pin] of [...pendingProofs]) {
    const s = await loadSession();
    if (!s) return;
    const r = await proveToServer(s, staffId, pin);
    if (r === 'offline') return;
    pendingProofs.delete(staffId);
    if (r === 'proven') await markProven(staffId);
  }
}

/**
 * Make `staffId` the acting staff member after checking the PIN. The previous user's work stays
 * exactly where it is: records carry their author, and the outbox belongs to the tablet.
 */
export async function switchStaff(staffId: string, pin: string, now: Date = new Date()): Promise<PinCheck & { serverVerified?: boolean }> {
  const local = await checkStaffPin(staffId, pin, now);
  if (!local.ok) return local;
  const session = await loadSession();
  if (!session) return { ok: false, reason: 'unknownStaff' };
  let serverVerified = (session.serverStaffIds ?? []).includes(staffId) || session.loginStaffId === staffId;
  const online = typeof navigator === 'undefined' || navigator.onLine !== false;
  if (online) {
    const r = await proveToServer(session, staffId, pin);
    if (r === 'wrong') {
      // The server knows a newer PIN than this tablet's list: the PIN is not accepted.
      const after = await recordAttempt(staffId, false, now);
      return after.lockedUntil ? { ok: false, reason: 'locked', lockedUntil: after.lockedUntil } : { ok: false, reason: 'wrong', attemptsLeft: PIN_MAX_ATTEMPTS - after.failures };
    }
    if (typeof r === 'object') {
      await recordAttempt(staffId, false, now, r.lockedUntil);
      return { ok: false, reason: 'locked', lockedUntil: r.lockedUntil };
    }
    if (r === 'proven') serverVerified = true;
    else {
      pendingProofs.set(staffId, pin);
      hookOnline();
    }
  } else {
    pendingProofs.set(staffId, pin);
    hookOnline();
  }
  const fresh = (await loadSession()) ?? session;
  const ids = new Set(fresh.serverStaffIds ?? []);
  if (serverVerified) ids.add(staffId);
  await saveSession({ ...fresh, staff: { id: local.staff.id, name: local.staff.name, role: local.staff.role }, serverStaffIds: [...ids] });
  return { ...local, serverVerified };
}
