/**
 * A reader of GET /api/sync/events over real HTTP (inject cannot hold a stream open): fetch with
 * the bearer header, parse SSE frames, and wait for the next event matching a predicate.
 */
export interface SseEvent {
  event: string;
  data: unknown;
  /** When it arrived (performance.now()). */
  at: number;
}

export interface EventReader {
  status: number;
  events: SseEvent[];
  /** Bytes seen so far (pings included). */
  bytes: number;
  ended: Promise<void>;
  next(pred?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openEvents(baseUrl: string, headers: Record<string, string>): Promise<EventReader> {
  const ctrl = new AbortController();
  const res = await fetch(`${baseUrl}/api/sync/events`, { headers: { accept: 'text/event-stream', ...headers }, signal: ctrl.signal });
  const events: SseEvent[] = [];
  // next() takes events in order: the first unconsumed one that matches (earlier ones are skipped).
  let consumed = 0;
  const waiters: { pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  const reader: EventReader = {
    status: res.status,
    events,
    bytes: 0,
    ended: Promise.resolve(),
    next(pred = () => true, timeoutMs = 10_000) {
      return new Promise<SseEvent>((resolve, reject) => {
        for (let i = consumed; i < events.length; i++) {
          const e = events[i] as SseEvent;
          if (pred(e)) {
            consumed = i + 1;
            resolve(e);
            return;
          }
        }
        consumed = events.length;
        const timer = setTimeout(() => reject(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`)), timeoutMs);
        waiters.push({
          pred,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    close: () => ctrl.abort(),
  };
  if (res.status !== 200 || !res.body) {
    await res.text().catch(() => '');
    return reader;
  }
  const body = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  reader.ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await body.read();
        if (done) break;
        reader.bytes += value.length;
        buf += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (!data.length) continue; // comment (ping) or retry line
          const e: SseEvent = { event, data: JSON.parse(data.join('\n')) as unknown, at: performance.now() };
          events.push(e);
          const w = waiters[0];
          if (w && w.pred(e)) {
            waiters.shift();
            consumed = events.length;
            w.resolve(e);
          } else if (w) consumed = events.length;
        }
      }
    } catch {
      // aborted or the server went away
    }
  })();
  return reader;
}
