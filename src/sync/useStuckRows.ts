/**
 * Outbox entries the server has not taken yet and is not expected to take on the next try:
 * stuck ones (5xx again and again, see pushOutbox.ts) and ones the server refused "for now"
 * (retry: intake not there yet, another staff member's change). With the plate of their intake,
 * for Settings. They stay in the outbox and are sent again; nothing here changes them.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { getDb, type OutboxEntry } from '../db/db';
import { WAITING_FOR_PHOTOS } from './pushOutbox';

export interface StuckRow {
  seq: number;
  intakeId: string;
  op: OutboxEntry['op'];
  plate: string;
  reason: string;
  stuck: boolean;
  retryAt: string | null;
}

export function isWaitingOnServer(e: OutboxEntry): boolean {
  return e.state === 'stuck' || (e.state === 'pending' && e.attempts > 0 && !!e.lastError && e.lastError !== WAITING_FOR_PHOTOS);
}

export function useStuckRows(): StuckRow[] | undefined {
  return useLiveQuery(async () => {
    const db = getDb();
    const out: StuckRow[] = [];
    for (const e of await db.outbox.orderBy('seq').toArray()) {
      if (!isWaitingOnServer(e)) continue;
      out.push({
        seq: e.seq as number,
        intakeId: e.intakeId,
        op: e.op,
        plate: (await db.summaries.get(e.intakeId))?.plate ?? '',
        reason: e.lastError ?? '',
        stuck: e.state === 'stuck',
        retryAt: e.retryAt ?? null,
      });
    }
    return out;
  }, []);
}
