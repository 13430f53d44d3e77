/**
 * Where integration tests run: always PGlite (from a cached template, so a fresh database costs
 * ~1 s instead of ~10 s of initdb), and PostgreSQL too when TEST_DATABASE_URL is set (a fresh schema
 * per app, dropped on close).
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { openDatabase } from '../../../src/server/db/client';
import { migrate, migrationFiles } from '../../../src/server/db/migrate';
import { createDealership } from '../../../src/server/tenants';
import { DEMO_DEALERSHIP_NAME, DEMO_DEALERSHIP_SLUG, DEMO_USERS } from '../../../src/server/demo';
import pg from 'pg';
import { buildApp, type BuildAppOptions } from '../../../src/server/app';
import type { FastifyInstance } from 'fastify';

export type Backend = 'pglite' | 'postgres';

export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

let template: Promise<Blob> | null = null;

/**
 * A PGlite data dir with initdb done, all migrations applied and the demo dealership seeded, as
 * a tarball, cached on disk across runs (keyed by PGlite version, migration names and contents, and demo.ts). The
 * migrations still run through the real runner (here, and as a no-op check in every buildApp).
 */
export function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const root = join(import.meta.dirname, '../../..');
    const key = createHash('sha256');
    key.update(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json')));
    // The runner records migrations by name: a renamed file is a different database.
    for (const f of migrationFiles()) key.update(f).update(readFileSync(join(root, 'src/server/db/migrations', f)));
    key.update(readFileSync(join(root, 'src/server/demo.ts')));
    const file = join(tmpdir(), `walkaround-pglite-template-${key.digest('hex').slice(0, 16)}.tar`);
    if (!existsSync(file)) {
      const db = await openDatabase({});
      await migrate(db);
      await createDealership(db.db, { slug: DEMO_DEALERSHIP_SLUG, name: DEMO_DEALERSHIP_NAME, staff: [...DEMO_USERS] });
      const dump = await (db.dumpDataDir as () => Promise<Blob>)();
      await db.close();
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
