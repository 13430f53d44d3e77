/**
 * The device session: which dealership this tablet belongs to and which staff member is acting.
 * Stored in the local database (kv 'session'), so the tablet keeps working offline after the
 * first login. Switching user on a shared tablet changes the acting staff only: unsynced work of
 * the previous user stays on the tablet and keeps syncing (every record carries its author).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb } from './db';

export type Role = 'advisor' | 'technician' | 'manager';

export interface StaffRef {
  id: string;
  name: string;
  role: Role;
}

export interface DeviceSession {
  token: string;
  deviceId: string;
  dealership: { id: string; name: string; slug: string };
  /** The staff member acting on the tablet now. */
  staff: StaffRef;
  /** The name this tablet was given at login ("前台1号平板"). */
  deviceName?: string;
  /** Who logged the device in: the server always lets this person act on the session. */
  loginStaffId?: string;
  /**
   * Staff who have also proven their PIN to the SERVER on this device session (POST
   * /api/auth/pin). A switch made offline is verified on the tablet only; until the server has
   * seen that PIN, sync acts as the login staff member (records carry their own author anyway).
   */
  serverStaffIds?: string[];
  signedInAt?: string;
}

export const SESSION_KEY = 'session';

export async function loadSession(): Promise<DeviceSession | null> {
  const row = await getDb().kv.get(SESSION_KEY);
  return (row?.value as DeviceSession | undefined) ?? null;
}

/** The staff id to send as X-Acting-Staff: the acting one if the server knows their PIN proof. */
export function serverActingStaffId(s: DeviceSession): string {
  const known = new Set([s.loginStaffId, ...(s.serverStaffIds ?? [])].filter(Boolean));
  return known.size === 0 || known.has(s.staff.id) ? s.staff.id : (s.loginStaffId ?? s.staff.id);
}

export async function saveSession(s: DeviceSession | null): Promise<void> {
  if (s) await getDb().kv.put({ key: SESSION_KEY, value: s });
  else await getDb().kv.delete(SESSION_KEY);
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
