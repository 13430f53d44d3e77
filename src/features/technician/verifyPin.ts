/**
 * The technician signs off with name and PIN. The PIN is checked by auth
 * (`verifyStaffPin(staffId, pin)` in src/features/auth/pin.ts), never here and never stored.
 * Looked up through import.meta.glob so this screen builds before auth lands; without it,
 * sign-off is refused (fail closed), never waved through.
 */
export type VerifyStaffPin = (staffId: string, pin: string) => Promise<boolean>;

const authPin = import.meta.glob<{ verifyStaffPin?: VerifyStaffPin }>('../auth/pin.ts');

export class PinUnavailableError extends Error {
  constructor() {
    super('PIN verification is not available on this build.');
    this.name = 'PinUnavailableError';
  }
}

export async function verifyPin(staffId: string, pin: string): Promise<boolean> {
  const load = Object.values(authPin)[0];
  const mod = load ? await load() : undefined;
  if (!mod?.verifyStaffPin) throw new PinUnavailableError();
  return mod.verifyStaffPin(staffId, pin);
}
