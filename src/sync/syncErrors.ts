/**
 * What can go wrong during a sync run, classified so the UI can say it in words and the engine
 * knows whether to retry. `kind` maps to a translated message (sync.error_<kind>); `detail` is the
 * technical text shown under it for support.
 */
export type SyncErrorKind =
  /** No answer at all: no network, DNS, connection reset, timeout. Retried with backoff. */
  | 'offline'
  /** The server answered 5xx, 429 or 408: busy or down. Retried with backoff. */
  | 'server'
  /** 401/403: the device session was revoked or expired. Data stays; staff must sign in again. */
  | 'auth'
  /** The server refused this request as invalid (4xx). The payload is quarantined, not retried. */
  | 'refused'
  /** The answer did not match the protocol (wrong server, proxy page). Retried with backoff. */
  | 'protocol'
  /** A photo could not be uploaded or read back intact. */
  | 'photo';

export class SyncError extends Error {
  readonly kind: SyncErrorKind;
  readonly status: number | null;
  constructor(kind: SyncErrorKind, detail: string, status: number | null = null) {
    super(detail);
    this.name = 'SyncError';
    this.kind = kind;
    this.status = status;
  }
  get retryable(): boolean {
    return this.kind === 'offline' || this.kind === 'server' || this.kind === 'protocol' || this.kind === 'photo';
  }
}

export function toSyncError(e: unknown): SyncError {
  if (e instanceof SyncError) return e;
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new SyncError('offline', msg);
}

/** A stored, serialisable description of the last problem (kv 'sync.status'). */
export interface SyncProblem {
  kind: SyncErrorKind;
  detail: string;
  at: string;
}
