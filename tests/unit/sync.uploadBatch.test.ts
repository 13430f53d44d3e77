// The photo upload loop over the batch call: several photos per request up to a byte budget,
// several requests in flight, a refused photo reported while the rest of its request is kept.
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { savePhoto } from '../../src/store/photoStore';
import { isPhotoUploaded, unsentPhotos } from '../../src/store/photoQueue';
import { SEND_BYTES, SEND_BYTES_START, SEND_MAX_PHOTOS, UPLOAD_WINDOW_MAX, uploadPhotos } from '../../src/sync/uploadPhotos';
import { SyncError } from '../../src/sync/syncErrors';
import { fakeBatchApi } from './syncFakesBatch';

const advisor = { id: 'adv-1', name: '李顾问' };
const PHOTO = 400 * 1024;

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

/** A JPEG-looking photo of `size` bytes, unique per seed. */
function photo(seed: number, size = PHOTO): ArrayBuffer {
  const b = new Uint8Array(size);
  b.set([0xff, 0xd8, 0xff, 0xe0, seed & 255, (seed >> 8) & 255, (seed >> 16) & 255]);
  return b.buffer;
}

async function intakeWithPhotos(n: number, seed: number, size = PHOTO): Promise<string[]> {
  const a = await createIntake(advisor);
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) hashes.push((await savePhoto({ intakeId: a.id, bytes: photo(seed + i, size), type: 'image/jpeg', width: 4, height: 3 })).hash);
  const items = { ...a.cabin.items };
  Object.keys(items).forEach((k, i) => {
    const mine = hashes.slice(i * 10, i * 10 + 10);
    if (mine.length) items[k] = { status: 'issue', note: '划痕', photos: mine };
  });
  await updateSection(a.id, 'cabin', { consent: true, items });
  return hashes;
}

describe('uploadPhotos with several photos per request', () => {
  it('fills requests up to the byte budget, keeps several in flight, sends no single PUT', async () => {
    const hashes: string[] = [];
    for (let k = 0; k < 4; k++) hashes.push(...(await intakeWithPhotos(15, 10_000 * (k + 1))));
    const api = fakeBatchApi();
    api.putDelayMs = 5;
    const r = await uploadPhotos({ db: getDb(), api });
    expect(r.uploaded).toBe(60);
    expect(r.problem).toBeNull();
    expect(api.puts).toEqual([]);
    expect(api.batches.flat().sort()).toEqual([...hashes].sort());
    // The first requests at the starting budget; on a fast link the budget grows to its top.
    expect(api.batches[0]!.length).toBe(Math.floor(SEND_BYTES_START / PHOTO));
    expect(api.batches.every((b) => b.length <= Math.min(SEND_MAX_PHOTOS, Math.floor(SEND_BYTES / PHOTO)))).toBe(true);
    expect(Math.max(...api.batches.map((b) => b.length))).toBe(Math.floor(SEND_BYTES / PHOTO));
    expect(api.batches.length).toBeLessThan(60 / 4);
    expect(r.requests).toBe(api.batches.length + api.asks.length);
    expect(api.maxBatchesInFlight).toBeGreaterThan(1);
    expect(api.maxBatchesInFlight).toBeLessThanOrEqual(UPLOAD_WINDOW_MAX);
    expect(await unsentPhotos(getDb())).toEqual([]);
  });

  it('on a slow link the requests shrink, so none comes near its timeout; every photo still goes once', async () => {
    const hashes: string[] = [];
    for (let k = 0; k < 10; k++) hashes.push(...(await intakeWithPhotos(16, 40_000 + k * 100, 128 * 1024)));
    const api = fakeBatchApi();
    // 64 KB per ms and requests meant to last 5 ms: about 320 KB each once the rate is seen.
    api.bytesPerMs = 64 * 1024;
    const r = await uploadPhotos({ db: getDb(), api, sendSeconds: 0.005 });
    expect(r.uploaded).toBe(160);
    expect(api.batches.flat().sort()).toEqual([...hashes].sort());
    expect(Math.max(...api.batchBytes)).toBe(SEND_BYTES_START);
    expect(Math.max(...api.batchBytes.slice(-3))).toBeLessThanOrEqual(SEND_BYTES_START / 2);
    expect(Math.min(...api.batchBytes)).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('a photo larger than the budget goes in a request of its own', async () => {
    const small = await intakeWithPhotos(3, 30_000, 100 * 1024);
    const big = await intakeWithPhotos(1, 31_000, SEND_BYTES + 1);
    const api = fakeBatchApi();
    await uploadPhotos({ db: getDb(), api });
    expect(api.batches).toContainEqual(big);
    expect(api.batches.flat().sort()).toEqual([...small, ...big].sort());
  });

  it('a photo the server refuses is reported and stays unsent; the rest of its request is kept', async () => {
    const hashes = await intakeWithPhotos(6, 40_000, 100 * 1024);
    const api = fakeBatchApi();
    const bad = hashes[2]!;
    api.refusePhoto = (h) => (h === bad ? { error: 'type_mismatch', message: 'declared image/jpeg but the bytes are image/png' } : null);
    const r = await uploadPhotos({ db: getDb(), api });
    expect(api.batches.length).toBe(1); // all six in one request
    expect(r.uploaded).toBe(5);
    expect(r.problem?.kind).toBe('photo');
    expect(r.problem?.message).toContain('type_mismatch');
    expect(r.failedIntakes.size).toBe(1);
    expect((await unsentPhotos(getDb())).map((p) => p.hash)).toEqual([bad]);
    for (const h of hashes) expect(await isPhotoUploaded(getDb(), h)).toBe(h !== bad);
  });

  it('a request that fails transiently is sent again alone; every photo arrives once marked', async () => {
    const hashes = await intakeWithPhotos(20, 50_000);
    const api = fakeBatchApi();
    api.putDelayMs = 3;
    let failedOnce = false;
    api.failBatch = (n) => {
      if (n === 2 && !failedOnce) {
        failedOnce = true;
        return new SyncError('server', 'HTTP 503', 503);
      }
      return null;
    };
    const r = await uploadPhotos({ db: getDb(), api });
    expect(failedOnce).toBe(true);
    expect(r.uploaded).toBe(20);
    expect(r.problem).toBeNull();
    expect([...api.blobs.keys()].sort()).toEqual([...hashes].sort());
    expect(await unsentPhotos(getDb())).toEqual([]);
  });

  it('a lost connection stops the phase; only what the server answered for is marked; the next run sends the rest', async () => {
    const hashes = await intakeWithPhotos(20, 60_000);
    const api = fakeBatchApi();
    api.putDelayMs = 2;
    api.failBatch = (n) => (n > 2 ? new SyncError('offline', 'connection refused') : null);
    await expect(uploadPhotos({ db: getDb(), api })).rejects.toMatchObject({ kind: 'offline' });
    const left = new Set((await unsentPhotos(getDb())).map((p) => p.hash));
    for (const h of hashes) expect(left.has(h)).toBe(!api.blobs.has(h));
    expect(left.size).toBeGreaterThan(0);
    api.failBatch = undefined;
    await uploadPhotos({ db: getDb(), api });
    expect(await unsentPhotos(getDb())).toEqual([]);
    expect([...api.blobs.keys()].sort()).toEqual([...hashes].sort());
  });
});
