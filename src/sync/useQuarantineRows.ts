/** Quarantined (server-refused) changes with the plate of their intake, newest first, for Settings. */
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, type QuarantineEntry } from '../store/db';

export interface QuarantineRow extends QuarantineEntry {
  plate: string;
}

export function useQuarantineRows(): QuarantineRow[] | undefined {
  return useLiveQuery(async () => {
    const db = getDb();
    const rows = await db.quarantine.toArray();
    const out: QuarantineRow[] = [];
    for (const q of rows) out.push({ ...q, plate: (await db.summaries.get(q.intakeId))?.plate ?? '' });
    return out.sort((a, b) => b.at.localeCompare(a.at));
  }, []);
}
