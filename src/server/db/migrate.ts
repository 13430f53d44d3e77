/**
 * Plain-SQL migrations: migrations/NNNN_name.sql, applied in name order, each in its own
 * transaction together with its row in `schema_migrations`. Files are only ever added; an
 * applied file is never run again. Works on PGlite and PostgreSQL alike. On PostgreSQL an
 * advisory lock keeps two starting servers from migrating the same schema at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './client';

const DIR = join(import.meta.dirname, 'migrations');

export function migrationFiles(): string[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
}

export async function migrate(database: Database): Promise<string[]> {
  await database.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  const applied: string[] = [];
  for (const file of migrationFiles()) {
    await database.rawTransaction(async (tx) => {
      if (database.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7212001)', []);
      const done = await tx.query<{ name: string }>('SELECT name FROM schema_migrations WHERE name = $1', [file]);
      if (done.length) return;
      await tx.exec(readFileSync(join(DIR, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    });
  }
  return applied;
}
