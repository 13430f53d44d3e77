/**
 * GET /api/sync/events — Server-Sent Events on the product's one port: "something new at seq N"
 * for the caller's dealership, so a tablet pulls at once instead of at its next poll.
 *
 * Authenticated like every /api route (the onRequest hook: `Authorization: Bearer` plus
 * `X-Acting-Staff`). A browser's EventSource cannot send that header, so the tablet reads this
 * stream with fetch() and a streamed body; no token ever goes into a URL (and so into logs).
 *
 *   event: hello   data: {"seq":<head>,"heartbeatMs":<ms>,"pollMs":<ms>}
 *                                                              at once: the dealership's head now,
 *                                                              and how often the tablet should still
 *                                                              poll while this stream is open
 *   event: change  data: {"seq":<head>}                        after every commit that wrote
 *                                                              something a pull returns
 *   : ping                                                     every heartbeatMs (proxies keep the
 *                                                              connection; the tablet's watchdog
 *                                                              sees it alive)
 *   event: bye     data: {"reason":...}                        before the server ends it (revoked,
 *                                                              replaced, shutdown)
 *
 * The session is checked again at every heartbeat (a revoked device hears `bye` within one
 * heartbeat even on another server process; at once on this one). Limits (changeHub.ts): a few
 * streams per device session (a new one replaces the oldest), a cap per dealership (429
 * `too_many_streams`). Hints carry no record data: the tablet pulls with its own cursor.
 */
import type { FastifyInstance } from 'fastify';
import { requireAuth } from '../context';
import { HttpError } from '../errors';
import { authenticate } from '../auth/authenticate';
import { sseEvent, type ChangeStream } from '../sync/changeHub';

export const DEFAULT_HEARTBEAT_MS = 15_000;
/** While its stream is open a tablet still polls this often (a safety net; hints do the work). */
export const DEFAULT_POLL_WHILE_LIVE_MS = 30_000;

const HEAD_SQL = 'SELECT change_seq::text AS s FROM dealerships WHERE id = $1';

export function eventRoutes(app: FastifyInstance, opts: { heartbeatMs?: number; pollWhileLiveMs?: number } = {}): void {
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const pollMs = opts.pollWhileLiveMs ?? DEFAULT_POLL_WHILE_LIVE_MS;

  app.get('/api/sync/events', { compress: false }, async (req, reply) => {
    const auth = requireAuth(req.auth);
    const hub = app.wa.changes;
    if (hub.count(auth.dealershipId) >= hub.limits.perDealership) {
      throw new HttpError(429, 'too_many_streams', `this dealership has ${hub.limits.perDealership} event streams open already`);
    }
    const [row] = await app.wa.database.query<{ s: string }>(HEAD_SQL, [auth.dealershipId], 'wa_head');
    const res = reply.raw;
    let stream: ChangeStream | null = null;
    let ended = false;
    let timer: ReturnType<typeof setInterval> | null = null;
    const finish = () => {
      if (ended) return;
      ended = true;
      if (timer) clearInterval(timer);
      if (stream) hub.remove(stream);
    };
    stream = hub.add(auth.dealershipId, auth.sessionId, {
      write: (text) => res.write(text),
      end: (reason) => {
        if (ended) return;
        if (reason) res.write(sseEvent('bye', { reason }));
        finish();
        res.end();
      },
    });
    if (!stream) throw new HttpError(429, 'too_many_streams', `this dealership has ${hub.limits.perDealership} event streams open already`);
    const s = stream;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store, no-transform',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    res.socket?.setKeepAlive(true, heartbeatMs);
    const head = hub.learn(auth.dealershipId, Number(row?.s ?? 0));
    s.told = head;
    res.write(`retry: 2000\n${sseEvent('hello', { seq: head, heartbeatMs, pollMs })}`);
    // A commit between the head read and registering is caught here (heads only move forward).
    hub.tell(s);
    res.on('drain', () => hub.drained(s));
    res.on('close', finish);
    res.on('error', finish);
    timer = setInterval(() => {
      if (ended) return;
      authenticate(app.wa, req).then(
        () => {
          if (!ended && !res.write(': ping\n\n')) s.congested = true;
        },
        (e: unknown) => {
          // Revoked or no longer allowed: end it. The database briefly unreachable: keep it.
          if (e instanceof HttpError && (e.statusCode === 401 || e.statusCode === 403)) s.sink.end('unauthenticated');
        },
      );
    }, heartbeatMs);
    timer.unref?.();
    req.log.info({ deviceId: auth.sessionId, streams: hub.count(auth.dealershipId) }, 'event stream opened');
  });
}
