/**
 * Leaving customer mode needs the advisor: their PIN, checked by the session layer
 * (`verifyStaffPin` in src/features/auth/pin.ts: offline scrypt check against the staff list
 * stored at login, with the tablet's persisted lockout). Customer mode never checks a PIN
 * itself; this module only names the dependency so tests can inject a fake.
 */
import { verifyStaffPin } from '../auth/pin';

export type VerifyStaffPin = (staffId: string, pin: string) => Promise<boolean>;

export { verifyStaffPin };
