/**
 * The technician signs off with name and PIN. The PIN is checked by auth
 * (`verifyStaffPin(staffId, pin)` in src/features/auth/pin.ts: offline scrypt check against the
 * staff list stored at login, with the tablet's persisted lockout), never here and never stored.
 * This module only names the dependency so the screen's tests can inject a fake.
 *
 * (It used to look auth up through import.meta.glob so this screen could build before auth
 * existed, failing closed without it; auth is part of every build now, so it is imported.)
 */
import { verifyStaffPin } from '../auth/pin';

export type VerifyStaffPin = (staffId: string, pin: string) => Promise<boolean>;

export const verifyPin: VerifyStaffPin = verifyStaffPin;
