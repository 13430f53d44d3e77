/**
 * Leaving customer mode needs the advisor: their PIN, checked by the session layer
 * (`verifyStaffPin(staffId, pin)` in src/features/auth/pin.ts, owned by auth). This module only
 * forwards to it; it never checks a PIN itself. Looked up through import.meta.glob so customer
 * mode builds before the auth module lands; without it, leaving is refused (fail closed).
 */
export type VerifyStaffPin = (staffId: string, pin: string) => Promise<boolean>;

const authPin = import.meta.glob<{ verifyStaffPin?: VerifyStaffPin }>('../auth/pin.ts');

export class PinUnavailableError extends Error {
  constructor() {
    super('PIN verification is not available on this build.');
    this.name = 'PinUnavailableError';
  }
}

export const verifyStaffPin: VerifyStaffPin = async (staffId, pin) => {
  const load = Object.values(authPin)[0];
  const mod = load ? await load() : undefined;
  if (!mod?.verifyStaffPin) throw new PinUnavailableError();
  return mod.verifyStaffPin(staffId, pin);
};
