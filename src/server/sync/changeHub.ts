/**
 * Who is listening for a dealership's changes, and telling them (GET /api/sync/events).
 *
 * A change is a committed push that wrote something a pull returns: applyPush reports the
 * dealership's new head seq after its commit (apply.ts `onCommitted`), and every open stream of
 * that dealership gets a hint "something new at seq N". Only the number goes out, never a record:
 * the tablet pulls with its own cursor, so a lost or repeated hint costs nothing (the pull cursor
 * is the truth, SYNC.md invariant 4), and the stream carries no data a pull would not check.
 *
 * With several server processes on one PostgreSQL, a commit made by another process arrives
 * through LISTEN/NOTIFY (changeFeed.ts) and is published here the same way; heads only move
 * forward, so a hint heard twice (own NOTIFY echo) is sent once.
 *
 * Hostile clients: a device session keeps at most `perDevice` streams (a new one ends its oldest:
 * after a network drop the old TCP connection may look alive for minutes, and the newest is the
 * live one); a dealership at most `perDealership` (more are refused, 429). A slow reader is not
 * queued up: while its socket buffer is full, hints are dropped and the latest head is sent when
 * it drains.
 */

export interface StreamSink {
  /** Write SSE text; false when the socket buffer is full (Node's write()). */
  write(text: string): boolean;
  /** End the stream (with a last event when `reason` is given). */
  end(reason?: string): void;
}

export interface ChangeStream {
  readonly id: number;
  readonly dealershipId: string;
  readonly sessionId: string;
  /** The last seq this stream was told (hints below it are not sent again). */
  told: number;
  congested: boolean;
  sink: StreamSink;
}

export interface ChangeHubLimits {
  perDevice: number;
  perDealership: number;
}

export const DEFAULT_STREAM_LIMITS: ChangeHubLimits = { perDevice: 3, perDealership: 200 };

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class ChangeHub {
  private readonly byDealership = new Map<string, Set<ChangeStream>>();
  private readonly heads = new Map<string, number>();
  private nextId = 1;
  /** Called for every head this process learns of from its own commits (the NOTIFY bridge). */
  onLocalCommit: ((dealershipId: string, seq: number) => void) | null = null;

  constructor(readonly limits: ChangeHubLimits = DEFAULT_STREAM_LIMITS) {}

  /** Register a stream; null when the dealership has as many as it may. */
  add(dealershipId: string, sessionId: string, sink: StreamSink): ChangeStream | null {
    let set = this.byDealership.get(dealershipId);
    if (!set) this.byDealership.set(dealershipId, (set = new Set()));
    const own = [...set].filter((s) => s.sessionId === sessionId);
    // The same device reconnecting: its oldest streams go first (they are likely dead).
    for (const old of own.slice(0, Math.max(0, own.length - this.limits.perDevice + 1))) {
      this.remove(old);
      old.sink.end('replaced');
    }
    if (set.size >= this.limits.perDealership) return null;
    const stream: ChangeStream = { id: this.nextId++, dealershipId, sessionId, told: 0, congested: false, sink };
    set.add(stream);
    return stream;
  }

  remove(stream: ChangeStream): void {
    const set = this.byDealership.get(stream.dealershipId);
    if (!set) return;
    set.delete(stream);
    if (set.size === 0) this.byDealership.delete(stream.dealershipId);
  }

  /** The highest seq this process knows of for the dealership (0 when none yet). */
  head(dealershipId: string): number {
    return this.heads.get(dealershipId) ?? 0;
  }

  /** A head learned from the database (stream start): moves forward only, tells no one. */
  learn(dealershipId: string, seq: number): number {
    const cur = this.head(dealershipId);
    if (seq > cur) this.heads.set(dealershipId, seq);
    return Math.max(cur, seq);
  }

  /** A commit of this process: publish it and hand it to the NOTIFY bridge. */
  committed(dealershipId: string, seq: number): void {
    this.publish(dealershipId, seq);
    this.onLocalCommit?.(dealershipId, seq);
  }

  /** Tell every stream of the dealership that changes up to `seq` are committed. */
  publish(dealershipId: string, seq: number): void {
    if (seq <= this.head(dealershipId)) return;
    this.heads.set(dealershipId, seq);
    for (const s of this.byDealership.get(dealershipId) ?? []) this.tell(s, seq);
  }

  /** Send a stream the head if it has not been told it (also after its socket drained). */
  tell(stream: ChangeStream, seq: number = this.head(stream.dealershipId)): void {
    if (stream.congested || seq <= stream.told) return;
    stream.told = seq;
    if (!stream.sink.write(sseEvent('change', { seq }))) stream.congested = true;
  }

  drained(stream: ChangeStream): void {
    stream.congested = false;
    this.tell(stream);
  }

  /** End every stream of a device session (revoked). */
  closeSession(sessionId: string, reason = 'revoked'): void {
    for (const set of [...this.byDealership.values()]) {
      for (const s of [...set]) {
        if (s.sessionId !== sessionId) continue;
        this.remove(s);
        s.sink.end(reason);
      }
    }
  }

  /** End every stream (server shutting down: the tablets reconnect to the next process). */
  closeAll(reason = 'shutdown'): void {
    for (const set of [...this.byDealership.values()]) {
      for (const s of [...set]) {
        this.remove(s);
        s.sink.end(reason);
      }
    }
  }

  /** Dealerships with at least one stream open (the NOTIFY bridge re-reads their heads). */
  listening(): string[] {
    return [...this.byDealership.keys()];
  }

  count(dealershipId?: string): number {
    if (dealershipId) return this.byDealership.get(dealershipId)?.size ?? 0;
    let n = 0;
    for (const set of this.byDealership.values()) n += set.size;
    return n;
  }
}
