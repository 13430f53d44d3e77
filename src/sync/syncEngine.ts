/**
 * The sync engine of the page (no Background Sync: iOS has none). It runs:
 *  - when started (app start with a device session),
 *  - when the browser comes online, when the page becomes visible again,
 *  - shortly after a local change (outbox or photos grew),
 *  - on a timer: every 30 s when healthy, with exponential backoff + jitter after failures
 *    (5 s doubling to a 5 min cap, reset by a successful run).
 *
 * Runs never overlap in a page; across tabs the Web Locks API lets one tab sync at a time (where
 * it exists), and the lock holder may safely reset entries stuck in 'sending' by a crash. All
 * state that matters is in IndexedDB; this module keeps only what is on screen right now
 * (running, progress) in memory.
 */
import { liveQuery, type Subscription } from 'dexie';
import { getDb, type WalkaroundDB } from '../store/db';
import { loadSession, serverActingStaffId } from '../store/session';
import { createSyncApi, type SyncAuth } from './syncApi';
import { syncOnce, type SyncRunResult } from './syncOnce';
import { recoverSending } from './recoverSending';
import { nextDelay, HEALTHY_INTERVAL_MS } from './backoff';
import { toSyncError, type SyncProblem } from './syncErrors';
import { readSyncStatus, writeSyncStatus } from './syncStatus';
import { getSyncEngineState, setSyncEngineState } from './syncEngineState';
import { photoProgress } from './photoProgress';

export interface SyncEngineOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  db?: () => WalkaroundDB;
  auth?: () => Promise<SyncAuth | null>;
  intervalMs?: number;
  random?: () => number;
  /** Wait after a local change before syncing it (lets autosave bursts settle). */
  changeDelayMs?: number;
}

export { getSyncEngineState, subscribeSyncEngine, type SyncEngineState } from './syncEngineState';

const setState = setSyncEngineState;

async function sessionAuth(): Promise<SyncAuth | null> {
  const s = await loadSession();
  return s ? { token: s.token, actingStaffId: serverActingStaffId(s) } : null;
}

let opts: Required<Omit<SyncEngineOptions, 'fetch' | 'baseUrl'>> & Pick<SyncEngineOptions, 'fetch' | 'baseUrl'> = {
  db: getDb,
  auth: sessionAuth,
  intervalMs: HEALTHY_INTERVAL_MS,
  random: Math.random,
  changeDelayMs: 1500,
};
let timer: ReturnType<typeof setTimeout> | null = null;
let inflight: Promise<SyncRunResult | null> | null = null;
let again = false;
let recoveredOnce = false;
let cleanup: (() => void)[] = [];

function schedule(delayMs: number): void {
  if (!getSyncEngineState().started) return;
  const at = Date.now() + delayMs;
  // Never postpone a run that is due sooner.
  const due = getSyncEngineState().nextRunAt;
  if (timer && due !== null && due <= at) return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    setState({ nextRunAt: null });
    void syncNow();
  }, delayMs);
  setState({ nextRunAt: at });
}

async function withSyncLock<T>(fn: (exclusive: boolean) => Promise<T>): Promise<T | 'busy'> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  if (!locks?.request) return fn(false);
  return locks.request('walkaround-sync', { ifAvailable: true }, async (lock) => (lock ? fn(true) : 'busy')) as Promise<T | 'busy'>;
}

async function runOnce(): Promise<SyncRunResult | null> {
  const db = opts.db();
  const auth = await opts.auth().catch(() => null);
  if (!auth) return null; // no device session: nothing to sync, not an error
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    setState({ online: false });
    schedule(opts.intervalMs); // the 'online' event usually comes first; this is the safety net
    return null;
  }
  const api = createSyncApi({ baseUrl: opts.baseUrl, fetch: opts.fetch, auth: () => opts.auth() });
  setState({ running: true, phase: 'push', progress: null, photos: null });
  let photosStartedAt = 0;
  const startedAt = new Date().toISOString();
  try {
    const result = await withSyncLock(async (exclusive) => {
      if (exclusive || !recoveredOnce) {
        await recoverSending(db);
        recoveredOnce = true;
      }
      return syncOnce({
        db,
        api,
        onProgress: (phase, done, total, up) => {
          if (up && up.done === 0) photosStartedAt = Date.now();
          setState({ phase, progress: total > 0 ? { done, total } : null, photos: up && total > 0 ? photoProgress(up, photosStartedAt, Date.now()) : null });
        },
      });
    });
    if (result === 'busy') {
      schedule(opts.intervalMs);
      return null;
    }
    const now = new Date().toISOString();
    const lastError: SyncProblem | null = result.problem ? { kind: result.problem.kind, detail: result.problem.message, at: now } : null;
    const failures = result.problem ? getSyncEngineState().failures + 1 : 0;
    await writeSyncStatus(db, { lastSuccessAt: now, lastAttemptAt: startedAt, lastError }).catch(() => undefined);
    setState({ failures, lastSuccessAt: now, lastError, online: true });
    schedule(nextDelay(failures, opts.random, opts.intervalMs));
    return result;
  } catch (e) {
    const err = toSyncError(e);
    const lastError: SyncProblem = { kind: err.kind, detail: err.message, at: new Date().toISOString() };
    const failures = getSyncEngineState().failures + 1;
    await writeSyncStatus(db, { lastAttemptAt: startedAt, lastError }).catch(() => undefined);
    setState({ failures, lastError });
    schedule(nextDelay(failures, opts.random, opts.intervalMs));
    return null;
  } finally {
    setState({ running: false, phase: null, progress: null, photos: null });
  }
}

/** Run now (or right after the run in progress). Resolves with the run's result, null if skipped or failed. */
export function syncNow(): Promise<SyncRunResult | null> {
  if (inflight) {
    again = true;
    return inflight;
  }
  if (timer) {
    clearTimeout(timer);
    timer = null;
    setState({ nextRunAt: null });
  }
  inflight = runOnce().finally(() => {
    inflight = null;
    if (again) {
      again = false;
      schedule(0);
    }
  });
  return inflight;
}

/** Start syncing in this page. Idempotent. */
export function startSync(options: SyncEngineOptions = {}): void {
  if (getSyncEngineState().started) return;
  opts = { ...opts, ...options };
  setState({ started: true, failures: 0 });
  const db = opts.db();
  void readSyncStatus(db)
    .then((s) => {
      const now = getSyncEngineState();
      setState({ lastSuccessAt: s.lastSuccessAt ?? now.lastSuccessAt, lastError: now.lastError ?? s.lastError });
    })
    .catch(() => undefined);

  if (typeof window !== 'undefined') {
    const onOnline = () => {
      setState({ online: true, failures: 0 });
      schedule(0);
    };
    const onOffline = () => setState({ online: false });
    const onVisible = () => {
      if (document.visibilityState === 'visible') schedule(0);
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('pageshow', onVisible);
    cleanup.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('pageshow', onVisible);
    });
  }

  // A local change (a new outbox entry or photo) is sent soon, unless we are backing off.
  let last = -1;
  const sub: Subscription = liveQuery(async () => (await db.outbox.count()) + (await db.photoMeta.where('uploaded').equals(0).count())).subscribe({
    next: (n) => {
      if (last >= 0 && n > last && getSyncEngineState().failures === 0) schedule(opts.changeDelayMs);
      last = n;
    },
    error: () => undefined,
  });
  cleanup.push(() => sub.unsubscribe());
  schedule(0);
}

export function stopSync(): void {
  for (const c of cleanup) c();
  cleanup = [];
  if (timer) clearTimeout(timer);
  timer = null;
  setState({ started: false, nextRunAt: null });
}
