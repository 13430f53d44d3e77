/**
 * The sync protocol's calls (src/shared/protocol.ts) over the tablet's one HTTP client
 * (http.ts: its timeouts, its classification). Every answer is validated with the shared zod
 * schemas, and every failure becomes a SyncError of the same kind, so the engine never guesses:
 * a timeout counts as offline (retried with backoff), a refusal is quarantined.
 */
import {
  PROTOCOL_VERSION,
  blobsMissingResponseSchema,
  pullResponseSchema,
  pushResponseSchema,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../shared/protocol';
import { vehiclePullResponseSchema, type VehiclePullResponse } from '../model/vehicle/schema';
import { SyncError, type SyncErrorKind } from './syncErrors';
import { ACTING_STAFF_HEADER } from '../shared/headers';
import { httpRequest, type HttpFailure, type HttpMethod, type HttpRequest } from './http';
import { BLOB_BATCH_TYPE, blobBatchResponseSchema, blobBatchBody, type BlobBatchResult } from '../shared/blobBatch';

export interface SyncAuth {
  token: string;
  actingStaffId: string | null;
}

export interface SyncApiOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Read at every request, so a user switch or re-login applies at once. */
  auth: () => SyncAuth | null | Promise<SyncAuth | null>;
  /** Override http.ts's timeout policy (tests). */
  timeoutMs?: number;
  blobTimeoutMs?: number;
}

export interface SyncApi {
  push(mutations: Mutation[]): Promise<PushResponse>;
  pull(since: number): Promise<PullResponse>;
  /** true when the server already holds the blob. */
  hasBlob(hash: string): Promise<boolean>;
  /** Which of these hashes the server does not hold (one request, at most MAX_MISSING_QUERY hashes). */
  missingBlobs(hashes: string[]): Promise<string[]>;
  putBlob(hash: string, bytes: ArrayBuffer, type: string): Promise<void>;
  /**
   * Several photos in one request (POST /api/blobs/batch): one result per photo, in order; a
   * refused photo does not fail the call. Optional: without it the upload loop PUTs one by one.
   */
  putBlobs?(items: { hash: string; bytes: ArrayBuffer; type: string }[]): Promise<BlobBatchResult[]>;
  /** null when the server does not hold it (yet). */
  getBlob(hash: string): Promise<{ bytes: ArrayBuffer; type: string } | null>;
  /** The vehicle index after a cursor (issue 11); null when the server has no index (404).
   *  Optional: an API without it (a test fake) simply leaves the index alone. */
  pullVehicles?(since: number): Promise<VehiclePullResponse | null>;
}

export { ACTING_STAFF_HEADER };

/** The SyncError for a failed exchange: the same kind, except that a timeout is "offline". */
export function syncErrorOf(f: HttpFailure): SyncError {
  const kind: SyncErrorKind = f.kind === 'timeout' ? 'offline' : f.kind;
  const detail = f.status ? `HTTP ${f.status}${f.message ? `: ${f.message}` : ''}` : f.message;
  return new SyncError(kind, detail, f.status || null);
}

export function createSyncApi(opts: SyncApiOptions): SyncApi {
  const config = { ...(opts.baseUrl !== undefined && { baseUrl: opts.baseUrl }), ...(opts.fetch && { fetch: opts.fetch }) };

  async function call<T>(method: HttpMethod, path: string, req: Omit<HttpRequest<T>, 'auth' | 'config'>, blob = false): Promise<{ status: number; data: T; headers: Headers }> {
    const auth = await opts.auth();
    if (!auth) throw new SyncError('auth', 'This tablet has no device session.');
    const timeoutMs = blob ? opts.blobTimeoutMs : opts.timeoutMs;
    const r = await httpRequest(method, path, { ...req, auth, config, ...(timeoutMs !== undefined && { timeoutMs }) });
    if (!r.ok) throw syncErrorOf(r);
    return r;
  }

  return {
    async push(mutations) {
      return (await call('POST', '/api/sync/push', { json: { protocolVersion: PROTOCOL_VERSION, mutations }, answer: { schema: pushResponseSchema } })).data;
    },
    async pull(since) {
      return (await call('GET', `/api/sync/pull?since=${encodeURIComponent(String(since))}`, { answer: { schema: pullResponseSchema } })).data;
    },
    async hasBlob(hash) {
      return (await call('HEAD', `/api/blobs/${hash}`, { answer: 'none', accept: [404] })).status !== 404;
    },
    async missingBlobs(hashes) {
      return (await call('POST', '/api/blobs/missing', { json: { hashes }, answer: { schema: blobsMissingResponseSchema } })).data.missing;
    },
    async putBlob(hash, bytes, type) {
      await call('PUT', `/api/blobs/${hash}`, { bytes: { data: bytes, type }, answer: 'none' }, true);
    },
    async putBlobs(items) {
      const parts = items.map((i) => ({ sha256: i.hash, type: i.type, bytes: new Uint8Array(i.bytes) }));
      const r = await call('POST', '/api/blobs/batch', { bytes: { data: blobBatchBody(parts), type: BLOB_BATCH_TYPE }, answer: { schema: blobBatchResponseSchema } }, true);
      const results = r.data.results;
      if (results.length !== items.length || results.some((x, i) => x.sha256 !== items[i]!.hash)) {
        throw new SyncError('protocol', 'POST /api/blobs/batch: the answer does not list the photos sent, in order');
      }
      return results;
    },
    async getBlob(hash) {
      const r = await call<ArrayBuffer>('GET', `/api/blobs/${hash}`, { answer: 'bytes', accept: [404] }, true);
      if (r.status === 404) return null;
      return { bytes: r.data, type: r.headers.get('Content-Type')?.split(';')[0]?.trim() || 'application/octet-stream' };
    },
    async pullVehicles(since) {
      // The largest page the server gives (VEHICLE_PULL_MAX_LIMIT): a new tablet's first index sync in few requests.
      const r = await call('GET', `/api/sync/vehicles?since=${encodeURIComponent(String(since))}&limit=5000`, { answer: { schema: vehiclePullResponseSchema }, accept: [404] });
      return r.status === 404 ? null : r.data;
    },
  };
}
