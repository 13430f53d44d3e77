/**
 * Auth between tablet and server: the zod schemas both ends validate with.
 *
 * Scheme (threat model and limits: src/server/README.md)
 *  - A tablet logs in ONCE with dealership slug + username + password (POST /api/auth/login) and
 *    gets a long-lived, revocable DEVICE SESSION token. The server stores only SHA-256(token).
 *    Every API request sends `Authorization: Bearer <token>`. Wrong passwords are counted per
 *    account (atomically, before the password is checked): after the limit the account is
 *    locked for a while (423 login_locked, `lockedUntil`).
 *  - Several staff share one tablet. The acting staff member is sent in `X-Acting-Staff: <staffId>`.
 *    It must be the staff member who logged the device in, or one who has switched to it on this
 *    device session with a PIN (POST /api/auth/pin); anything else is 403. Without the header the
 *    session's last acting staff member is used.
 *  - The staff list (login answer, GET /api/auth/staff) carries a PIN verifier per staff member
 *    (scrypt parameters, salt and derived key) so the tablet can check a PIN OFFLINE when it
 *    switches user. Anything a tablet can verify offline can be brute-forced from a copied
 *    IndexedDB, so a PIN is bounded to what the device session already grants: it switches the
 *    acting staff member on THIS session (on the server only through POST /api/auth/pin, with
 *    its atomic lockout), and never unlocks a manager action. Manager actions (staff, devices,
 *    every admin route) need the manager's PASSWORD re-entered within STEP_UP_SECONDS on this
 *    device session (POST /api/auth/step-up; 403 step_up_required otherwise); a PIN switch ends
 *    a step-up.
 *  - Wrong PIN: 401 (`attemptsLeft`); the PIN_MAX_ATTEMPTS-th wrong PIN locks the staff member's
 *    PIN on the server for a period (423 pin_locked, `lockedUntil` at the top level); the client
 *    locks too.
 */
import { z } from 'zod';
import { LIMITS, storableText, uuidText } from '../model/text';

export { ACTING_STAFF_HEADER } from './headers';
export const PIN_MAX_ATTEMPTS = 5;
export const PIN_LOCK_SECONDS = 300;

export const ROLES = ['advisor', 'technician', 'manager'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const PIN_PATTERN = /^\d{4,6}$/;
export const pinSchema = z.string().regex(PIN_PATTERN, 'PIN must be 4-6 digits');

/** scrypt(pin as UTF-8, salt bytes, {N, r, p, dkLen}) === hash: what the tablet checks offline. */
export const pinVerifierSchema = z.object({
  algorithm: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  dkLen: z.number().int().positive(),
  /** base64 */
  salt: z.string(),
  /** base64 */
  hash: z.string(),
});
export type PinVerifier = z.infer<typeof pinVerifierSchema>;

export const staffPublicSchema = z.object({
  id: z.string().uuid(),
  username: z.string(),
  name: z.string(),
  role: roleSchema,
});
export type StaffPublic = z.infer<typeof staffPublicSchema>;

export const staffWithPinSchema = staffPublicSchema.extend({ pin: pinVerifierSchema });
export type StaffWithPin = z.infer<typeof staffWithPinSchema>;

export const dealershipPublicSchema = z.object({ id: z.string().uuid(), slug: z.string(), name: z.string() });
export type DealershipPublic = z.infer<typeof dealershipPublicSchema>;

export const loginRequestSchema = z.object({
  dealership: storableText(60).min(1),
  username: storableText(60).min(1),
  password: storableText(200).min(1),
  deviceName: storableText(100).min(1),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const deviceSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** The staff member who logged the device in. */
  staffId: z.string().uuid(),
});
export type Device = z.infer<typeof deviceSchema>;

export const loginResponseSchema = z.object({
  token: z.string(),
  device: deviceSchema,
  staff: staffPublicSchema,
  dealership: dealershipPublicSchema,
  staffList: z.array(staffWithPinSchema),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const pinRequestSchema = z.object({ staffId: uuidText, pin: z.string().min(1).max(12) });
export type PinRequest = z.infer<typeof pinRequestSchema>;

export const pinResponseSchema = z.object({ staff: staffPublicSchema });
export type PinResponse = z.infer<typeof pinResponseSchema>;

/** 423 answer of /api/auth/pin (pin_locked), of a login or a step-up (login_locked) while locked out. */
export const lockedSchema = z.object({ error: z.enum(['pin_locked', 'login_locked']), message: z.string(), lockedUntil: z.string() });

/** Manager actions need the acting staff member's password re-entered within STEP_UP_SECONDS. */
export const STEP_UP_SECONDS = 300;
/** A 403 with this error code: re-enter the password (POST /api/auth/step-up), then retry. */
export const STEP_UP_REQUIRED = 'step_up_required';
export const stepUpRequestSchema = z.object({ password: storableText(200).min(1) });
export const stepUpResponseSchema = z.object({ staff: staffPublicSchema, stepUpUntil: z.string() });
export type StepUpResponse = z.infer<typeof stepUpResponseSchema>;

export const createStaffRequestSchema = z.object({
  username: z
    .string()
    .min(2)
    .max(40)
    .regex(/^[a-z0-9._-]+$/, 'lowercase letters, digits, . _ -'),
  name: storableText(LIMITS.name).min(1),
  role: roleSchema,
  password: storableText(200).min(8),
  pin: pinSchema,
});
export type CreateStaffRequest = z.infer<typeof createStaffRequestSchema>;

export const staffListResponseSchema = z.object({ staff: z.array(staffWithPinSchema) });
export const deviceListResponseSchema = z.object({ devices: z.array(deviceSchema) });

/** GET /api/auth/me: who this device session is and who is acting. */
export const meResponseSchema = z.object({
  device: deviceSchema,
  staff: staffPublicSchema,
  dealership: dealershipPublicSchema,
});
