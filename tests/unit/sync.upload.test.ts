// The photo upload loop: batches asked once, several PUTs in flight, adaptive window, no HEAD.
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { createIntake, updateSection } from '../../src/store/intakeWrites';
import { savePhoto } from '../../src/store/photoStore';
import { unsentPhotos } from '../../src/store/photoQueue';
import { uploadPhotos, UPLOAD_BATCH, UPLOAD_WINDOW_MAX, UPLOAD_WINDOW_START, type UploadProgress } from '../../src/sync/uploadPhotos';
import { SyncError } from '../../src/sync/syncErrors';
import { fakeApi, pngBytes } from './syncFakes';

const advisor = { id: 'adv-1', name: '李顾问' };

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

/** An intake whose cabin items refer to `n` photos (seeds from `seed`). */
async function intakeWithPhotos(n: number, seed: number): Promise<string[]> {
  const a = await createIntake(advisor);
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) hashes.push((await savePhoto({ intakeId: a.id, bytes: pngBytes(seed + i), type: 'image/png', width: 4, height: 3 })).hash);
  const items = { ...a.cabin.items };
  // At most 10 photos per item: spread them over the items.
  Object.keys(items).forEach((k, i) => {
    const mine = hashes.slice(i * 10, i * 10 + 10);
    if (mine.length) items[k] = { status: 'issue', note: '划痕', photos: mine };
  });
  if (hashes.length > Object.keys(items).length * 10) throw new Error('too many photos for one intake');
  await updateSection(a.id, 'cabin', { consent: true, items });
  return hashes;
}

async function uploadedFlags(hashes: string[]): Promise<number[]> {
  return Promise.all(hashes.map(async (h) => (await unsentPhotos(getDb())).some((p) => p.hash === h) ? 0 : 1));
}

describe('uploadPhotos', () => {
  it('asks once per batch, never HEADs, and keeps several PUTs in flight', async () => {
    const hashes = [...(await intakeWithPhotos(40, 1000)), ...(await intakeWithPhotos(40, 2000))];
    const api = fakeApi();
    api.putDelayMs = 5;
    let heads = 0;
    api.hasBlob = async () => {
      heads++;
      return false;
    };
    const seen: UploadProgress[] = [];
    const r = await uploadPhotos({ db: getDb(), api, onProgress: (p) => seen.push(p) });
    expect(r.uploaded).toBe(80);
    expect(heads).toBe(0);
    expect(api.asks.length).toBe(Math.ceil(80 / UPLOAD_BATCH));
    expect(api.asks.flat().sort()).toEqual([...hashes].sort());
    expect(api.puts.sort()).toEqual([...hashes].sort());
    expect(r.requests).toBe(80 + api.asks.length);
    expect(api.maxInFlight).toBeGreaterThan(1);
    expect(api.maxInFlight).toBeLessThanOrEqual(UPLOAD_WINDOW_MAX);
    expect(await unsentPhotos(getDb())).toEqual([]);
    // Progress: photos and bytes, ending complete.
    const last = seen.at(-1)!;
    expect(last.done).toBe(80);
    expect(last.total).toBe(80);
    expect(last.bytesDone).toBe(80 * pngBytes(0).byteLength);
  });

  it('does not PUT what the server already holds, and marks it uploaded', async () => {
    const hashes = await intakeWithPhotos(5, 3000);
    const api = fakeApi();
    api.blobs.set(hashes[1]!, { bytes: pngBytes(3001), type: 'image/png' });
    api.blobs.set(hashes[3]!, { bytes: pngBytes(3003), type: 'image/png' });
    await uploadPhotos({ db: getDb(), api });
    expect(api.puts.sort()).toEqual([hashes[0], hashes[2], hashes[4]].sort());
    expect(await uploadedFlags(hashes)).toEqual([1, 1, 1, 1, 1]);
  });

  it('a transient failure with others in flight drops to one at a time and retries that photo alone', async () => {
    const hashes = await intakeWithPhotos(12, 4000);
    const api = fakeApi();
    api.putDelayMs = 3;
    const failed = hashes[2]!;
    let failures = 0;
    let inFlightAtRetry = -1;
    let current = 0;
    const put = api.putBlob;
    api.putBlob = async (h, b, t) => {
      current++;
      try {
        if (h === failed && failures === 0) {
          failures++;
          throw new SyncError('server', 'HTTP 503', 503);
        }
        if (h === failed) inFlightAtRetry = current;
        return await put(h, b, t);
      } finally {
        current--;
      }
    };
    const r = await uploadPhotos({ db: getDb(), api });
    expect(UPLOAD_WINDOW_START).toBeGreaterThan(1);
    expect(r.uploaded).toBe(12);
    expect(r.problem).toBeNull();
    expect(inFlightAtRetry).toBe(1); // the retry went alone
    expect(api.puts).toContain(failed);
    expect(await unsentPhotos(getDb())).toEqual([]);
  });

  it('a network failure that persists stops the phase; nothing is marked that did not arrive', async () => {
    const hashes = await intakeWithPhotos(10, 5000);
    const api = fakeApi();
    api.putDelayMs = 2;
    let n = 0;
    api.failPut = () => (++n > 3 ? new SyncError('offline', 'connection refused') : null);
    await expect(uploadPhotos({ db: getDb(), api })).rejects.toMatchObject({ kind: 'offline' });
    const left = new Set((await unsentPhotos(getDb())).map((p) => p.hash));
    for (const h of hashes) expect(left.has(h)).toBe(!api.blobs.has(h));
    expect(left.size).toBeGreaterThan(0);
    // The next run sends the rest.
    api.failPut = undefined;
    await uploadPhotos({ db: getDb(), api });
    expect(await unsentPhotos(getDb())).toEqual([]);
    expect([...api.blobs.keys()].sort()).toEqual([...hashes].sort());
  });

  it('a photo the server refuses is reported; the others go on', async () => {
    const hashes = await intakeWithPhotos(6, 6000);
    const api = fakeApi();
    api.failPut = (h) => (h === hashes[4] ? new SyncError('refused', 'HTTP 415: not an image', 415) : null);
    const r = await uploadPhotos({ db: getDb(), api });
    expect(r.uploaded).toBe(5);
    expect(r.problem?.kind).toBe('photo');
    expect(r.failedIntakes.size).toBe(1);
    expect((await unsentPhotos(getDb())).map((p) => p.hash)).toEqual([hashes[4]]);
  });
});
