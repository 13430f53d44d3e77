/**
 * Photos up, as fast as the wire allows and no faster than the server copes with:
 *
 *  - the queue (photoQueue.ts) is asked about UPLOAD_BATCH hashes at a time (POST
 *    /api/blobs/missing, the next ask on its way while this one's photos go) instead of a HEAD
 *    per photo; the photos the server lacks are read from IndexedDB one request's worth at a
 *    time, at most READ_AHEAD requests ahead of the window, so reading and sending overlap;
 *  - the photos to send go several to a request (POST /api/blobs/batch, src/shared/blobBatch.ts):
 *    consecutive photos up to the request budget and SEND_MAX_PHOTOS; a larger photo goes alone.
 *    The per-request cost (the browser's and the server's) was a third of the upload time at one
 *    photo per request. The budget follows the link: it starts at SEND_BYTES_START and moves
 *    toward what one request moved in SEND_SECONDS at the rate the last one saw, between
 *    SEND_BYTES_MIN and SEND_BYTES (halved at a transient failure): on loopback a request
 *    carries 4 MB, on a lane's weak link a photo or two, so no request comes near its timeout
 *    (BLOB_TIMEOUT_MS) with the others in flight beside it. An API without putBlobs (an older
 *    fake or test double) is served one PUT per photo;
 *  - up to `window` requests are in flight at once. The window starts at UPLOAD_WINDOW_START, grows by
 *    one after UPLOAD_WINDOW_GROW_AFTER successes in a row up to UPLOAD_WINDOW_MAX, and falls to 1
 *    at the first transient failure (timeout, 5xx, 429): that request is tried once more alone, and
 *    only if it fails alone too does the phase stop (the rest would fail as well);
 *  - a photo that no longer reads back whole (no bytes, or not the size stored) is reported, not
 *    sent. The server verifies hash and type photo by photo; a photo it refuses (a hash that does
 *    not match its bytes included) is reported and the others (of the same request too) go on.
 *
 * The uploaded mark is written only after the server answered for the bytes (in groups, see
 * MARK_EVERY), so a run stopped at
 * any point (tab closed, server killed) loses nothing: the next run asks again. Retrying is
 * harmless: blobs are addressed by content, a second PUT of the same bytes changes nothing.
 */
import type { WalkaroundDB } from '../store/db';
import type { SyncApi } from './syncApi';
import { SyncError, toSyncError } from './syncErrors';
import { markPhotosUploaded, readPhotoBytes, unsentPhotos, type UnsentPhoto } from '../store/photoQueue';

/** Hashes per ask (POST /api/blobs/missing). */
export const UPLOAD_BATCH = 100;
export const UPLOAD_WINDOW_START = 4;
export const UPLOAD_WINDOW_MAX = 6;
export const UPLOAD_WINDOW_GROW_AFTER = 8;
/** Most bytes of photos one request carries (fewer, larger requests: less per-request cost). */
export const SEND_BYTES = 4 * 1024 * 1024;
/** The budget of the first requests, before any rate is known, and its floor. */
export const SEND_BYTES_START = 2 * 1024 * 1024;
export const SEND_BYTES_MIN = 256 * 1024;
/** About how long one request should take at the rate the link shows (see the header). */
export const SEND_SECONDS = 4;
export const SEND_MAX_PHOTOS = 32;
const MARK_EVERY = 10;
/** Requests read ahead of the window (their photos in memory, waiting for a place). */
const READ_AHEAD = 2;

export interface UploadProgress {
  done: number;
  total: number;
  /** Bytes sent (or found already on the server) so far, and the queue's total when known. */
  bytesDone: number;
  bytesTotal: number | null;
}

export interface PhotoUploadResult {
  uploaded: number;
  /** Intakes with at least one photo not on the server after this pass. */
  failedIntakes: Set<string>;
  problem: SyncError | null;
  /** HTTP requests this pass made (asks + batches or PUTs), for the benchmark and tests. */
  requests: number;
}

const isTransient = (e: SyncError) => e.kind === 'offline' || e.kind === 'server' || e.kind === 'protocol';
const stopsPhase = (e: SyncError) => e.kind === 'offline' || e.kind === 'server' || e.kind === 'auth';

interface Loaded {
  ref: UnsentPhoto;
  bytes: ArrayBuffer;
  type: string;
  size: number;
}

/** Consecutive photos into requests: up to SEND_BYTES and SEND_MAX_PHOTOS each, a larger photo alone. */
export function groupForSending<T extends { size: number }>(items: readonly T[], maxBytes = SEND_BYTES, maxPhotos = SEND_MAX_PHOTOS): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = 0;
  for (const it of items) {
    if (cur.length && (bytes + it.size > maxBytes || cur.length >= maxPhotos)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(it);
    bytes += it.size;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** A size for a photo whose size the queue does not know (older rows): a typical resized photo. */
const SIZE_GUESS = 256 * 1024;

/**
 * Read these photos' bytes (one IndexedDB read). A row without bytes, or with fewer or more than
 * were stored (Safari has handed back null and empty values from IndexedDB), is reported as
 * unreadable and not sent. The hash is not computed again here: the server verifies every photo's
 * hash before storing it and refuses a mismatch (reported like any refusal), and hashing every
 * byte a second time on the tablet was a sixth of the page's work in the photo bench.
 */
async function loadGroup(db: WalkaroundDB, refs: UnsentPhoto[]): Promise<{ loaded: Loaded[]; broken: { ref: UnsentPhoto; error: SyncError }[] }> {
  const rows = await readPhotoBytes(db, refs.map((r) => r.hash));
  const loaded: Loaded[] = [];
  const broken: { ref: UnsentPhoto; error: SyncError }[] = [];
  refs.forEach((ref, i) => {
    const p = rows[i];
    if (!p) broken.push({ ref, error: new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}… is missing on this tablet.`) });
    else if (!p.bytes || typeof p.bytes.byteLength !== 'number' || p.bytes.byteLength === 0 || (ref.size !== undefined && p.bytes.byteLength !== ref.size)) {
      broken.push({ ref, error: new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}… does not read back intact on this tablet.`) });
    } else loaded.push({ ref, bytes: p.bytes, type: p.type, size: p.bytes.byteLength });
  });
  return { loaded, broken };
}

export async function uploadPhotos(ctx: {
  db: WalkaroundDB;
  api: SyncApi;
  onProgress?: (p: UploadProgress) => void;
  todo?: UnsentPhoto[];
  /** SEND_SECONDS, for tests. */
  sendSeconds?: number;
}): Promise<PhotoUploadResult> {
  const { db, api } = ctx;
  const todo = ctx.todo ?? (await unsentPhotos(db));
  const result: PhotoUploadResult = { uploaded: 0, failedIntakes: new Set(), problem: null, requests: 0 };
  const progress: UploadProgress = { done: 0, total: todo.length, bytesDone: 0, bytesTotal: todo.every((t) => t.size !== undefined) ? todo.reduce((s, t) => s + (t.size ?? 0), 0) : null };
  const report = () => ctx.onProgress?.({ ...progress });
  report();
  if (todo.length === 0) return result;
  const count = () => void result.requests++;

  let window = UPLOAD_WINDOW_START;
  let streak = 0;
  let sendBytes = SEND_BYTES_START;
  const sendSeconds = ctx.sendSeconds ?? SEND_SECONDS;
  /** A request of `bytes` answered in `ms`: the budget moves halfway toward what SEND_SECONDS at that rate moves. */
  const sawRate = (bytes: number, ms: number) => {
    const want = (bytes / Math.max(ms, 1)) * 1000 * sendSeconds;
    sendBytes = Math.round(Math.min(SEND_BYTES, Math.max(SEND_BYTES_MIN, (sendBytes + want) / 2)));
  };
  let fatal: SyncError | null = null;
  const notDone = new Set(todo.map((t) => t.hash));

  // One wait list for both sides below: whoever changes something wakes everyone, each re-checks.
  const waiters: (() => void)[] = [];
  const sleep = () => new Promise<void>((r) => waiters.push(r));
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const fail = (e: unknown) => {
    fatal ??= toSyncError(e);
    wake();
  };

  const refuse = (ref: UnsentPhoto, err: SyncError) => {
    result.failedIntakes.add(ref.intakeId);
    result.problem ??= err.kind === 'photo' ? err : new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}…: ${err.message}`, err.status);
  };
  const finished = (ref: UnsentPhoto, bytes: number) => {
    notDone.delete(ref.hash);
    progress.done++;
    progress.bytesDone += bytes;
  };

  // Uploaded marks are written in groups, never holding a request's place in the window: one
  // write at a time, taking every mark that came in meanwhile (many small transactions queued
  // behind the photo reads were seen to lag the upload by most of a second). A mark not yet
  // written when the run stops only means the next run asks the server about that photo again
  // and marks it then: nothing is lost or sent under a wrong state.
  let unmarked: string[] = [];
  let marking: Promise<void> | null = null;
  let markFailed = false;
  const flushMarks = (): void => {
    if (marking || markFailed || unmarked.length === 0) return;
    const list = unmarked;
    unmarked = [];
    marking = markPhotosUploaded(db, list).then(
      () => {
        marking = null;
        if (unmarked.length >= MARK_EVERY) flushMarks();
      },
      (e: unknown) => {
        marking = null;
        markFailed = true;
        fail(e);
      },
    );
  };
  /** Every mark written; also after a failed request: what did arrive is marked. */
  const marksWritten = async (): Promise<void> => {
    while (!markFailed && (marking || unmarked.length > 0)) {
      flushMarks();
      await marking;
    }
  };

  let inFlight = 0;
  /**
   * One request for these photos; resolves with the ones the server refused (and why). Throws
   * only for a failure of the request as a whole.
   */
  async function sendGroup(group: Loaded[]): Promise<{ p: Loaded; error: SyncError }[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        count();
        const started = Date.now();
        let refused: { p: Loaded; error: SyncError }[] = [];
        if (api.putBlobs) {
          const results = await api.putBlobs(group.map((p) => ({ hash: p.ref.hash, bytes: p.bytes, type: p.type })));
          refused = results.flatMap((r, i) => (r.status === 'refused' ? [{ p: group[i]!, error: new SyncError('refused', `${r.error ?? 'refused'}: ${r.message ?? ''}`) }] : []));
        } else {
          // One PUT per photo (an API without the batch call): a group is always one photo then.
          const p = group[0]!;
          await api.putBlob(p.ref.hash, p.bytes, p.type);
        }
        sawRate(group.reduce((n, p) => n + p.size, 0), Date.now() - started);
        if (++streak >= UPLOAD_WINDOW_GROW_AFTER && window < UPLOAD_WINDOW_MAX) {
          window++;
          streak = 0;
          wake();
        }
        return refused;
      } catch (e) {
        const err = toSyncError(e);
        streak = 0;
        // Transient with others in flight: back off to one at a time and try this request alone once.
        if (isTransient(err)) sendBytes = Math.max(SEND_BYTES_MIN, Math.round(sendBytes / 2));
        if (isTransient(err) && attempt === 0 && window > 1) {
          window = 1;
          while (inFlight > 1 && !fatal) await sleep();
          if (fatal) throw err;
          continue;
        }
        throw err;
      }
    }
  }

  /** Photos read and checked, in requests, waiting for a place in the window. */
  const ready: Loaded[][] = [];
  let loaderDone = false;

  /**
   * The reading side: asks the server about the queue UPLOAD_BATCH hashes at a time (the next
   * ask already on its way while this one's photos are read), marks what it holds, and reads the
   * photos it lacks one request's worth at a time (sizes are known from the queue), at most
   * READ_AHEAD requests ahead of the window: memory stays a few requests' bytes, and the reads
   * and the requests on the wire overlap.
   */
  async function load(): Promise<void> {
    const chunks: UnsentPhoto[][] = [];
    for (let i = 0; i < todo.length; i += UPLOAD_BATCH) chunks.push(todo.slice(i, i + UPLOAD_BATCH));
    const ask = (refs: UnsentPhoto[]) => {
      count();
      const p = api.missingBlobs(refs.map((r) => r.hash)).then((m) => new Set(m));
      p.catch(() => undefined); // handled where awaited
      return p;
    };
    let asked = ask(chunks[0]!);
    for (let c = 0; c < chunks.length && !fatal; c++) {
      const missing = await asked;
      if (c + 1 < chunks.length) asked = ask(chunks[c + 1]!);
      const refs = chunks[c]!;
      const held = refs.filter((r) => !missing.has(r.hash));
      if (held.length) {
        for (const r of held) {
          unmarked.push(r.hash);
          result.uploaded++;
          finished(r, r.size ?? 0);
        }
        report();
        flushMarks();
      }
      const wanted = refs.filter((r) => missing.has(r.hash));
      for (let i = 0; i < wanted.length; ) {
        while (!fatal && ready.length + inFlight >= window + READ_AHEAD) await sleep();
        if (fatal) return;
        // The next request's worth at the budget as it is now (sizes from the queue).
        const group: UnsentPhoto[] = [];
        for (let bytes = 0; i < wanted.length && group.length < SEND_MAX_PHOTOS; i++) {
          const size = wanted[i]!.size ?? SIZE_GUESS;
          if (group.length > 0 && bytes + size > sendBytes) break;
          group.push(wanted[i]!);
          bytes += size;
        }
        const { loaded, broken } = await loadGroup(db, group);
        for (const { ref, error } of broken) {
          refuse(ref, error);
          progress.done++;
        }
        if (broken.length) report();
        if (loaded.length) ready.push(...(api.putBlobs ? groupForSending(loaded, sendBytes) : loaded.map((p) => [p])));
        wake();
      }
    }
  }

  const running = new Set<Promise<void>>();
  function launch(group: Loaded[]): void {
    inFlight++;
    const task = (async () => {
      try {
        const refused = await sendGroup(group);
        const bad = new Set(refused.map((r) => r.p));
        for (const { p, error } of refused) {
          refuse(p.ref, error);
          progress.done++;
        }
        for (const p of group) {
          if (bad.has(p)) continue;
          unmarked.push(p.ref.hash);
          result.uploaded++;
          finished(p.ref, p.size);
        }
        report();
      } catch (e) {
        const err = toSyncError(e);
        if (stopsPhase(err)) fail(err);
        else {
          for (const p of group) {
            refuse(p.ref, err);
            progress.done++;
          }
          report();
        }
      } finally {
        inFlight--;
        wake();
      }
      if (unmarked.length >= MARK_EVERY) flushMarks();
    })();
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  const loading = load().then(
    () => {
      loaderDone = true;
      wake();
    },
    fail,
  );
  // The sending side: fills the window from what is read.
  for (;;) {
    while (!fatal && inFlight < window && ready.length > 0) launch(ready.shift()!);
    if (fatal || (loaderDone && ready.length === 0)) break;
    await sleep();
  }
  await loading;
  await Promise.all(running);
  await marksWritten();
  if (fatal) {
    for (const t of todo) if (notDone.has(t.hash)) result.failedIntakes.add(t.intakeId);
    throw fatal;
  }
  return result;
}
