/**
 * React hooks over the local store: screens use these, never Dexie directly.
 * Live queries re-render when the record changes, whether by this screen, another tab or sync.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { Intake } from '../model/intake/schema';
import { getDb, type ConflictEntry, type IntakeSummary, type StoredPhoto } from './db';

/** undefined while loading, null when the intake does not exist on this tablet. */
export function useIntake(id: string | undefined): Intake | null | undefined {
  return useLiveQuery(async () => (id ? ((await getDb().intakes.get(id)) ?? null) : null), [id]);
}

export function useSummaries(): IntakeSummary[] | undefined {
  return useLiveQuery(() => getDb().summaries.orderBy('updatedAt').reverse().toArray(), []);
}

export function usePhoto(hash: string | undefined): StoredPhoto | null | undefined {
  return useLiveQuery(async () => (hash ? ((await getDb().photos.get(hash)) ?? null) : null), [hash]);
}

export function useConflicts(intakeId: string | undefined): ConflictEntry[] | undefined {
  return useLiveQuery(() => (intakeId ? getDb().conflicts.where('intakeId').equals(intakeId).toArray() : []), [intakeId]);
}
