/**
 * The tablet's end of GET /api/sync/events: "something new at seq N" from the server, so the
 * engine pulls at once instead of at its next poll. Read with fetch() and a streamed body, not
 * EventSource, because the device token goes in the Authorization header (EventSource cannot
 * send headers, and a token in the URL would end up in logs).
 *
 *  - open:      `hello` {seq} arrived; the engine syncs (what happened while it was away).
 *  - change:    a hint {seq}; the engine pulls if its cursor is below it.
 *  - closed:    connection lost, ended by the server (`bye`), or silent for longer than
 *               WATCHDOG_FACTOR heartbeats (a proxy or lane Wi-Fi that hangs instead of failing).
 *               Reconnects after a short backoff with jitter (RECONNECT_BASE_MS doubling to
 *               RECONNECT_CAP_MS), so a server back from a restart is noticed within seconds;
 *               offline (navigator.onLine false) it waits for the 'online' event instead.
 *  - refused:   401/403 (session revoked, staff not unlocked): retried slowly (the engine's own
 *               requests show the reason); 404 (an older server without the route) and 429:
 *               retried after minutes. Polling stays the fallback in every case.
 *
 * Nothing here touches IndexedDB; it only tells the engine.
 */
import { ACTING_STAFF_HEADER } from '../shared/headers';
import { currentHttpConfig } from './http';
import type { SyncAuth } from './syncApi';

export const RECONNECT_BASE_MS = 500;
export const RECONNECT_CAP_MS = 3_000;
export const REFUSED_RETRY_MS = 60_000;
export const UNSUPPORTED_RETRY_MS = 5 * 60_000;
/** No byte for this many heartbeats: the connection is taken for dead. */
export const WATCHDOG_FACTOR = 2.5;
const DEFAULT_HEARTBEAT_MS = 15_000;

export interface ChangeStreamOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  auth: () => Promise<SyncAuth | null>;
  random?: () => number;
  /** `pollMs`: how often the server wants this tablet to poll while the stream is open. */
  onOpen(head: number, hello: { pollMs: number | null }): void;
  onChange(seq: number): void;
  onClosed?(why: string): void;
}

export interface ChangeStreamHandle {
  readonly connected: boolean;
  /** Reconnect now (e.g. the browser came online, the page became visible). */
  kick(): void;
  close(): void;
}

/** Delay before reconnect attempt `n` (1-based): equal jitter between half and all of the step. */
export function reconnectDelay(n: number, random: () => number = Math.random): number {
  const exp = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, n - 1));
  return Math.round(exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random())));
}

interface Frame {
  event: string;
  data: string;
}

/** Split SSE text into frames; returns the frames and the unfinished rest. */
export function parseSse(buffer: string): { frames: Frame[]; rest: string } {
  const frames: Frame[] = [];
  const text = buffer.replace(/\r\n?/g, '\n');
  let start = 0;
  for (;;) {
    const cut = text.indexOf('\n\n', start);
    if (cut < 0) break;
    let event = 'message';
    const data: string[] = [];
    for (const line of text.slice(start, cut).split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) frames.push({ event, data: data.join('\n') });
    start = cut + 2;
  }
  return { frames, rest: text.slice(start) };
}

function field(data: string, name: string): unknown {
  try {
    const v: unknown = JSON.parse(data);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined;
  } catch {
    return undefined;
  }
}

function seqIn(data: string): number | null {
  const v = field(data, 'seq');
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

export function openChangeStream(opts: ChangeStreamOptions): ChangeStreamHandle {
  const random = opts.random ?? Math.random;
  let closed = false;
  let connected = false;
  let attempt = 0;
  let ctrl: AbortController | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let running = false;

  const onOnline = () => handle.kick();
  if (typeof window !== 'undefined') window.addEventListener('online', onOnline);

  function later(ms: number): void {
    if (closed) return;
    if (retry) clearTimeout(retry);
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, ms);
  }

  async function connect(): Promise<void> {
    if (closed || running) return;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return; // 'online' kicks
    running = true;
    let why = 'ended';
    let wait: number | null = null;
    try {
      const auth = await opts.auth().catch(() => null);
      if (!auth) {
        wait = REFUSED_RETRY_MS;
        why = 'no session';
        return;
      }
      const cfg = { ...currentHttpConfig(), ...(opts.baseUrl !== undefined && { baseUrl: opts.baseUrl }), ...(opts.fetch && { fetch: opts.fetch }) };
      ctrl = new AbortController();
      const headers: Record<string, string> = { Accept: 'text/event-stream', Authorization: `Bearer ${auth.token}` };
      if (auth.actingStaffId) headers[ACTING_STAFF_HEADER] = auth.actingStaffId;
      let heartbeatMs = DEFAULT_HEARTBEAT_MS;
      let watchdog: ReturnType<typeof setTimeout> | null = null;
      const c = ctrl;
      const feed = () => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => c.abort(), heartbeatMs * WATCHDOG_FACTOR);
      };
      try {
        feed(); // the connect itself must not hang for ever either
        const res = await cfg.fetch(`${cfg.baseUrl.replace(/\/$/, '')}/api/sync/events`, { headers, signal: c.signal, cache: 'no-store' });
        if (res.status === 401 || res.status === 403) {
          wait = REFUSED_RETRY_MS;
          why = `refused ${res.status}`;
          return;
        }
        if (res.status === 404 || res.status === 429 || !res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
          wait = res.status === 404 || res.status === 429 ? UNSUPPORTED_RETRY_MS : null;
          why = `status ${res.status}`;
          return;
        }
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed();
          buf += decoder.decode(value, { stream: true });
          const { frames, rest } = parseSse(buf);
          buf = rest;
          for (const f of frames) {
            if (f.event === 'hello') {
              const seq = seqIn(f.data);
              const hb = field(f.data, 'heartbeatMs');
              if (typeof hb === 'number' && hb >= 100 && hb <= 120_000) heartbeatMs = hb;
              feed();
              connected = true;
              attempt = 0;
              const poll = field(f.data, 'pollMs');
              opts.onOpen(seq ?? 0, { pollMs: typeof poll === 'number' && poll >= 5_000 && poll <= 3_600_000 ? poll : null });
            } else if (f.event === 'change') {
              const seq = seqIn(f.data);
              if (seq !== null) opts.onChange(seq);
            } else if (f.event === 'bye') {
              why = `bye ${f.data}`;
            }
          }
        }
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      } finally {
        if (watchdog) clearTimeout(watchdog);
      }
    } finally {
      running = false;
      ctrl = null;
      const was = connected;
      connected = false;
      if (was) opts.onClosed?.(why);
      if (!closed) later(wait ?? reconnectDelay(++attempt, random));
    }
  }

  const handle: ChangeStreamHandle = {
    get connected() {
      return connected;
    },
    kick() {
      if (closed || running) return;
      attempt = 0;
      later(0);
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      ctrl?.abort();
      if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
    },
  };
  void connect();
  return handle;
}
