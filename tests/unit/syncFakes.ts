// Test helpers for the sync engine: a scriptable fake SyncApi that records what it was sent.
import type { SyncApi } from '../../src/sync/syncApi';
import type { Mutation, MutationResult, PullResponse } from '../../src/shared/protocol';
import { SyncError } from '../../src/sync/syncErrors';

export interface FakeApi extends SyncApi {
  pushed: Mutation[][];
  blobs: Map<string, { bytes: ArrayBuffer; type: string }>;
  puts: string[];
  /** Every missingBlobs ask, the hashes asked. */
  asks: string[][];
  /** Most PUTs in flight at once. */
  maxInFlight: number;
  /** Resolve PUTs after this many ms (0: at once), so concurrency shows. */
  putDelayMs: number;
  pulls: number[];
  /** Decide the answer for each mutation; default applied with sectionRev 1. */
  answer: (m: Mutation) => MutationResult | undefined;
  pages: PullResponse[];
  offline: boolean;
  failPut?: (hash: string) => SyncError | null;
}

export function fakeApi(): FakeApi {
  let inFlight = 0;
  const api: FakeApi = {
    pushed: [],
    blobs: new Map(),
    puts: [],
    asks: [],
    maxInFlight: 0,
    putDelayMs: 0,
    pulls: [],
    pages: [],
    offline: false,
    answer: (m) => ({ mutationId: m.id, status: 'applied', sectionRev: m.op === 'patch' ? 1 : undefined }),
    async push(mutations) {
      if (api.offline) throw new SyncError('offline', 'fetch failed');
      api.pushed.push(mutations);
      return { results: mutations.map((m) => api.answer(m)).filter((r): r is MutationResult => !!r) };
    },
    async pull(since) {
      if (api.offline) throw new SyncError('offline', 'fetch failed');
      api.pulls.push(since);
      return api.pages.shift() ?? { changes: [], cursor: since, more: false };
    },
    async hasBlob(hash) {
      if (api.offline) throw new SyncError('offline', 'fetch failed');
      return api.blobs.has(hash);
    },
    async missingBlobs(hashes) {
      if (api.offline) throw new SyncError('offline', 'fetch failed');
      api.asks.push(hashes);
      return hashes.filter((h) => !api.blobs.has(h));
    },
    async putBlob(hash, bytes, type) {
      if (api.offline) throw new SyncError('offline', 'fetch failed');
      inFlight++;
      api.maxInFlight = Math.max(api.maxInFlight, inFlight);
      try {
        if (api.putDelayMs) await new Promise((r) => setTimeout(r, api.putDelayMs));
        const err = api.failPut?.(hash);
        if (err) throw err;
        api.puts.push(hash);
        api.blobs.set(hash, { bytes, type });
      } finally {
        inFlight--;
      }
    },
    async getBlob(hash) {
      if (api.offline) throw new SyncError('offline', 'fetch failed');
      return api.blobs.get(hash) ?? null;
    },
  };
  return api;
}

export function pngBytes(seed: number): ArrayBuffer {
  const b = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, seed & 255, (seed >> 8) & 255, 1, 2, 3]);
  return b.buffer;
}
