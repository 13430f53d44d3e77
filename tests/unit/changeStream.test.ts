/**
 * The tablet's event stream client (src/sync/changeStream.ts) against a fake fetch whose body is
 * a ReadableStream the test writes into: SSE parsing, the bearer header (never a token in the
 * URL), hello → open, change → hint, reconnect with a short backoff after a drop, a watchdog for
 * a silent connection, and slow retries when the server refuses.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openChangeStream, parseSse, reconnectDelay, RECONNECT_CAP_MS, REFUSED_RETRY_MS, type ChangeStreamHandle } from '../../src/sync/changeStream';

interface Conn {
  url: string;
  headers: Record<string, string>;
  send(text: string): void;
  end(): void;
  signal: AbortSignal;
}

function fakeServer(status = 200) {
  const conns: Conn[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
    const enc = new TextEncoder();
    const signal = init?.signal as AbortSignal;
    signal.addEventListener('abort', () => {
      try {
        ctrl.error(new DOMException('aborted', 'AbortError'));
      } catch {
        // closed already
      }
    });
    conns.push({
      url: String(input),
      headers: init?.headers as Record<string, string>,
      send: (t) => ctrl.enqueue(enc.encode(t)),
      end: () => ctrl.close(),
      signal,
    });
    if (status !== 200) return new Response('{"error":"unauthenticated"}', { status, headers: { 'content-type': 'application/json' } });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  }) as typeof fetch;
  return { f, conns };
}

let handle: ChangeStreamHandle | null = null;
afterEach(() => {
  handle?.close();
  handle = null;
  vi.useRealTimers();
});

describe('SSE parsing', () => {
  it('splits frames, joins data lines, skips comments, keeps the unfinished rest', () => {
    const { frames, rest } = parseSse('retry: 2000\nevent: hello\ndata: {"seq":3}\n\n: ping\n\nevent: change\r\ndata: {"seq":4}\r\n\r\nevent: cha');
    expect(frames).toEqual([
      { event: 'hello', data: '{"seq":3}' },
      { event: 'change', data: '{"seq":4}' },
    ]);
    expect(rest).toBe('event: cha');
  });

  it('reconnects within a few seconds, with jitter', () => {
    expect(reconnectDelay(1, () => 1)).toBe(500);
    expect(reconnectDelay(2, () => 1)).toBe(1000);
    expect(reconnectDelay(10, () => 1)).toBe(RECONNECT_CAP_MS);
    expect(reconnectDelay(10, () => 0)).toBe(RECONNECT_CAP_MS / 2);
  });
});

describe('change stream', () => {
  it('sends the token as a header, opens on hello, hints on change, reconnects after a drop', async () => {
    vi.useFakeTimers();
    const { f, conns } = fakeServer();
    const opened: number[] = [];
    const hints: number[] = [];
    const closed: string[] = [];
    handle = openChangeStream({
      baseUrl: 'http://srv',
      fetch: f,
      auth: async () => ({ token: 'tok-123', actingStaffId: 'st-1' }),
      random: () => 1,
      onOpen: (h) => opened.push(h),
      onChange: (s) => hints.push(s),
      onClosed: (why) => closed.push(why),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(conns).toHaveLength(1);
    expect(conns[0]?.url).toBe('http://srv/api/sync/events');
    expect(conns[0]?.url).not.toContain('tok-123');
    expect(conns[0]?.headers.Authorization).toBe('Bearer tok-123');
    expect(conns[0]?.headers['X-Acting-Staff']).toBe('st-1');
    conns[0]?.send('event: hello\ndata: {"seq":7,"heartbeatMs":1000}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(opened).toEqual([7]);
    expect(handle.connected).toBe(true);
    conns[0]?.send('event: change\ndata: {"seq":8}\n\nevent: change\ndata: {"seq":"x"}\n\n: ping\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(hints).toEqual([8]);

    conns[0]?.end(); // the server went away
    await vi.advanceTimersByTimeAsync(0);
    expect(handle.connected).toBe(false);
    expect(closed).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(conns).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(conns).toHaveLength(2); // 0.5 s later, not at a 30 s poll
    conns[1]?.send('event: hello\ndata: {"seq":9,"heartbeatMs":1000}\n\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(opened).toEqual([7, 9]);
  });

  it('takes a connection that stays silent past the heartbeat for dead, and connects again', async () => {
    vi.useFakeTimers();
    const { f, conns } = fakeServer();
    const closed: string[] = [];
    handle = openChangeStream({ fetch: f, auth: async () => ({ token: 't', actingStaffId: null }), random: () => 1, onOpen: () => undefined, onChange: () => undefined, onClosed: (w) => closed.push(w) });
    await vi.advanceTimersByTimeAsync(0);
    conns[0]?.send('event: hello\ndata: {"seq":1,"heartbeatMs":1000}\n\n');
    await vi.advanceTimersByTimeAsync(2_000);
    conns[0]?.send(': ping\n\n'); // alive
    await vi.advanceTimersByTimeAsync(2_000);
    expect(conns[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(600); // 2.5 heartbeats without a byte
    expect(conns[0]?.signal.aborted).toBe(true);
    expect(closed).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(conns).toHaveLength(2);
  });

  it('a refused session is retried slowly; close() stops for good', async () => {
    vi.useFakeTimers();
    const { f, conns } = fakeServer(401);
    handle = openChangeStream({ fetch: f, auth: async () => ({ token: 't', actingStaffId: null }), onOpen: () => undefined, onChange: () => undefined });
    await vi.advanceTimersByTimeAsync(0);
    expect(conns).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(REFUSED_RETRY_MS - 1);
    expect(conns).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(conns).toHaveLength(2);
    handle.close();
    await vi.advanceTimersByTimeAsync(REFUSED_RETRY_MS * 3);
    expect(conns).toHaveLength(2);
  });
});
