/**
 * Where integration tests run: always PGlite (from a cached initdb template, so a fresh database
 * costs ~1 s instead of ~10 s), and PostgreSQL too when TEST_DATABASE_URL is set (a fresh schema
 * per app, dropped on close).
 */
import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp, type BuildAppOptions } from '../../../src/server/app';
import type { FastifyInstance } from 'fastify';

export type Backend = 'pglite' | 'postgres';

export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

let template: Promise<Blob> | null = null;

/** A bare PGlite data dir (initdb done, no tables) as a tarball, cached on disk across runs. */
export function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
    const file = join(tmpdir(), `walkaround-pglite-template-${pkg.version}.tar`);
    if (!existsSync(file)) {
      const p = new PGlite();
      await p.waitReady;
      const dump = await p.dumpDataDir('none');
      await p.close();
      const tmp = `${file}.${randomBytes(4).toString('hex')}`;
      writeFileSync(tmp, new Uint8Array(await dump.arrayBuffer()));
      renameSync(tmp, file);
    }
    return new Blob([readFileSync(file)]);
  })();
  return template;
}

export interface TestApp {
  app: FastifyInstance;
  backend: Backend;
  blobDir: string;
  close(): Promise<void>;
}

export const RELAXED_LIMITS = { max: 1_000_000, loginMax: 1_000_000 };

export async function startApp(backend: Backend, extra: BuildAppOptions = {}): Promise<TestApp> {
  const tmp = mkdtempSync(join(tmpdir(), 'walkaround-it-'));
  const blobDir = join(tmp, 'blobs');
  const base: BuildAppOptions = { blobDir, logger: false, announce: false, rateLimit: RELAXED_LIMITS, ...extra };
  if (backend === 'pglite') {
    const app = await buildApp({ ...base, pgliteTemplate: await pgliteTemplate() });
    return { app, backend, blobDir, close: async () => { await app.close(); rmSync(tmp, { recursive: true, force: true }); } };
  }
  const url = process.env.TEST_DATABASE_URL as string;
  const schemaName = `it_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schemaName}`);
  await admin.end();
  const app = await buildApp({ ...base, databaseUrl: url, pgSchema: schemaName, poolSize: 20 });
  return {
    app,
    backend,
    blobDir,
    close: async () => {
      await app.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schemaName} CASCADE`);
      await c.end();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
