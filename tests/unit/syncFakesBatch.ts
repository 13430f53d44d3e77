// The fake SyncApi of syncFakes.ts with the batch call (POST /api/blobs/batch) added: records each
// request's hashes, refuses photos the test names, fails whole requests on demand.
import { fakeApi, type FakeApi } from './syncFakes';
import { SyncError } from '../../src/sync/syncErrors';
import type { BlobBatchResult } from '../../src/shared/blobBatch';

export interface FakeBatchApi extends FakeApi {
  /** The hashes of each batch request, in the order sent. */
  batches: string[][];
  /** Most batch requests in flight at once. */
  maxBatchesInFlight: number;
  /** A per-photo refusal the server would answer (the rest of the request is stored). */
  refusePhoto?: (hash: string) => { error: string; message: string } | null;
  /** Bytes of each batch request, in the order sent. */
  batchBytes: number[];
  /** A link of this many bytes per millisecond: each request takes its bytes / rate (besides putDelayMs). */
  bytesPerMs?: number;
  /** A failure of the whole request (n: the batch request's number, from 1). */
  failBatch?: (n: number, hashes: string[]) => SyncError | null;
}

export function fakeBatchApi(): FakeBatchApi {
  const api = fakeApi() as FakeBatchApi;
  api.batches = [];
  api.batchBytes = [];
  api.maxBatchesInFlight = 0;
  let inFlight = 0;
  let n = 0;
  api.putBlobs = async (items) => {
    if (api.offline) throw new SyncError('offline', 'fetch failed');
    const hashes = items.map((i) => i.hash);
    const no = ++n;
    inFlight++;
    api.maxBatchesInFlight = Math.max(api.maxBatchesInFlight, inFlight);
    try {
      if (api.putDelayMs) await new Promise((r) => setTimeout(r, api.putDelayMs));
      const bytes = items.reduce((s, i) => s + i.bytes.byteLength, 0);
      if (api.bytesPerMs) await new Promise((r) => setTimeout(r, bytes / api.bytesPerMs!));
      const err = api.failBatch?.(no, hashes);
      if (err) throw err;
      api.batches.push(hashes);
      api.batchBytes.push(bytes);
      return items.map((i): BlobBatchResult => {
        const refusal = api.refusePhoto?.(i.hash);
        if (refusal) return { sha256: i.hash, status: 'refused', ...refusal };
        const had = api.blobs.has(i.hash);
        api.blobs.set(i.hash, { bytes: i.bytes, type: i.type });
        return { sha256: i.hash, status: had ? 'already' : 'stored' };
      });
    } finally {
      inFlight--;
    }
  };
  return api;
}
