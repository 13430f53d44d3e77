/**
 * Entry point: `tsx src/server/main.ts` (npm start builds the PWA first).
 *   PORT (8080), HOST (0.0.0.0)
 *   DATABASE_URL → PostgreSQL; else PGlite in DATA_DIR (./data/pglite)
 *   BLOB_DIR (./data/blobs), STATIC_DIR (./dist), LOG_LEVEL (info)
 *   CHANGE_FEED=local: with PostgreSQL, do not LISTEN/NOTIFY (one server process only)
 * Structured pino logs on stdout; the demo logins are printed plainly on first start.
 * SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the database, exit.
 */
import './threadpool'; // first: sizes libuv's pool before anything uses it
import { resolve } from 'node:path';
import { buildApp } from './app';
import { warmUp } from './sync/warmUp';

const env = process.env;
const port = Number(env.PORT ?? 8080);
const host = env.HOST ?? '0.0.0.0';

const app = await buildApp({
  databaseUrl: env.DATABASE_URL || undefined,
  dataDir: resolve(env.DATA_DIR ?? './data/pglite'),
  blobDir: resolve(env.BLOB_DIR ?? './data/blobs'),
  staticDir: resolve(env.STATIC_DIR ?? './dist'),
  logger: { level: env.LOG_LEVEL ?? 'info' },
  ...(env.CHANGE_FEED === 'local' ? { changeFeed: 'local' as const } : {}),
  ...(env.RATE_LIMIT_MAX ? { rateLimit: { max: Number(env.RATE_LIMIT_MAX), loginMax: Number(env.LOGIN_RATE_LIMIT_MAX ?? 10) } } : {}),
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    app.log.error('shutdown timed out');
    process.exit(1);
  }, 15_000);
  force.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (e) {
    app.log.error({ err: e }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.wa.database.warm();
await warmUp(app.wa); // tablets reconnect all at once after a restart: meet them warm
await app.listen({ port, host });
app.log.info({ port, host, db: app.wa.database.kind }, 'walkaround server listening');
