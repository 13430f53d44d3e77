/**
 * The tablet's one HTTP client (src/sync/http.ts): its classification of every way a call can
 * fail, its timeout (which covers the answer's body too), and that the sync protocol and the
 * auth calls classify the same answer the same way.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyStatus, configureHttp, httpRequest, noAnswer, type HttpFailure } from '../../src/sync/http';
import { createSyncApi, syncErrorOf } from '../../src/sync/syncApi';
import { loginDevice } from '../../src/features/auth/deviceAuth';
import { useDatabase, WalkaroundDB } from '../../src/store/db';
import { ACTING_STAFF_HEADER } from '../../src/shared/headers';

const okSchema = { schema: z.object({ n: z.number() }) };
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });
const answering = (res: () => Response) => ({ fetch: (async () => res()) as typeof fetch });

/** A fetch that never answers until aborted (lane Wi-Fi that hangs). */
const hanging = (async (_: RequestInfo | URL, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
  })) as typeof fetch;

/** Headers arrive, then the body stalls: the timeout must still fire. */
const stallingBody = (async (_: RequestInfo | URL, init?: RequestInit) => {
  const body = new ReadableStream<Uint8Array>({
    start(ctrl) {
      ctrl.enqueue(new TextEncoder().encode('{"n":'));
      init?.signal?.addEventListener('abort', () => ctrl.error(new DOMException('The operation was aborted.', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
}) as typeof fetch;

async function fail(config: { fetch: typeof fetch }, timeoutMs?: number): Promise<HttpFailure> {
  const r = await httpRequest('GET', '/api/x', { answer: okSchema, config, ...(timeoutMs && { timeoutMs }) });
  if (r.ok) throw new Error('expected a failure');
  return r;
}

describe('classification', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [400, 'refused'],
    [409, 'refused'],
    [413, 'refused'],
    [415, 'refused'],
    [422, 'refused'],
    [423, 'refused'],
    [404, 'protocol'],
    [408, 'server'],
    [429, 'server'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
  ] as const)('HTTP %i is %s', (status, kind) => {
    expect(classifyStatus(status)).toBe(kind);
  });

  it('a refusal carries the server reason, code and body', async () => {
    const f = await fail(answering(() => json({ error: 'pin_locked', message: 'PIN locked', lockedUntil: '2026-12-01T10:00:00.000Z' }, 423)));
    expect(f).toMatchObject({ kind: 'refused', status: 423, error: 'pin_locked', message: 'PIN locked', body: { lockedUntil: '2026-12-01T10:00:00.000Z' } });
    expect(noAnswer(f)).toBe(false);
  });

  it('an error answer that is not JSON keeps its text as the reason', async () => {
    const f = await fail(answering(() => new Response('Bad Gateway from the proxy', { status: 502 })));
    expect(f).toMatchObject({ kind: 'server', status: 502, error: 'http_502', message: 'Bad Gateway from the proxy', body: {} });
  });

  it('no network is offline, with no status', async () => {
    const f = await fail({ fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch });
    expect(f).toMatchObject({ kind: 'offline', status: 0, error: 'offline' });
    expect(f.message).toContain('Failed to fetch');
    expect(noAnswer(f)).toBe(true);
  });

  it('a request with no answer in time is a timeout', async () => {
    const f = await fail({ fetch: hanging }, 30);
    expect(f).toMatchObject({ kind: 'timeout', status: 0, error: 'timeout' });
    expect(noAnswer(f)).toBe(true);
  });

  it('the timeout covers the body: headers in time, then a stalled body, is a timeout too', async () => {
    expect(await fail({ fetch: stallingBody }, 50)).toMatchObject({ kind: 'timeout', status: 0 });
  });

  it('a 200 that is not JSON (a captive portal) or not the promised shape is a protocol failure', async () => {
    expect(await fail(answering(() => new Response('<html>log in to the Wi-Fi</html>', { status: 200 })))).toMatchObject({ kind: 'protocol', status: 200, error: 'protocol' });
    expect(await fail(answering(() => json({ n: 'one' })))).toMatchObject({ kind: 'protocol', status: 200, error: 'protocol' });
    expect(await fail(answering(() => new Response('Not Found', { status: 404 })))).toMatchObject({ kind: 'protocol', status: 404, error: 'http_404' });
  });

  it('a valid answer is validated data; listed statuses are answers, not failures', async () => {
    const r = await httpRequest('GET', '/api/x', { answer: okSchema, config: answering(() => json({ n: 1 })) });
    expect(r).toMatchObject({ ok: true, status: 200, data: { n: 1 } });
    const head = await httpRequest('HEAD', '/api/blobs/x', { answer: 'none', accept: [404], config: answering(() => new Response(null, { status: 404 })) });
    expect(head).toMatchObject({ ok: true, status: 404 });
  });

  it('sends JSON, the device token and the acting staff member', async () => {
    let seen: { url: string; init: RequestInit | undefined } | null = null;
    const config = {
      baseUrl: 'http://srv/',
      fetch: (async (url: RequestInfo | URL, init?: RequestInit) => {
        seen = { url: String(url), init };
        return json({ n: 2 });
      }) as typeof fetch,
    };
    await httpRequest('POST', '/api/x', { json: { a: 1 }, auth: { token: 'tok', actingStaffId: 'st-2' }, answer: okSchema, config });
    expect(seen).not.toBeNull();
    const { url, init } = seen as unknown as { url: string; init: RequestInit };
    expect(url).toBe('http://srv/api/x');
    expect(init.body).toBe('{"a":1}');
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', Authorization: 'Bearer tok', [ACTING_STAFF_HEADER]: 'st-2' });
  });
});

describe('one classification for sync and for auth', () => {
  beforeEach(() => {
    useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  });
  afterEach(() => {
    configureHttp({ baseUrl: '', fetch: (...a) => globalThis.fetch(...a) });
  });

  const login = { dealership: 'demo', username: 'advisor', password: 'demo-advisor-1', deviceName: '前台1号平板' };
  const auth = () => ({ token: 't', actingStaffId: null });

  it('a busy server is "server" for both: sync retries, the login screen says the server is unavailable', async () => {
    const busy = (async () => json({ error: 'busy', message: 'try later' }, 503)) as typeof fetch;
    await expect(createSyncApi({ fetch: busy, auth }).pull(0)).rejects.toMatchObject({ kind: 'server', status: 503, message: 'HTTP 503: try later' });
    configureHttp({ fetch: busy });
    expect(await loginDevice(login)).toEqual({ ok: false, reason: 'server' });
  });

  it('no answer (offline or timed out) is offline for both: sync retries it, the login screen says offline', async () => {
    await expect(createSyncApi({ fetch: hanging, auth, timeoutMs: 30 }).pull(0)).rejects.toMatchObject({ kind: 'offline', status: null, message: expect.stringContaining('timed out') });
    expect(syncErrorOf(await fail({ fetch: hanging }, 30))).toMatchObject({ kind: 'offline', retryable: true });
    const down = (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    await expect(createSyncApi({ fetch: down, auth }).pull(0)).rejects.toMatchObject({ kind: 'offline' });
    configureHttp({ fetch: down });
    expect(await loginDevice(login)).toEqual({ ok: false, reason: 'offline' });
  });

  it('a refusal is quarantined by sync and shown by auth, with the same reason', async () => {
    const refusing = (async () => json({ error: 'invalid_body', message: 'mutations/0: invalid' }, 400)) as typeof fetch;
    await expect(createSyncApi({ fetch: refusing, auth }).push([])).rejects.toMatchObject({ kind: 'refused', status: 400, retryable: false, message: 'HTTP 400: mutations/0: invalid' });
    configureHttp({ fetch: refusing });
    expect(await loginDevice(login)).toEqual({ ok: false, reason: 'invalid' });
  });
});
