/**
 * The vehicle index (issue 11): GET /api/sync/vehicles?since=<vehicleCursor> until `more` is
 * false. Each page is stored in ONE transaction with the new cursor, so an interrupted pull
 * resumes where it stopped; a page stored twice is harmless (rows are replaced by id, and a row is
 * only replaced by one of a higher seq). The index is the server's: the tablet never edits it.
 * Offline nothing happens here; lookups read what the last pull stored (src/store/vehicleHistory.ts).
 */
import type { WalkaroundDB } from '../store/db';
import { putVehiclePage } from '../store/vehicleHistory';
import { readDevice } from '../store/device';
import type { SyncApi } from './syncApi';
import { SyncError } from './syncErrors';

const MAX_PAGES_PER_RUN = 1000;

export async function pullVehicles(ctx: { db: WalkaroundDB; api: SyncApi }): Promise<number> {
  const { db, api } = ctx;
  if (!api.pullVehicles) return 0;
  let cursor = await readDevice('vehicleCursor', db);
  let received = 0;
  for (let i = 0; i < MAX_PAGES_PER_RUN; i++) {
    const page = await api.pullVehicles(cursor);
    if (!page) return received; // a server without the index
    if (page.cursor < cursor) throw new SyncError('protocol', `The server moved the vehicle cursor back (${cursor} → ${page.cursor}).`);
    await putVehiclePage(db, page.vehicles, page.cursor);
    received += page.vehicles.length;
    const advanced = page.cursor > cursor;
    cursor = page.cursor;
    if (!page.more) break;
    if (!advanced) throw new SyncError('protocol', 'The server reported more vehicles without moving the cursor.');
  }
  return received;
}
