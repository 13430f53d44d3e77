/**
 * The device session: which dealership this tablet belongs to and which staff member is acting,
 * plus the staff list a user switch is checked against. Both are device state (device.ts), so
 * the tablet keeps working offline after the first login. Switching user on a shared tablet
 * changes the acting staff only: unsynced work of the previous user stays on the tablet and
 * keeps syncing (every record carries its author).
 *
 * One live query feeds every screen through SessionProvider, so a screen mounted later gets the
 * session at once instead of a loading flash of its own.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { StaffWithPin } from '../shared/auth';
import { readDevice, writeDevice, type DeviceSession } from './device';

export { serverActingStaffId, type DeviceSession, type Role, type StaffRef } from './device';

export async function loadSession(): Promise<DeviceSession | null> {
  return readDevice('session');
}

export async function saveSession(s: DeviceSession | null): Promise<void> {
  await writeDevice('session', s);
}

/** The dealership's staff list on this tablet, with each member's PIN verifier (never the PIN). */
export async function loadStaffList(): Promise<StaffWithPin[]> {
  return readDevice('staffList');
}

/** Written at login, refreshed by the manager tools and after a sync. */
export async function saveStaffList(list: StaffWithPin[]): Promise<void> {
  await writeDevice('staffList', list);
}

const SessionContext = createContext<DeviceSession | null | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const session = useLiveQuery(loadSession, [], undefined);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** undefined while loading, null when this tablet has no session. */
export function useSession(): DeviceSession | null | undefined {
  return useContext(SessionContext);
}
