/**
 * The product server for tests/bench/liveSync.ts in a process of its own, so the bench can
 * SIGKILL it and start it again on the same port and the same data (PGlite directory, or a
 * PostgreSQL schema), as a power cut of the dealership's server would. Argument: a JSON object
 * { port, dataDir?, blobDir, databaseUrl?, pgSchema?, staticDir }. Tells the parent { url } once
 * it listens.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/server/app';
import { pgliteTemplate } from '../integration/helpers/backends';
import { warmUp } from '../../src/server/sync/warmUp';

const cfg = JSON.parse(process.argv[2] ?? '{}') as { port: number; dataDir?: string; blobDir: string; databaseUrl?: string; pgSchema?: string; staticDir: string };
const app = await buildApp({
  ...(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl, pgSchema: cfg.pgSchema } : { dataDir: cfg.dataDir, pgliteTemplate: await pgliteTemplate() }),
  blobDir: cfg.blobDir,
  staticDir: cfg.staticDir,
  logger: false,
  announce: false,
  rateLimit: false,
});
await app.wa.database.warm();
await warmUp(app.wa); // as src/server/main.ts does
await app.listen({ port: cfg.port, host: '127.0.0.1' });
process.send?.({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
process.on('message', (m: unknown) => {
  if (m === 'close') void app.close().then(() => process.exit(0));
});
