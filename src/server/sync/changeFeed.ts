/**
 * Several server processes on one PostgreSQL: each tells the others of its commits with NOTIFY,
 * and LISTENs on one connection of its own for theirs, so a tablet connected to process B hears
 * of a push committed by process A at once (not at its next poll).
 *
 *  - publish: after a commit (never inside it: the hint must not arrive before the data),
 *    `SELECT pg_notify(channel, '{"d":dealershipId,"s":seq}')` on the pool. Commits of a
 *    dealership that come while a notify is in flight are folded into the next one (only the
 *    highest seq matters), so a burst of pushes costs one or two notifies, not one each.
 *  - listen: a dedicated pg.Client (LISTEN cannot share a pooled connection). When it drops
 *    (database restart) it reconnects with backoff, and on every (re)connect the heads of the
 *    dealerships with open streams are read again and published: notifies sent while it was
 *    away are not lost for good, at worst late. Tablets poll as well, so this is an
 *    optimisation of latency, never the only path a change takes.
 *
 * A dealership id is a random uuid, so processes of other deployments (or test schemas) on the
 * same database that share the channel only hear of dealerships nobody here listens to.
 */
import pg from 'pg';
import type { Database } from '../db/client';
import type { ChangeHub } from './changeHub';

export const CHANGE_CHANNEL = 'wa_changes';

const HEADS_SQL = `SELECT id, change_seq::text AS s FROM dealerships WHERE id = ANY(string_to_array($1, ',')::uuid[])`;

export interface ChangeFeed {
  close(): Promise<void>;
}

/** Read the heads of these dealerships from the database and publish them. */
export async function republishHeads(database: Database, hub: ChangeHub, dealershipIds: string[]): Promise<void> {
  if (!dealershipIds.length) return;
  const rows = await database.query<{ id: string; s: string }>(HEADS_SQL, [dealershipIds.join(',')]);
  for (const r of rows) hub.publish(r.id, Number(r.s));
}

export function startPgChangeFeed(database: Database, hub: ChangeHub, opts: { databaseUrl: string; log?: (msg: string, err?: unknown) => void }): ChangeFeed {
  const log = opts.log ?? (() => undefined);
  let closed = false;
  let client: pg.Client | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;

  // ---- publish (coalesced per dealership) ----
  const pending = new Map<string, number>();
  let flushing = false;
  async function flush(): Promise<void> {
    if (flushing) return;
    flushing = true;
    try {
      while (pending.size && !closed) {
        const batch = [...pending];
        pending.clear();
        for (const [d, s] of batch) {
          await database.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify({ d, s })]).catch((e: unknown) => log('notify failed', e));
        }
      }
    } finally {
      flushing = false;
    }
  }
  hub.onLocalCommit = (d, s) => {
    if (closed) return;
    pending.set(d, Math.max(s, pending.get(d) ?? 0));
    void flush();
  };

  // ---- listen ----
  async function connect(): Promise<void> {
    if (closed) return;
    const c = new pg.Client({ connectionString: opts.databaseUrl });
    c.on('error', (e) => {
      log('change feed connection lost', e);
      drop(c);
    });
    c.on('end', () => drop(c));
    c.on('notification', (n) => {
      if (n.channel !== CHANGE_CHANNEL || !n.payload) return;
      try {
        const p = JSON.parse(n.payload) as { d?: unknown; s?: unknown };
        if (typeof p.d === 'string' && typeof p.s === 'number' && Number.isSafeInteger(p.s)) hub.publish(p.d, p.s);
      } catch {
        // not ours
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      failures = 0;
      await republishHeads(database, hub, hub.listening()).catch((e: unknown) => log('heads re-read failed', e));
    } catch (e) {
      log('change feed connect failed', e);
      await c.end().catch(() => undefined);
      retry();
    }
  }
  function drop(c: pg.Client): void {
    if (client !== c) return;
    client = null;
    void c.end().catch(() => undefined);
    retry();
  }
  function retry(): void {
    if (closed || retryTimer) return;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(failures++, 6));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
    retryTimer.unref?.();
  }
  void connect();

  return {
    async close() {
      closed = true;
      hub.onLocalCommit = null;
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
