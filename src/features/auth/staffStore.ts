/**
 * The dealership's staff list on this tablet (kv 'auth.staff'), with each member's PIN verifier
 * (scrypt parameters, salt, derived key: never the PIN), so a user switch works offline.
 * Written at login, refreshed by the manager tools.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb } from '../../store/db';
import type { StaffWithPin } from '../../shared/auth';

export const STAFF_KEY = 'auth.staff';

export async function loadStaffList(): Promise<StaffWithPin[]> {
  return ((await getDb().kv.get(STAFF_KEY))?.value as StaffWithPin[] | undefined) ?? [];
}

export async function saveStaffList(list: StaffWithPin[]): Promise<void> {
  await getDb().kv.put({ key: STAFF_KEY, value: list });
}

export function useStaffList(): StaffWithPin[] | undefined {
  return useLiveQuery(loadStaffList, []);
}
