/**
 * Crash recovery: an entry left in 'sending' means a run was interrupted mid-push (tab closed,
 * page reloaded, network gone before the answer). It goes back to 'pending' and is sent again;
 * the server answers a replay with the stored result ('duplicate'), so nothing is applied twice.
 *
 * The entry keeps `section: null` (set when it was first sent): a mutation id that may already
 * have reached the server must never get a new value, or the replay would be answered
 * 'duplicate' and the newer typing would silently never arrive. Autosave queues a new entry
 * behind it instead.
 *
 * Call only when no send is in flight: at startup, or while holding the cross-tab sync lock.
 */
import type { WalkaroundDB } from '../store/db';

export async function recoverSending(db: WalkaroundDB): Promise<number> {
  return db.transaction('rw', db.outbox, async () => {
    const stuck = await db.outbox.where('state').equals('sending').toArray();
    for (const e of stuck) await db.outbox.update(e.seq as number, { state: 'pending', section: null });
    return stuck.length;
  });
}
