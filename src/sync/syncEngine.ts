/**
 * The sync engine of the page (no Background Sync: iOS has none). A full run (syncOnce.ts: push,
 * photos up, push; pull and photos down beside them) happens:
 *  - when started (app start with a device session), and when the event stream (re)opens: the
 *    server is reachable again, so whatever waited goes now (a server back from a restart is
 *    noticed within RECONNECT_CAP_MS, not at the next timer);
 *  - when the browser comes online, when the page becomes visible again;
 *  - shortly after a local change (outbox or photos grew; a signature at once);
 *  - on a timer: every 30 s when healthy (polling stays the fallback when no stream can be
 *    held: an old server, a proxy that cuts it; while the stream is open, as often as the
 *    server's hello asks, `pollMs`, 30 s by default), with exponential backoff + jitter after failures
 *    (1 s doubling to a 1 min cap; at most RETRY_CAP_LIVE_MS while the event stream is open,
 *    because then the server is up and the failure was passing), reset by a run without errors.
 *
 * A pull alone (no push, no photos) happens when the event stream hints at a change beyond this
 * tablet's cursor, and when a screen asks for the latest (pullNow: the handover and technician
 * screens on opening). Pulls are coalesced: asked while one runs, the next one starts right after
 * it (never two side by side), and a full run's pull is the same one. So a hint during a long
 * photo upload is pulled at once; the pull never waits behind photos.
 *
 * Runs never overlap in a page; across tabs the Web Locks API lets one tab run the send lane at a
 * time (where it exists), and the lock holder may safely reset entries stuck in 'sending' by a
 * crash. All state that matters is in IndexedDB; this module keeps only what is on screen right
 * now (running, progress, stream connected) in memory.
 */
import { liveQuery, type Subscription } from 'dexie';
import { getDb, type WalkaroundDB } from '../store/db';
import { loadSession, serverActingStaffId } from '../store/session';
import { createSyncApi, type SyncApi, type SyncAuth } from './syncApi';
import { downloadStep, mainError, pullStep, step, syncOnce, type ReceiveResult, type StepError, type SyncRunResult } from './syncOnce';
import { recoverSending } from './recoverSending';
import { nextDelay, HEALTHY_INTERVAL_MS, RETRY_CAP_LIVE_MS } from './backoff';
import { SyncError, toSyncError, type SyncProblem } from './syncErrors';
import { readWanted } from '../store/photoQueue';
import { readSyncStatus, writeSyncStatus } from './syncStatus';
import { getSyncEngineState, setSyncEngineState } from './syncEngineState';
import { photoProgress } from './photoProgress';
import { exclusive, hasWebLocks } from './exclusive';
import { openChangeStream, type ChangeStreamHandle } from './changeStream';
import { readCursor } from './pullChanges';

export interface SyncEngineOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  db?: () => WalkaroundDB;
  auth?: () => Promise<SyncAuth | null>;
  intervalMs?: number;
  random?: () => number;
  /** Wait after a local change before syncing it (lets autosave bursts settle). */
  changeDelayMs?: number;
  /** Hold the server's event stream open (default: where fetch can stream a body). */
  events?: boolean;
}

export { getSyncEngineState, subscribeSyncEngine, type SyncEngineState } from './syncEngineState';

/** What a pull asked for by a screen or a hint came to. */
export interface PullOutcome {
  ok: boolean;
  pulled: number;
  error: SyncProblem | null;
}

const setState = setSyncEngineState;

async function sessionAuth(): Promise<SyncAuth | null> {
  const s = await loadSession();
  return s ? { token: s.token, actingStaffId: serverActingStaffId(s) } : null;
}

const streamsByDefault = () => typeof window !== 'undefined' && typeof ReadableStream !== 'undefined' && typeof TextDecoder !== 'undefined';

let opts: Required<Omit<SyncEngineOptions, 'fetch' | 'baseUrl' | 'events'>> & Pick<SyncEngineOptions, 'fetch' | 'baseUrl' | 'events'> = {
  db: getDb,
  auth: sessionAuth,
  intervalMs: HEALTHY_INTERVAL_MS,
  random: Math.random,
  changeDelayMs: 500,
};

/** Outbox ops that are final: sent without waiting for more typing. */
const SENT_AT_ONCE: ReadonlySet<string> = new Set(['sign', 'amend', 'techCheck', 'handover']);
let timer: ReturnType<typeof setTimeout> | null = null;
let inflight: Promise<SyncRunResult | null> | null = null;
let again = false;
let recoveredOnce = false;
let cleanup: (() => void)[] = [];
let stream: ChangeStreamHandle | null = null;
let sending = false;
let receiving = 0;

function showRunning(): void {
  const running = sending || receiving > 0;
  setState({ running, ...(running ? {} : { phase: null, progress: null, photos: null }) });
}

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

/** While the stream is open: the poll interval the server asked for in its hello. */
let livePollMs: number | null = null;

/** The wait before the next full run after `failures` failed runs in a row. */
function delayAfter(failures: number): number {
  const healthy = getSyncEngineState().live && livePollMs ? livePollMs : opts.intervalMs;
  const d = nextDelay(failures, opts.random, healthy);
  return failures > 0 && getSyncEngineState().live ? Math.min(d, RETRY_CAP_LIVE_MS) : d;
}

function problemOf(e: SyncError, at: string): SyncProblem {
  return { kind: e.kind, detail: e.message, at };
}

function apiFor(): SyncApi {
  return createSyncApi({ baseUrl: opts.baseUrl, fetch: opts.fetch, auth: () => opts.auth() });
}

const isOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

// ---- pulls (coalesced) ----

interface PullRun {
  ok: boolean;
  pulled: number;
  error: SyncError | null;
}

let pullRun: Promise<PullRun> | null = null;
let pullQueued: Promise<PullRun> | null = null;

async function runPull(): Promise<PullRun> {
  const db = opts.db();
  const auth = await opts.auth().catch(() => null);
  if (!auth) return { ok: false, pulled: 0, error: null };
  if (isOffline()) return { ok: false, pulled: 0, error: new SyncError('offline', 'This tablet is offline.') };
  receiving++;
  setState({ pulling: true });
  showRunning();
  try {
    const errors: StepError[] = [];
    const r = await step('pull', errors, () => pullStep({ db, api: apiFor() }));
    if (!r) return { ok: false, pulled: 0, error: errors[0]?.error ?? null };
    const at = new Date().toISOString();
    setState({ lastPullAt: at });
    await writeSyncStatus(db, { lastPullAt: at }).catch(() => undefined);
    if (Object.keys(await readWanted(db)).length) void requestDownload();
    return { ok: true, pulled: r.received, error: null };
  } finally {
    receiving--;
    showRunning();
  }
}

/**
 * A pull that starts after this call: at once when none runs, else right after the running one
 * (callers asking meanwhile share that next one).
 */
function requestPull(): Promise<PullRun> {
  if (!pullRun) {
    pullRun = runPull()
      .catch((e: unknown): PullRun => ({ ok: false, pulled: 0, error: toSyncError(e) }))
      .finally(() => {
        pullRun = null;
        if (!pullQueued) setState({ pulling: false });
      });
    return pullRun;
  }
  pullQueued ??= pullRun.then(() => {
    pullQueued = null;
    return requestPull();
  });
  return pullQueued;
}

// ---- photo downloads (coalesced the same way, never awaited by a pull) ----

let downRun: Promise<ReceiveResult> | null = null;
let downAgain = false;

async function runDownload(): Promise<ReceiveResult> {
  const db = opts.db();
  const errors: StepError[] = [];
  receiving++;
  showRunning();
  try {
    const d = await step('photosDown', errors, () =>
      downloadStep({ db, api: apiFor(), onProgress: (phase, done, total) => !sending && setState({ phase, progress: total > 0 ? { done, total } : null }) }),
    );
    return { pulled: 0, photosDownloaded: d?.downloaded ?? 0, errors, problem: d?.problem ?? null };
  } finally {
    receiving--;
    showRunning();
  }
}

function requestDownload(): Promise<ReceiveResult> {
  if (downRun) {
    downAgain = true;
    return downRun;
  }
  downRun = runDownload().finally(() => {
    downRun = null;
    if (downAgain) {
      downAgain = false;
      void requestDownload();
    }
  });
  return downRun;
}

/** A full run's receive lane: the shared pull, then the photo downloads. */
async function receiveForRun(): Promise<ReceiveResult> {
  const p = await requestPull();
  const d = await requestDownload();
  const errors: StepError[] = [...(p.error ? [{ phase: 'pull' as const, error: p.error }] : []), ...d.errors];
  return { pulled: p.pulled, photosDownloaded: d.photosDownloaded, errors, problem: d.problem };
}

// ---- full runs ----

async function runOnce(): Promise<SyncRunResult | null> {
  const db = opts.db();
  const auth = await opts.auth().catch(() => null);
  if (!auth) return null; // no device session: nothing to sync, not an error
  if (isOffline()) {
    setState({ online: false });
    schedule(opts.intervalMs); // the 'online' event usually comes first; this is the safety net
    return null;
  }
  const api = apiFor();
  sending = true;
  setState({ phase: 'push', progress: null, photos: null });
  showRunning();
  let photosStartedAt = 0;
  const startedAt = new Date().toISOString();
  try {
    const result = await exclusive(
      'walkaround-sync',
      async () => {
        if (hasWebLocks() || !recoveredOnce) {
          await recoverSending(db);
          recoveredOnce = true;
        }
        return syncOnce({
          db,
          api,
          receive: receiveForRun,
          onProgress: (phase, done, total, up) => {
            if (phase === 'pull' || phase === 'photosDown') return; // the receive lane shows itself
            if (up && up.done === 0) photosStartedAt = Date.now();
            setState({ phase, progress: total > 0 ? { done, total } : null, photos: up && total > 0 ? photoProgress(up, photosStartedAt, Date.now()) : null });
          },
        });
      },
      'ifAvailable',
    );
    if (result === 'busy') {
      // Another tab runs the send lane; this one still pulls (its screens want the latest).
      void requestPull();
      schedule(opts.intervalMs);
      return null;
    }
    const now = new Date().toISOString();
    const failed = mainError(result.errors);
    const lastError: SyncProblem | null = failed ? problemOf(failed, now) : result.problem ? problemOf(result.problem, now) : null;
    const failures = failed || result.problem ? getSyncEngineState().failures + 1 : 0;
    await writeSyncStatus(db, { ...(failed ? {} : { lastSuccessAt: now }), lastAttemptAt: startedAt, lastError }).catch(() => undefined);
    setState({ failures, lastError, ...(failed ? {} : { lastSuccessAt: now, online: true }) });
    schedule(delayAfter(failures));
    return result;
  } finally {
    sending = false;
    setState({ phase: null, progress: null, photos: null });
    showRunning();
  }
}

/** Run now (or right after the run in progress). Resolves with the run's result, null if skipped. */
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
  inflight = runOnce()
    .catch((e: unknown) => {
      // Something outside the steps failed (IndexedDB, the lock): count it and try again soon.
      const failures = getSyncEngineState().failures + 1;
      setState({ failures, lastError: problemOf(toSyncError(e), new Date().toISOString()) });
      schedule(delayAfter(failures));
      return null;
    })
    .finally(() => {
      inflight = null;
      if (again) {
        again = false;
        schedule(0);
      }
    });
  return inflight;
}

/**
 * Pull other tablets' changes now (a screen opening wants the latest): a pull that starts after
 * this call, shared with any other asked meanwhile. A failed pull brings the next full run near.
 */
export async function pullNow(): Promise<PullOutcome> {
  const r = await requestPull();
  const error = r.error ? problemOf(r.error, new Date().toISOString()) : null;
  if (!r.ok && error) {
    const failures = getSyncEngineState().failures + 1;
    setState({ failures, lastError: error });
    schedule(delayAfter(failures));
  }
  return { ok: r.ok, pulled: r.pulled, error };
}

/**
 * A hint of seq N pulls only when this tablet is behind N. A pull already running may bring N
 * itself (the hint often arrives while the run's own pull is on the wire): wait for it, then look.
 */
async function pullIfBehind(db: WalkaroundDB, seq: number): Promise<void> {
  if (pullRun) await pullRun;
  if (seq > (await readCursor(db))) void pullNow();
}

function startStream(): void {
  if (stream || !(opts.events ?? streamsByDefault())) return;
  const db = opts.db();
  stream = openChangeStream({
    baseUrl: opts.baseUrl,
    fetch: opts.fetch,
    auth: () => opts.auth(),
    random: opts.random,
    onOpen: (_head, hello) => {
      livePollMs = hello.pollMs;
      setState({ live: true, online: true });
      void syncNow();
    },
    onChange: (seq) => void pullIfBehind(db, seq),
    onClosed: () => setState({ live: false }),
  });
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
      setState({ lastSuccessAt: s.lastSuccessAt ?? now.lastSuccessAt, lastError: now.lastError ?? s.lastError, lastPullAt: now.lastPullAt ?? s.lastPullAt ?? null });
    })
    .catch(() => undefined);

  if (typeof window !== 'undefined') {
    const onOnline = () => {
      setState({ online: true, failures: 0 });
      stream?.kick();
      schedule(0);
    };
    const onOffline = () => setState({ online: false });
    const onVisible = () => {
      if (document.visibilityState !== 'visible') return;
      stream?.kick();
      schedule(0);
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

  // A local change (a new outbox entry or photo) is sent soon, unless we are backing off: a
  // signature at once (it is final, and the other tablets are waiting for it), an edit after
  // changeDelayMs (autosave keeps updating the unsent entry meanwhile, so a burst of typing goes
  // as one change).
  let last = -1;
  const sub: Subscription = liveQuery(async () => {
    const n = (await db.outbox.count()) + (await db.photoMeta.where('uploaded').equals(0).count());
    const newest = await db.outbox.orderBy(':id').last();
    return { n, final: newest !== undefined && SENT_AT_ONCE.has(newest.op) };
  }).subscribe({
    next: ({ n, final }) => {
      if (last >= 0 && n > last && getSyncEngineState().failures === 0) schedule(final ? 0 : opts.changeDelayMs);
      last = n;
    },
    error: () => undefined,
  });
  cleanup.push(() => sub.unsubscribe());
  startStream();
  cleanup.push(() => {
    stream?.close();
    stream = null;
    setState({ live: false });
  });
  schedule(0);
}

export function stopSync(): void {
  for (const c of cleanup) c();
  cleanup = [];
  if (timer) clearTimeout(timer);
  timer = null;
  setState({ started: false, nextRunAt: null });
}
