/**
 * One sync run: independent steps, so a failure in one never skips the others, and the pull is
 * never starved behind photo uploads.
 *
 *   send lane:    1. push the outbox, except signatures of intakes whose photos are not up yet;
 *                 2. upload photos (ask which of a batch the server lacks, send those, several in
 *                    flight), beside step 1;
 *                 3. push what is left, signatures included (a signature waits a few runs for
 *                    failing photos, then goes anyway: the server shows the record as incomplete
 *                    instead of not having it). Runs even when 2 failed (not when 1 did: it
 *                    would fail the same way).
 *   receive lane: 4. pull other tablets' changes and merge them: starts once step 1 has settled
 *                    (succeeded or not) and runs WHILE photos go up;
 *                    then the vehicle index (issue 11);
 *                 5. download photos of pulled records.
 *
 * A push and a pull never run at the same moment (RECORDS_LOCK, also across tabs): a pull page
 * fetched before a push was acknowledged and applied after it would briefly put the older server
 * value back on screen.
 *
 * Nothing throws out of a run: each step's failure is in `errors` (the engine backs off and
 * retries; the next run continues where this one stopped, all state being in IndexedDB). The
 * engine may hand in its own pull (`pull`), shared with pulls the event stream asks for, so a
 * hint arriving during a run does not start a second pull next to this one.
 */
import type { WalkaroundDB } from '../store/db';
import type { SyncApi } from './syncApi';
import { pushOutbox, type PushSummary } from './pushOutbox';
import { uploadPhotos, type UploadProgress } from './uploadPhotos';
import { pullChanges, type PullSummary } from './pullChanges';
import { pullVehicles } from './pullVehicles';
import { downloadPhotos } from './downloadPhotos';
import { unsentPhotos } from '../store/photoQueue';
import { toSyncError, type SyncError } from './syncErrors';
import { exclusive } from './exclusive';

export type SyncPhase = 'push' | 'photosUp' | 'pull' | 'photosDown';

/** Held around every push and every pull (see the header). */
export const RECORDS_LOCK = 'walkaround-records';

export interface SyncContext {
  db: WalkaroundDB;
  api: SyncApi;
  now?: () => Date;
  /** `photos` only in the photosUp phase: bytes done and total, for MB left and the rate. */
  onProgress?: (phase: SyncPhase, done: number, total: number, photos?: UploadProgress) => void;
  /** The receive lane (steps 4 and 5); default: pullStep and downloadStep of this run. */
  receive?: () => Promise<ReceiveResult>;
}

export interface ReceiveResult {
  pulled: number;
  photosDownloaded: number;
  errors: StepError[];
  problem: SyncError | null;
}

export interface StepError {
  phase: SyncPhase;
  error: SyncError;
}

export interface SyncRunResult {
  push: PushSummary;
  photosUploaded: number;
  pulled: number;
  photosDownloaded: number;
  /** Steps that failed (network, server, auth): the run went on with the others. */
  errors: StepError[];
  /** Something went wrong without failing a step (a refused or damaged photo). */
  problem: SyncError | null;
}

const EMPTY_PUSH: PushSummary = { applied: 0, conflicts: 0, rejected: 0, held: 0 };

export async function step<T>(phase: SyncPhase, errors: StepError[], fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    errors.push({ phase, error: toSyncError(e) });
    return null;
  }
}

/**
 * The records cursor at which this tablet last pulled the vehicle index to its end. Vehicles are
 * derived from intakes only (migrations/0005), so while the records cursor has not moved no
 * vehicle has changed either, and the index request is skipped (it went with every pull, hinted
 * ones included). In memory: after a reload the first pull asks again.
 */
const vehiclesPulledAt = new WeakMap<WalkaroundDB, number>();

/** Step 4: pull to the head (under the records lock). Throws a SyncError on failure. */
export async function pullStep(ctx: Pick<SyncContext, 'db' | 'api' | 'now'>): Promise<PullSummary> {
  const r = (await exclusive(RECORDS_LOCK, () => pullChanges({ db: ctx.db, api: ctx.api, now: ctx.now }))) as PullSummary; // 'wait' mode never answers busy
  const cursor = r.cursor;
  if (vehiclesPulledAt.get(ctx.db) === cursor) return r;
  // The vehicle index is the server's alone (the tablet never writes it): no records lock.
  const vehicles = await pullVehicles({ db: ctx.db, api: ctx.api });
  vehiclesPulledAt.set(ctx.db, cursor);
  return { ...r, received: r.received + vehicles };
}

/** Step 5: download the photos pulled records refer to. */
export function downloadStep(ctx: Pick<SyncContext, 'db' | 'api' | 'onProgress'>): ReturnType<typeof downloadPhotos> {
  return downloadPhotos({ db: ctx.db, api: ctx.api, onProgress: (done, total) => ctx.onProgress?.('photosDown', done, total) });
}

/** Steps 4 and 5: pull, then download the photos pulled records refer to (5 runs even if 4 failed). */
export async function receiveOnce(ctx: SyncContext): Promise<ReceiveResult> {
  const errors: StepError[] = [];
  const pulled = await step('pull', errors, () => pullStep(ctx));
  const down = await step('photosDown', errors, () => downloadStep(ctx));
  return { pulled: pulled?.received ?? 0, photosDownloaded: down?.downloaded ?? 0, errors, problem: down?.problem ?? null };
}

export async function syncOnce(ctx: SyncContext): Promise<SyncRunResult> {
  const { db, api } = ctx;
  const errors: StepError[] = [];
  const progress = (phase: SyncPhase) => (done: number, total: number) => ctx.onProgress?.(phase, done, total);
  const push = (opts: Parameters<typeof pushOutbox>[1]) =>
    step('push', errors, async () => (await exclusive(RECORDS_LOCK, () => pushOutbox({ db, api, now: ctx.now, onProgress: progress('push') }, opts))) as PushSummary);

  const todo = await unsentPhotos(db);
  const withPhotos = new Set(todo.map((p) => p.intakeId));
  // Steps 1 and 2 side by side: photos need nothing from the push (they are addressed by
  // content), and the push's own work no longer delays the first photo.
  const pushing = push({ holdSignsFor: withPhotos });
  const uploading = step('photosUp', errors, () => uploadPhotos({ db, api, todo, onProgress: (p) => ctx.onProgress?.('photosUp', p.done, p.total, p) }));
  const first = await pushing;
  // The receive lane starts now, beside the photo uploads.
  const receiving = (ctx.receive ?? (() => receiveOnce(ctx)))();
  const up = await uploading;
  // Photos that did not go up keep their signatures waiting, counted (a signature goes without
  // refused photos after a few runs). When the upload step itself failed (network, server),
  // every signature with photos waits uncounted: being offline never uses up those waits.
  // The second pass only when the first got through: after a failed first pass it would fail
  // the same way (and count a server error twice against the same entry in one run).
  const second = first ? await push(up ? { holdSignsFor: up.failedIntakes, countWaits: true } : { holdSignsFor: withPhotos }) : null;
  const received = await receiving;
  errors.push(...received.errors);
  const sum = (k: keyof PushSummary) => (first?.[k] ?? 0) + (second?.[k] ?? 0);
  return {
    push: first || second ? { applied: sum('applied'), conflicts: sum('conflicts'), rejected: sum('rejected'), held: second?.held ?? first?.held ?? 0 } : EMPTY_PUSH,
    photosUploaded: up?.uploaded ?? 0,
    pulled: received.pulled,
    photosDownloaded: received.photosDownloaded,
    errors,
    problem: up?.problem ?? received.problem,
  };
}

/** The error a run is summed up by (auth first: nothing else will work until staff sign in). */
export function mainError(errors: readonly StepError[]): SyncError | null {
  return (errors.find((e) => e.error.kind === 'auth') ?? errors[0])?.error ?? null;
}
