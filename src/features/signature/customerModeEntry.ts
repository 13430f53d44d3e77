/**
 * Entering and leaving customer mode, remembered per tab (sessionStorage). Once the advisor has
 * taken the tablet back, the customer-mode entries left in the browser history are stale: going
 * "back" into one must not lock the advisor out again, so it forwards to the review step. Only
 * the advisor's own "hand the tablet to the customer" enters customer mode afresh.
 */
import { navigate } from '../../ui/router';

const releasedKey = (id: string) => `walkaround.customerMode.released.${id}`;

export function enterCustomerMode(id: string): void {
  try {
    sessionStorage.removeItem(releasedKey(id));
  } catch {
    /* storage unavailable: the mode still opens */
  }
  navigate({ name: 'customer', id });
}

export function markCustomerModeReleased(id: string): void {
  try {
    sessionStorage.setItem(releasedKey(id), '1');
  } catch {
    /* storage unavailable: a stale history entry will ask for the PIN again (fail closed) */
  }
}

export function wasCustomerModeReleased(id: string): boolean {
  try {
    return sessionStorage.getItem(releasedKey(id)) === '1';
  } catch {
    return false;
  }
}
