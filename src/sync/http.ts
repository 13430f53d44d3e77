/**
 * The tablet's one HTTP client: every call to the server (sync, blobs, login, PIN proofs,
 * manager tools) goes through `httpRequest`, with one timeout policy and one classification of
 * what went wrong. Failures come back as values, never throws, so each caller decides: sync
 * turns them into SyncErrors (retry or quarantine), the auth screens into words.
 *
 * Classification (classifyStatus):
 *   offline   no answer at all: no network, DNS, connection reset (status 0)
 *   timeout   no complete answer within the timeout (status 0); lane Wi-Fi hangs rather than fails
 *   auth      401 / 403: the device session or the staff member is not accepted
 *   server    5xx, 408, 429: busy or down, worth retrying later
 *   refused   any other 4xx: the server refused this request, with its reason (`error` code and
 *             `message` from its JSON answer)
 *   protocol  404 (no such route: wrong server or version), or an answer that is not what the
 *             protocol promises (a captive portal's HTML page, a body failing the zod schema)
 *
 * Timeout policy: the timeout covers the whole exchange, answer body included (a stalled body
 * is as bad as a stalled connect): REQUEST_TIMEOUT_MS for JSON calls, BLOB_TIMEOUT_MS for photo
 * bytes.
 *
 * Auth: `Authorization: Bearer <device token>` plus the acting staff member in
 * `X-Acting-Staff` (shared tablet: the server records who did what).
 */
import type { ZodType } from 'zod';
import { ACTING_STAFF_HEADER } from '../shared/headers';

export const REQUEST_TIMEOUT_MS = 30_000;
export const BLOB_TIMEOUT_MS = 120_000;

export type HttpErrorKind = 'offline' | 'timeout' | 'auth' | 'server' | 'refused' | 'protocol';

export interface HttpConfig {
  baseUrl: string;
  fetch: typeof fetch;
}

const defaults: HttpConfig = { baseUrl: '', fetch: (...a) => globalThis.fetch(...a) };

/** Where requests go now (the event stream reads its own streamed body, not through httpRequest). */
export function currentHttpConfig(): HttpConfig {
  return { ...defaults };
}

/** Tests and the e2e harness point the tablet at another server. */
export function configureHttp(c: Partial<HttpConfig>): void {
  Object.assign(defaults, c);
}

export interface HttpAuth {
  token: string;
  actingStaffId?: string | null;
}

export interface HttpFailure {
  ok: false;
  kind: HttpErrorKind;
  /** The HTTP status, 0 when no answer arrived. */
  status: number;
  /** The server's error code (`error` in its JSON answer), else `http_<status>` or the kind. */
  error: string;
  /** The server's reason (`message`), or the technical detail. */
  message: string;
  /** The server's JSON answer, {} when there was none. */
  body: Record<string, unknown>;
}

export type HttpOutcome<T> = { ok: true; status: number; data: T; headers: Headers } | HttpFailure;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT';

export interface HttpRequest<T> {
  /** A JSON body (sent as application/json) … */
  json?: unknown;
  /** … or raw bytes with their type. */
  bytes?: { data: ArrayBuffer | Blob; type: string };
  auth?: HttpAuth | null;
  /** How to read a successful answer: validated JSON, bytes, or nothing. */
  answer: { schema: ZodType<T> } | 'bytes' | 'none';
  timeoutMs?: number;
  /** Statuses that are answers, not failures (HEAD/GET of a blob: 404 means "not there"). */
  accept?: readonly number[];
  config?: Partial<HttpConfig>;
}

export function classifyStatus(status: number): Exclude<HttpErrorKind, 'offline' | 'timeout'> {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 429 || status >= 500) return 'server';
  if (status === 404) return 'protocol';
  return 'refused';
}

/** No answer arrived (offline or timed out): nothing is known about the server's view. */
export function noAnswer(f: HttpFailure): boolean {
  return f.kind === 'offline' || f.kind === 'timeout';
}

function failure(kind: HttpErrorKind, status: number, message: string, body: Record<string, unknown> = {}, error?: string): HttpFailure {
  return { ok: false, kind, status, error: error ?? (status ? `http_${status}` : kind), message, body };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return undefined;
  }
}

export async function httpRequest<T>(method: HttpMethod, path: string, req: HttpRequest<T>): Promise<HttpOutcome<T>> {
  const cfg = { ...defaults, ...req.config };
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (req.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(req.json);
  } else if (req.bytes) {
    headers['Content-Type'] = req.bytes.type;
    body = req.bytes.data instanceof Blob ? req.bytes.data : new Uint8Array(req.bytes.data);
  }
  if (req.auth?.token) headers.Authorization = `Bearer ${req.auth.token}`;
  if (req.auth?.actingStaffId) headers[ACTING_STAFF_HEADER] = req.auth.actingStaffId;
  const timeoutMs = req.timeoutMs ?? (req.bytes || req.answer === 'bytes' ? BLOB_TIMEOUT_MS : REQUEST_TIMEOUT_MS);
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  const what = `${method} ${path}`;
  const lost = (e: unknown): HttpFailure =>
    ctrl.signal.aborted
      ? failure('timeout', 0, `${what}: timed out after ${Math.round(timeoutMs / 1000)} s`)
      : failure('offline', 0, `${what}: ${e instanceof Error ? e.message : String(e)}`);
  try {
    let res: Response;
    try {
      res = await cfg.fetch(`${cfg.baseUrl.replace(/\/$/, '')}${path}`, { method, headers, body, signal: ctrl.signal, cache: 'no-store' });
    } catch (e) {
      return lost(e);
    }
    const accepted = res.ok || (req.accept ?? []).includes(res.status);
    if (accepted && (req.answer === 'bytes' || req.answer === 'none')) {
      let bytes: ArrayBuffer;
      try {
        bytes = await res.arrayBuffer();
      } catch (e) {
        return lost(e);
      }
      return { ok: true, status: res.status, data: (req.answer === 'bytes' ? bytes : undefined) as T, headers: res.headers };
    }
    let text: string;
    try {
      text = method === 'HEAD' ? '' : await res.text();
    } catch (e) {
      return lost(e);
    }
    const json = parseJson(text);
    if (!accepted) {
      const obj = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
      const code = typeof obj.error === 'string' ? obj.error : undefined;
      const reason = typeof obj.message === 'string' ? obj.message : (code ?? text.slice(0, 200));
      return failure(classifyStatus(res.status), res.status, reason, obj, code);
    }
    if (typeof req.answer !== 'object') return { ok: true, status: res.status, data: undefined as T, headers: res.headers };
    // An accepted error status (e.g. 404 "this server has no such route") carries no typed answer:
    // its body is the server's error, not the schema's shape. The caller tells it by `status`.
    if (!res.ok) return { ok: true, status: res.status, data: undefined as T, headers: res.headers };
    if (json === undefined) return failure('protocol', res.status, `${what}: the answer is not JSON: ${text.slice(0, 80)}`, {}, 'protocol');
    const parsed = req.answer.schema.safeParse(json);
    if (!parsed.success) return failure('protocol', res.status, `${what}: unexpected answer: ${parsed.error.message.slice(0, 300)}`, {}, 'protocol');
    return { ok: true, status: res.status, data: parsed.data, headers: res.headers };
  } finally {
    clearTimeout(timer);
  }
}
