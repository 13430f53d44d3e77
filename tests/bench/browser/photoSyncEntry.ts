/**
 * Runs INSIDE Chromium on the product server's origin (tests/bench/photoSync.ts): the photo
 * backlog workload through the app's own store (createIntake, savePhoto, updateSection) and sync
 * engine (syncOnce over createSyncApi), and the raw limit: the same bytes PUT from this page to a
 * bare Node HTTP server with the same concurrency. Exposes window.__photoBench.
 */
import { getDb, useDatabase as switchDatabase, WalkaroundDB } from '../../../src/store/db';
import { createIntake, updateSection } from '../../../src/store/intakeWrites';
import { savePhoto } from '../../../src/store/photoStore';
import { readPhotoBytes, unsentPhotos } from '../../../src/store/photoQueue';
import { syncOnce } from '../../../src/sync/syncOnce';
import { pushOutbox } from '../../../src/sync/pushOutbox';
import { pullChanges } from '../../../src/sync/pullChanges';
import { createSyncApi } from '../../../src/sync/syncApi';
import { SEND_BYTES, UPLOAD_WINDOW_MAX, groupForSending } from '../../../src/sync/uploadPhotos';
import { BLOB_BATCH_TYPE, blobBatchBody } from '../../../src/shared/blobBatch';

interface Login {
  token: string;
  staff: { id: string; name: string };
}

let login: Login | null = null;

async function signIn(creds: { dealership: string; username: string; password: string }): Promise<string> {
  const r = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...creds, deviceName: 'bench tablet' }) });
  if (!r.ok) throw new Error(`login ${r.status}: ${await r.text()}`);
  login = (await r.json()) as Login;
  return login.staff.id;
}

/** A JPEG-looking photo (JPEG magic, random body) of `size` bytes: unique, incompressible. */
function photoBytes(size: number): ArrayBuffer {
  const b = new Uint8Array(size);
  for (let off = 4; off < size; off += 65536) crypto.getRandomValues(b.subarray(off, Math.min(size, off + 65536)));
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b.buffer;
}

/** Store `intakes` × `perIntake` photos of `size` bytes through the app's store; ms taken. */
async function capture(intakes: number, perIntake: number, size: number): Promise<{ ms: number; photos: number; bytes: number }> {
  if (!login) throw new Error('sign in first');
  switchDatabase(new WalkaroundDB(`bench-photos-${crypto.randomUUID()}`));
  const t0 = performance.now();
  let photos = 0;
  for (let i = 0; i < intakes; i++) {
    const a = await createIntake({ id: login.staff.id, name: login.staff.name });
    const hashes: string[] = [];
    for (let p = 0; p < perIntake; p++) {
      hashes.push((await savePhoto({ intakeId: a.id, bytes: photoBytes(size), type: 'image/jpeg', width: 1600, height: 1200 })).hash);
      photos++;
    }
    const items = { ...a.cabin.items };
    Object.keys(items).forEach((k, j) => {
      const mine = hashes.slice(j * 10, j * 10 + 10);
      if (mine.length) items[k] = { status: 'issue', note: '划痕', photos: mine };
    });
    await updateSection(a.id, 'cabin', { consent: true, items });
  }
  return { ms: performance.now() - t0, photos, bytes: photos * size };
}

/** One sync run through the app's engine; requests counted at fetch. */
/** The records pushed and pulled before the timed run (BENCH_RECORDS_FIRST: the photos' part of a sync run alone). */
async function recordsFirst(): Promise<void> {
  if (!login) throw new Error('sign in first');
  const token = login.token;
  const api = createSyncApi({ fetch: (input, init) => fetch(input, init), auth: () => ({ token, actingStaffId: null }) });
  await pushOutbox({ db: getDb(), api });
  await pullChanges({ db: getDb(), api });
}

async function sync(): Promise<{ ms: number; photosMs: number; beforeMs: number; afterMs: number; spans: string[]; upStart: number; upEnd: number; requests: number; uploaded: number; left: number; timeline: ReturnType<typeof timeline> }> {
  if (!login) throw new Error('sign in first');
  const token = login.token;
  let requests = 0;
  const spans: { path: string; start: number; end: number }[] = [];
  const counting: typeof fetch = async (input, init) => {
    requests++;
    const start = performance.now();
    try {
      return await fetch(input, init);
    } finally {
      spans.push({ path: String(input).replace(/^https?:\/\/[^/]+/, '').replace(/[0-9a-f]{64}/, ':h').replace(/\?.*/, ''), start, end: performance.now() });
    }
  };
  const api = createSyncApi({ fetch: counting, auth: () => ({ token, actingStaffId: null }) });
  let upStart = 0;
  let upEnd = 0;
  const t0 = performance.now();
  const r = await syncOnce({
    db: getDb(),
    api,
    onProgress: (phase, done, total) => {
      if (phase !== 'photosUp') return;
      if (done === 0) upStart = performance.now();
      if (done === total) upEnd = performance.now();
    },
  });
  const ms = performance.now() - t0;
  return { ms, photosMs: upEnd - upStart, beforeMs: upStart - t0, afterMs: t0 + ms - upEnd, requests, uploaded: r.photosUploaded, left: (await unsentPhotos(getDb())).length, timeline: timeline(spans, upStart, upEnd), spans: spans.map((x) => `${x.path} ${(x.start - t0).toFixed(0)}–${(x.end - t0).toFixed(0)}`), upStart: upStart - t0, upEnd: upEnd - t0 };
}

/**
 * Where the photo phase's time went, from the requests' own spans: per route the count and mean
 * time to answer, how much of the phase had at least one upload in flight, and the mean in flight.
 */
function timeline(spans: { path: string; start: number; end: number }[], from: number, to: number) {
  const byPath: Record<string, { n: number; meanMs: number }> = {};
  for (const s of spans) {
    const e = (byPath[s.path] ??= { n: 0, meanMs: 0 });
    e.meanMs = (e.meanMs * e.n + (s.end - s.start)) / (e.n + 1);
    e.n++;
  }
  const ups = spans.filter((s) => s.path.startsWith('/api/blobs/') && s.path !== '/api/blobs/missing' && s.end > from && s.start < to);
  const edges = ups.flatMap((s) => [
    { t: Math.max(s.start, from), d: 1 },
    { t: Math.min(s.end, to), d: -1 },
  ]).sort((a, b) => a.t - b.t || a.d - b.d);
  let level = 0;
  let last = from;
  let busy = 0;
  let area = 0;
  for (const e of edges) {
    if (level > 0) busy += e.t - last;
    area += level * (e.t - last);
    level += e.d;
    last = e.t;
  }
  const span = Math.max(1, to - from);
  return { byPath, uploadBusyShare: busy / span, meanInFlight: area / span };
}

/** PUT each unit's body (made inside the timed window) to `url`, UPLOAD_WINDOW_MAX in flight; ms taken. */
async function putAll<U>(url: string, units: readonly U[], body: (u: U) => Promise<{ body: BodyInit; type: string; bytes: number }>): Promise<{ ms: number; requests: number; bytes: number; concurrency: number }> {
  let next = 0;
  let bytes = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: UPLOAD_WINDOW_MAX }, async () => {
      while (next < units.length) {
        const b = await body(units[next++]!);
        const r = await fetch(url, { method: 'PUT', headers: { 'content-type': b.type }, body: b.body });
        if (!r.ok) throw new Error(`raw PUT ${r.status}`);
        bytes += b.bytes;
      }
    }),
  );
  return { ms: performance.now() - t0, requests: units.length, bytes, concurrency: UPLOAD_WINDOW_MAX };
}

/**
 * The raw limit: the stored photos' bytes (read first, untimed) PUT to `url` with the engine's
 * top concurrency, one photo per request. With `batched`, the same bytes in the engine's batch
 * bodies (SEND_BYTES each, framed inside the timed window with the engine's blobBatchBody): what
 * the wire allows for the engine's request pattern when the server does no work at all.
 */
async function raw(url: string, batched = false): Promise<{ ms: number; requests: number; bytes: number; concurrency: number }> {
  const all = await getDb().photos.toArray();
  const units = batched ? groupForSending(all.map((p) => ({ p, size: p.bytes.byteLength })), SEND_BYTES).map((g) => g.map((x) => x.p)) : all.map((p) => [p]);
  return putAll(url, units, async (u) => ({
    body: batched ? blobBatchBody(u.map((p) => ({ sha256: p.hash, type: p.type, bytes: new Uint8Array(p.bytes) }))) : u[0]!.bytes,
    type: batched ? BLOB_BATCH_TYPE : u[0]!.type,
    bytes: u.reduce((s, p) => s + p.bytes.byteLength, 0),
  }));
}

/**
 * The tablet's own part of the engine's pattern, with no server work: the photos read back out of
 * IndexedDB inside the timed window (readPhotoBytes, one request's worth at a time, as the engine
 * reads them) into the engine's batch bodies (blobBatchBody), PUT to the bare sink with the same
 * concurrency. Between this and the product server's figure lies the server's work.
 */
async function rawFromStore(url: string): Promise<{ ms: number; requests: number; bytes: number; concurrency: number }> {
  const db = getDb();
  return putAll(url, groupForSending(await db.photoMeta.toArray(), SEND_BYTES), async (u) => {
    const rows = await readPhotoBytes(db, u.map((m) => m.hash));
    const body = blobBatchBody(rows.map((p, i) => ({ sha256: u[i]!.hash, type: p?.type ?? 'image/jpeg', bytes: new Uint8Array(p?.bytes ?? new ArrayBuffer(0)) })));
    return { body, type: BLOB_BATCH_TYPE, bytes: rows.reduce((s, p) => s + (p?.bytes.byteLength ?? 0), 0) };
  });
}

const api = { signIn, capture, recordsFirst, sync, raw, rawFromStore };
export type PhotoBenchApi = typeof api;
(window as unknown as { __photoBench: PhotoBenchApi }).__photoBench = api;
