/**
 * The tablet's HTTP client for the sync protocol (src/shared/protocol.ts). Every answer is
 * validated with the shared zod schemas, and every failure becomes a classified SyncError, so
 * the engine never guesses. Requests time out: a hanging request on lane Wi-Fi must not stall
 * the outbox forever.
 *
 * Auth: `Authorization: Bearer <device token>` plus the acting staff member in
 * `X-Acting-Staff` (shared tablet: the server records who did what).
 */
import {
  PROTOCOL_VERSION,
  pullResponseSchema,
  pushResponseSchema,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../shared/protocol';
import { ACTING_STAFF_HEADER } from '../shared/auth';
import { SyncError } from './syncErrors';

export interface SyncAuth {
  token: string;
  actingStaffId: string | null;
}

export interface SyncApiOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Read at every request, so a user switch or re-login applies at once. */
  auth: () => SyncAuth | null | Promise<SyncAuth | null>;
  timeoutMs?: number;
  blobTimeoutMs?: number;
}

export interface SyncApi {
  push(mutations: Mutation[]): Promise<PushResponse>;
  pull(since: number): Promise<PullResponse>;
  /** true when the server already holds the blob. */
  hasBlob(hash: string): Promise<boolean>;
  putBlob(hash: string, bytes: ArrayBuffer, type: string): Promise<void>;
  /** null when the server does not hold it (yet). */
  getBlob(hash: string): Promise<{ bytes: ArrayBuffer; type: string } | null>;
}

export { ACTING_STAFF_HEADER };

function classify(status: number, body: string): SyncError {
  let detail = `HTTP ${status}`;
  try {
    const j = JSON.parse(body) as { message?: unknown; error?: unknown };
    if (typeof j.message === 'string') detail += `: ${j.message}`;
    else if (typeof j.error === 'string') detail += `: ${j.error}`;
  } catch {
    if (body) detail += `: ${body.slice(0, 200)}`;
  }
  if (status === 401 || status === 403) return new SyncError('auth', detail, status);
  if (status === 408 || status === 429 || status >= 500) return new SyncError('server', detail, status);
  if (status === 404) return new SyncError('protocol', detail, status);
  return new SyncError('refused', detail, status);
}

export function createSyncApi(opts: SyncApiOptions): SyncApi {
  const base = (opts.baseUrl ?? '').replace(/\/$/, '');
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const blobTimeoutMs = opts.blobTimeoutMs ?? 120_000;

  async function request(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string>; timeout?: number } = {}): Promise<Response> {
    const auth = await opts.auth();
    if (!auth) throw new SyncError('auth', 'This tablet has no device session.');
    const headers: Record<string, string> = { Authorization: `Bearer ${auth.token}`, ...init.headers };
    if (auth.actingStaffId) headers[ACTING_STAFF_HEADER] = auth.actingStaffId;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), init.timeout ?? timeoutMs);
    try {
      return await doFetch(`${base}${path}`, { method, headers, body: init.body, signal: ctrl.signal, cache: 'no-store' });
    } catch (e) {
      const aborted = ctrl.signal.aborted;
      throw new SyncError('offline', aborted ? `${method} ${path}: timed out` : `${method} ${path}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function json<T>(res: Response, parse: (v: unknown) => T): Promise<T> {
    const text = await res.text().catch(() => '');
    if (!res.ok) throw classify(res.status, text);
    try {
      return parse(JSON.parse(text));
    } catch (e) {
      throw new SyncError('protocol', `Unexpected answer: ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`, res.status);
    }
  }

  return {
    async push(mutations) {
      const res = await request('POST', '/api/sync/push', {
        body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, mutations }),
        headers: { 'Content-Type': 'application/json' },
      });
      return json(res, (v) => pushResponseSchema.parse(v));
    },
    async pull(since) {
      const res = await request('GET', `/api/sync/pull?since=${encodeURIComponent(String(since))}`);
      return json(res, (v) => pullResponseSchema.parse(v));
    },
    async hasBlob(hash) {
      const res = await request('HEAD', `/api/blobs/${hash}`);
      if (res.ok) return true;
      if (res.status === 404) return false;
      throw classify(res.status, '');
    },
    async putBlob(hash, bytes, type) {
      const res = await request('PUT', `/api/blobs/${hash}`, {
        body: new Uint8Array(bytes),
        headers: { 'Content-Type': type },
        timeout: blobTimeoutMs,
      });
      if (!res.ok) throw classify(res.status, await res.text().catch(() => ''));
      await res.arrayBuffer().catch(() => undefined);
    },
    async getBlob(hash) {
      const res = await request('GET', `/api/blobs/${hash}`, { timeout: blobTimeoutMs });
      if (res.status === 404) {
        await res.arrayBuffer().catch(() => undefined);
        return null;
      }
      if (!res.ok) throw classify(res.status, await res.text().catch(() => ''));
      let bytes: ArrayBuffer;
      try {
        bytes = await res.arrayBuffer();
      } catch (e) {
        throw new SyncError('offline', `GET blob ${hash.slice(0, 12)}: ${e instanceof Error ? e.message : String(e)}`);
      }
      return { bytes, type: res.headers.get('Content-Type')?.split(';')[0]?.trim() || 'application/octet-stream' };
    },
  };
}
