/**
 * The database's life on the page, for the app shell: reopen it when the page comes back (iOS
 * drops IndexedDB connections of backgrounded apps: WebKit 197050, Dexie #2008), and wait for
 * every local write before a service-worker update reloads the page.
 */
import { getDb, type WalkaroundDB } from './db';

/**
 * Resolve once every local write that had started has committed. A readwrite transaction over
 * a store is queued behind every earlier one that touches it, so a transaction over ALL tables
 * runs only after each earlier write, of any record kind, has landed (record and outbox entry
 * together). Used before a service-worker update reloads the page.
 */
export async function waitForCommittedWrites(db: WalkaroundDB = getDb()): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    await db.outbox.count();
  });
}

/** Reopen the app's database if the browser closed the connection; never throws. */
export async function reopenIfClosed(db: WalkaroundDB = getDb()): Promise<void> {
  if (!db.isOpen()) await db.open().catch(() => undefined);
}
