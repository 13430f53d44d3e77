/**
 * Opens the database: PostgreSQL through `pg` (drizzle-orm/node-postgres) when a URL is given,
 * else PGlite (drizzle-orm/pglite) in a data directory, or in memory when none is given. Both
 * are exposed as the same drizzle PgDatabase, so every query runs the same code path; only
 * `execScript` (multi-statement migration SQL in one transaction) and `close` differ.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { schema, type Schema } from './schema';

export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface RawTx {
  exec(script: string): Promise<void>;
  query<T>(text: string, params: unknown[]): Promise<T[]>;
}

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Run `fn` in one raw transaction: `exec` takes multi-statement scripts (migrations). */
  rawTransaction(fn: (tx: RawTx) => Promise<void>): Promise<void>;
  /** A raw parameterised query (migrations before the schema exists; hot paths written in SQL).
   *  `name` makes it a prepared statement on PostgreSQL (parsed once per connection). */
  query<T>(text: string, params?: unknown[], name?: string): Promise<T[]>;
  close(): Promise<void>;
  /** Open every pooled connection now, not in the first burst of requests (PostgreSQL). */
  warm(): Promise<void>;
  /** PGlite only: the data directory as a tarball (test/benchmark templates). */
  dumpDataDir?: () => Promise<Blob>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PostgreSQL only: a schema to use (search_path), e.g. one per test file. */
  pgSchema?: string;
  /** PGlite only: data directory; in-memory when absent. */
  dataDir?: string;
  poolSize?: number;
  /** PGlite only: a dumpDataDir() tarball to start from instead of running initdb (~10 s), used
   *  by tests and benchmarks. Ignored when dataDir already holds a database. */
  pgliteTemplate?: Blob;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const max = opts.poolSize ?? 10;
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max,
      // Connections once opened are kept (not closed after 10 s idle): a burst of tablets after
      // a quiet minute in the lane would otherwise wait for new connections and their statements.
      min: max,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
      // The hot statements are named (prepared once per connection, see Database.query), but
      // planned on every execution with the actual values: a generic plan made while the tables
      // were small (a seq scan) would otherwise stay in use as they grow (measured: the push's
      // read statement went from 0.8 to 4 ms per call over 2,000 intakes). Set per connection, so
      // `options` in DATABASE_URL are left as they are. pg-pool awaits this before handing the
      // client out (a 'connect' listener ran it beside the first query: pg's deprecation warning
      // "client.query() when the client is already executing a query", an error in pg 9).
      onConnect: async (client: pg.ClientBase) => {
        await client.query('SET plan_cache_mode = force_custom_plan').catch(() => undefined);
      },
    });
    pool.on('error', () => undefined); // idle client errors (server restart) must not crash us
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      async warm() {
        const clients = await Promise.all(Array.from({ length: max }, () => pool.connect()));
        for (const c of clients) c.release();
      },
      async rawTransaction(fn) {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          await fn({
            exec: async (script) => {
              await c.query(script);
            },
            query: async <T>(text: string, params: unknown[]) => (await c.query(text, params)).rows as T[],
          });
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw e;
        } finally {
          c.release();
        }
      },
      async query<T>(text: string, params: unknown[] = [], name?: string) {
        return (await pool.query(name ? { name, text, values: params } : { text, values: params })).rows as T[];
      },
      close: () => pool.end(),
    };
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const fresh = !opts.dataDir || !existsSync(join(opts.dataDir, 'PG_VERSION'));
  const loadDataDir = fresh && opts.pgliteTemplate ? { loadDataDir: opts.pgliteTemplate } : {};
  const client = opts.dataDir ? new PGlite(opts.dataDir, loadDataDir) : new PGlite(loadDataDir);
  await client.waitReady;
  await client.exec('SET plan_cache_mode = force_custom_plan'); // as on PostgreSQL (see above)
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async rawTransaction(fn) {
      await client.transaction(async (tx) => {
        await fn({
          exec: async (script) => {
            await tx.exec(script);
          },
          query: async <T>(text: string, params: unknown[]) => (await tx.query<T>(text, params)).rows,
        });
      });
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query<T>(text, params)).rows;
    },
    warm: async () => undefined, // one in-process connection, open already
    close: () => client.close(),
    dumpDataDir: () => client.dumpDataDir('none'),
  };
}
