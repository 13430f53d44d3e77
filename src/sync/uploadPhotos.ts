/**
 * Photos up, as fast as the wire allows and no faster than the server copes with:
 *
 *  - the queue (photoQueue.ts) is taken in batches of UPLOAD_BATCH; for each batch the server is
 *    asked once which hashes it lacks (POST /api/blobs/missing) instead of a HEAD per photo, and
 *    the photos it lacks are read from IndexedDB in one go, while the batch before is still
 *    uploading (read-ahead);
 *  - the photos to send go several to a request (POST /api/blobs/batch, src/shared/blobBatch.ts):
 *    consecutive photos up to SEND_BYTES and SEND_MAX_PHOTOS per request; a photo larger than
 *    SEND_BYTES goes alone. The per-request cost (the browser's and the server's) was a third of
 *    the upload time at one photo per request. An API without putBlobs (an older fake or test
 *    double) is served one PUT per photo;
 *  - up to `window` requests are in flight at once. The window starts at UPLOAD_WINDOW_START, grows by
 *    one after UPLOAD_WINDOW_GROW_AFTER successes in a row up to UPLOAD_WINDOW_MAX, and falls to 1
 *    at the first transient failure (timeout, 5xx, 429): that request is tried once more alone, and
 *    only if it fails alone too does the phase stop (the rest would fail as well);
 *  - each photo is hashed again before sending (WebCrypto where available): a photo that no
 *    longer reads back intact is reported, never sent under a hash it does not match. The server
 *    verifies hash and type again, photo by photo. A photo the server refuses is reported and the
 *    others (of the same request too) go on.
 *
 * The uploaded mark is written only after the server answered for the bytes (in groups, see
 * MARK_EVERY), so a run stopped at
 * any point (tab closed, server killed) loses nothing: the next run asks again. Retrying is
 * harmless: blobs are addressed by content, a second PUT of the same bytes changes nothing.
 */
import { sha256HexBytes } from '../shared/sha256';
import type { WalkaroundDB } from '../store/db';
import type { SyncApi } from './syncApi';
import { SyncError, toSyncError } from './syncErrors';
import { markPhotosUploaded, readPhotoBytes, unsentPhotos, type UnsentPhoto } from '../store/photoQueue';

export const UPLOAD_BATCH = 50;
export const UPLOAD_WINDOW_START = 4;
export const UPLOAD_WINDOW_MAX = 6;
export const UPLOAD_WINDOW_GROW_AFTER = 8;
/** Bytes of photos one request carries (more photos per request, fewer in flight needed). */
export const SEND_BYTES = 2 * 1024 * 1024;
export const SEND_MAX_PHOTOS = 32;
const MARK_EVERY = 10;

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

interface Batch {
  /** Already on the server: only to be marked. */
  held: UnsentPhoto[];
  toSend: Loaded[];
  /** Missing on this tablet or unreadable: reported. */
  broken: { ref: UnsentPhoto; error: SyncError }[];
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

async function prepareBatch(db: WalkaroundDB, api: SyncApi, refs: UnsentPhoto[], count: () => void): Promise<Batch> {
  count();
  const missing = new Set(await api.missingBlobs(refs.map((r) => r.hash)));
  const held = refs.filter((r) => !missing.has(r.hash));
  const wanted = refs.filter((r) => missing.has(r.hash));
  const rows = await readPhotoBytes(db, wanted.map((r) => r.hash));
  const batch: Batch = { held, toSend: [], broken: [] };
  for (let i = 0; i < wanted.length; i++) {
    const ref = wanted[i]!;
    const p = rows[i];
    if (!p) {
      batch.broken.push({ ref, error: new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}… is missing on this tablet.`) });
      continue;
    }
    if (!p.bytes || typeof p.bytes.byteLength !== 'number' || (await sha256HexBytes(p.bytes)) !== ref.hash) {
      batch.broken.push({ ref, error: new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}… does not read back intact on this tablet.`) });
      continue;
    }
    batch.toSend.push({ ref, bytes: p.bytes, type: p.type, size: p.bytes.byteLength });
  }
  return batch;
}

export async function uploadPhotos(ctx: { db: WalkaroundDB; api: SyncApi; onProgress?: (p: UploadProgress) => void; todo?: UnsentPhoto[] }): Promise<PhotoUploadResult> {
  const { db, api } = ctx;
  const todo = ctx.todo ?? (await unsentPhotos(db));
  const result: PhotoUploadResult = { uploaded: 0, failedIntakes: new Set(), problem: null, requests: 0 };
  const progress: UploadProgress = { done: 0, total: todo.length, bytesDone: 0, bytesTotal: todo.every((t) => t.size !== undefined) ? todo.reduce((s, t) => s + (t.size ?? 0), 0) : null };
  const report = () => ctx.onProgress?.({ ...progress });
  report();
  if (todo.length === 0) return result;
  const count = () => void result.requests++;

  const batches: UnsentPhoto[][] = [];
  for (let i = 0; i < todo.length; i += UPLOAD_BATCH) batches.push(todo.slice(i, i + UPLOAD_BATCH));

  let window = UPLOAD_WINDOW_START;
  let streak = 0;
  let fatal: SyncError | null = null;
  const notDone = new Set(todo.map((t) => t.hash));

  const refuse = (ref: UnsentPhoto, err: SyncError) => {
    result.failedIntakes.add(ref.intakeId);
    result.problem ??= err.kind === 'photo' ? err : new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}…: ${err.message}`, err.status);
  };
  // Uploaded marks are written in groups (one small transaction per MARK_EVERY photos, not one
  // each). A mark not yet written when the run stops only means the next run asks the server
  // about that photo again and marks it then: nothing is lost or sent under a wrong state.
  let unmarked: string[] = [];
  const flushMarks = async () => {
    if (unmarked.length === 0) return;
    const list = unmarked;
    unmarked = [];
    await markPhotosUploaded(db, list);
  };
  const finished = (ref: UnsentPhoto, bytes: number) => {
    notDone.delete(ref.hash);
    progress.done++;
    progress.bytesDone += bytes;
    report();
  };

  /**
   * One request for these photos; resolves with the ones the server refused (and why). Throws
   * only for a failure of the request as a whole.
   */
  async function sendGroup(group: Loaded[]): Promise<{ p: Loaded; error: SyncError }[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        count();
        let refused: { p: Loaded; error: SyncError }[] = [];
        if (api.putBlobs) {
          const results = await api.putBlobs(group.map((p) => ({ hash: p.ref.hash, bytes: p.bytes, type: p.type })));
          refused = results.flatMap((r, i) => (r.status === 'refused' ? [{ p: group[i]!, error: new SyncError('refused', `${r.error ?? 'refused'}: ${r.message ?? ''}`) }] : []));
        } else {
          // One PUT per photo (an API without the batch call): a group is always one photo then.
          const p = group[0]!;
          await api.putBlob(p.ref.hash, p.bytes, p.type);
        }
        if (++streak >= UPLOAD_WINDOW_GROW_AFTER && window < UPLOAD_WINDOW_MAX) {
          window++;
          streak = 0;
        }
        return refused;
      } catch (e) {
        const err = toSyncError(e);
        streak = 0;
        // Transient with others in flight: back off to one at a time and try this request alone once.
        if (isTransient(err) && attempt === 0 && window > 1) {
          window = 1;
          await waitAlone();
          if (fatal) throw err;
          continue;
        }
        throw err;
      }
    }
  }

  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const sleep = () => new Promise<void>((r) => waiters.push(r));
  async function waitForRoom(): Promise<void> {
    while (inFlight >= window && !fatal) await sleep();
  }
  /** Until the calling upload is the only one in flight. */
  async function waitAlone(): Promise<void> {
    while (inFlight > 1 && !fatal) await sleep();
  }
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };

  let next: Promise<Batch> | null = prepareBatch(db, api, batches[0]!, count);
  const running = new Set<Promise<void>>();
  for (let b = 0; b < batches.length && !fatal; b++) {
    let batch: Batch;
    try {
      batch = await next!;
    } catch (e) {
      fatal = toSyncError(e);
      break;
    }
    // Read ahead: ask about and read the next batch while this one uploads.
    next = b + 1 < batches.length ? prepareBatch(db, api, batches[b + 1]!, count) : null;
    next?.catch(() => undefined); // its failure is handled when awaited

    if (batch.held.length) {
      await markPhotosUploaded(db, batch.held.map((r) => r.hash));
      for (const r of batch.held) {
        result.uploaded++;
        finished(r, r.size ?? 0);
      }
    }
    for (const { ref, error } of batch.broken) {
      refuse(ref, error);
      progress.done++;
      report();
    }
    const groups = api.putBlobs ? groupForSending(batch.toSend) : batch.toSend.map((p) => [p]);
    for (const group of groups) {
      await waitForRoom();
      if (fatal) break;
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
          if (refused.length) report();
          if (unmarked.length >= MARK_EVERY) await flushMarks();
        } catch (e) {
          const err = toSyncError(e);
          if (stopsPhase(err)) fatal ??= err;
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
      })();
      running.add(task);
      void task.finally(() => running.delete(task));
    }
  }
  await Promise.all(running);
  await flushMarks();
  if (fatal) {
    for (const t of todo) if (notDone.has(t.hash)) result.failedIntakes.add(t.intakeId);
    throw fatal;
  }
  return result;
}
