/**
 * Auth between tablet and server: the zod schemas both ends validate with.
 *
 * Scheme
 *  - A tablet logs in ONCE with dealership slug + username + password (POST /api/auth/login) and
 *    gets a long-lived, revocable DEVICE SESSION token. The server stores only SHA-256(token).
 *    Every API request sends `Authorization: Bearer <token>`.
 *  - Several staff share one tablet. The acting staff member is sent in `X-Acting-Staff: <staffId>`
 *    (`X-Staff-Id` is accepted as an alias). It must be the staff member who logged the device in,
 *    or one who has switched to it on this device session with a PIN (POST /api/auth/pin);
 *    anything else is 403. Without the header the session's last acting staff member is used.
 *  - The login answer carries the dealership's staff list WITH a PIN verifier per staff member
 *    (scrypt parameters, salt and derived key), so the tablet can check a PIN offline when it
 *    switches user. Conscious trade-off: a PIN is a convenience lock on an ALREADY AUTHENTICATED
 *    device, not a credential; a stolen tablet could brute-force 4-6 digit PINs offline from the
 *    verifier, which would give nothing beyond the device session it already holds (revoke it:
 *    POST /api/devices/:id/revoke). The server enforces its own PIN lockout on /api/auth/pin.
 *  - Wrong PIN: 401; after PIN_MAX_ATTEMPTS wrong PINs in a row the staff member's PIN is locked
 *    for a period on the server (423, `lockedUntil`); the client should lock too.
 */
import { z } from 'zod';

export { ACTING_STAFF_HEADER, ACTING_STAFF_HEADER_ALIAS } from './headers';
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
  dealership: z.string().min(1).max(60),
  username: z.string().min(1).max(60),
  password: z.string().min(1).max(200),
  deviceName: z.string().min(1).max(100),
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

export const pinRequestSchema = z.object({ staffId: z.string().uuid(), pin: z.string().min(1).max(12) });
export type PinRequest = z.infer<typeof pinRequestSchema>;

export const pinResponseSchema = z.object({ staff: staffPublicSchema });
export type PinResponse = z.infer<typeof pinResponseSchema>;

/** 423 answer of /api/auth/pin while the staff member's PIN is locked out. */
export const pinLockedSchema = z.object({ error: z.literal('pin_locked'), message: z.string(), lockedUntil: z.string() });

export const createStaffRequestSchema = z.object({
  username: z
    .string()
    .min(2)
    .max(40)
    .regex(/^[a-z0-9._-]+$/, 'lowercase letters, digits, . _ -'),
  name: z.string().min(1).max(60),
  role: roleSchema,
  password: z.string().min(8).max(200),
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
