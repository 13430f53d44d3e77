/**
 * One sync run, in the order that gets the most important bytes to the server first:
 *
 *  1. push the outbox, except signatures of intakes whose photos are not up yet;
 *  2. upload photos (ask which of a batch the server lacks, PUT those, several in flight);
 *  3. push what is left, signatures included (a signature waits a few runs for failing photos,
 *     then goes anyway: the server shows the record as incomplete instead of not having it);
 *  4. pull other tablets' changes and merge them, then the vehicle index (issue 11);
 *  5. download photos of pulled records.
 *
 * Every step's state is in IndexedDB; the run may stop at any await (tab closed, network gone)
 * and the next run continues. A network failure aborts the run with a SyncError.
 */
import type { WalkaroundDB } from '../store/db';
import type { SyncApi } from './syncApi';
import { pushOutbox, type PushSummary } from './pushOutbox';
import { uploadPhotos, type UploadProgress } from './uploadPhotos';
import { pullChanges } from './pullChanges';
import { pullVehicles } from './pullVehicles';
import { downloadPhotos } from './downloadPhotos';
import { unsentPhotos } from '../store/photoQueue';
import type { SyncError } from './syncErrors';

export type SyncPhase = 'push' | 'photosUp' | 'pull' | 'photosDown';

export interface SyncContext {
  db: WalkaroundDB;
  api: SyncApi;
  now?: () => Date;
  /** `photos` only in the photosUp phase: bytes done and total, for MB left and the rate. */
  onProgress?: (phase: SyncPhase, done: number, total: number, photos?: UploadProgress) => void;
}

export interface SyncRunResult {
  push: PushSummary;
  photosUploaded: number;
  pulled: number;
  photosDownloaded: number;
  /** Something went wrong without stopping the run (a refused or damaged photo). */
  problem: SyncError | null;
}

export async function syncOnce(ctx: SyncContext): Promise<SyncRunResult> {
  const { db, api } = ctx;
  const progress = (phase: SyncPhase) => (done: number, total: number) => ctx.onProgress?.(phase, done, total);
  const todo = await unsentPhotos(db);
  const withPhotos = new Set(todo.map((p) => p.intakeId));
  const first = await pushOutbox({ db, api, now: ctx.now, onProgress: progress('push') }, { holdSignsFor: withPhotos });
  const up = await uploadPhotos({ db, api, todo, onProgress: (p) => ctx.onProgress?.('photosUp', p.done, p.total, p) });
  const second = await pushOutbox({ db, api, now: ctx.now, onProgress: progress('push') }, { holdSignsFor: up.failedIntakes, countWaits: true });
  const pulled = await pullChanges({ db, api, now: ctx.now });
  const vehicles = await pullVehicles({ db, api });
  const down = await downloadPhotos({ db, api, onProgress: progress('photosDown') });
  return {
    push: {
      applied: first.applied + second.applied,
      conflicts: first.conflicts + second.conflicts,
      rejected: first.rejected + second.rejected,
      held: second.held,
    },
    photosUploaded: up.uploaded,
    pulled: pulled.received + vehicles,
    photosDownloaded: down.downloaded,
    problem: up.problem ?? down.problem,
  };
}
