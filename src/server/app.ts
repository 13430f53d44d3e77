/**
 * buildApp(opts): the whole server as a Fastify instance, for tests (inject) and for real
 * listening (main.ts). Nothing listens here.
 *
 * Where things are stored:
 *  - database: PostgreSQL when `databaseUrl` is given (optionally in schema `pgSchema`), else
 *    PGlite in `dataDir`, else PGlite in memory. Schema = src/server/db/migrations/*.sql.
 *  - blob bytes: `blobDir` (content-addressed files); ownership rows in the database.
 *  - the built PWA: `staticDir` (served when it holds an index.html).
 *
 * Request path: rate limit (onRequest, per bearer token or IP; login stricter) → authentication
 * of every /api route except health, login and openapi (src/server/auth/authenticate.ts) →
 * zod validation in the handler → one transaction per write.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import compress from '@fastify/compress';
import { openDatabase } from './db/client';
import { migrate } from './db/migrate';
import { errorHandler } from './errors';
import { authenticate, bearerToken } from './auth/authenticate';
import { tokenHash } from './auth/crypto';
import { authRoutes, publicLoginRoutes } from './routes/auth';
import { managerRoutes } from './routes/manager';
import { syncRoutes } from './routes/sync';
import { blobRoutes } from './routes/blobs';
import { intakeRoutes } from './routes/intakes';
import { eventRoutes } from './routes/events';
import { ChangeHub, DEFAULT_STREAM_LIMITS } from './sync/changeHub';
import { startPgChangeFeed, type ChangeFeed } from './sync/changeFeed';
import { onCommitted } from './sync/apply';
import { vehicleRoutes } from './routes/vehicles';
import { appointmentRoutes } from './routes/appointments';
import { registerStatic } from './static';
import { VersionCache } from './sync/versionCache';
import { AuthCache } from './auth/authCache';
import { openApiDocument } from './openapi';
import { anyDealership, createDealership } from './tenants';
import { DEMO_DEALERSHIP_NAME, DEMO_DEALERSHIP_SLUG, DEMO_USERS, demoBanner } from './demo';
import { PIN_LOCK_SECONDS, PIN_MAX_ATTEMPTS, STEP_UP_SECONDS } from '../shared/auth';

export const LOGIN_MAX_ATTEMPTS = 10;
export const LOGIN_LOCK_MS = 15 * 60_000;
import type { ServerContext } from './context';

/**
 * A tablet back online after a day holds ~50 intakes × 10+ photos. Sync sends one PUT per photo,
 * one "which are missing" ask per batch of 50, a push per 50 changes, and at full speed on the
 * dealership LAN (~12 MB/s, 200 KB photos) that is ~60 photo PUTs a second: 3,600 a minute. The
 * budget leaves headroom above that (two tablets share no token; each has its own), while a
 * runaway client is still cut off within a minute.
 */
export const DEVICE_REQUESTS_PER_MINUTE = 6000;

export interface RateLimitOptions {
  /**
   * Requests per window per device token (or IP without one). Default DEVICE_REQUESTS_PER_MINUTE
   * / minute: sized for a day's backlog going up at full speed (see there).
   */
  max?: number;
  timeWindow?: number | string;
  /** Login attempts per window per IP. Default 10 / minute. */
  loginMax?: number;
  loginTimeWindow?: number | string;
}

export interface BuildAppOptions {
  databaseUrl?: string;
  /** PostgreSQL only: use this schema (search_path), e.g. a fresh one per test file. */
  pgSchema?: string;
  poolSize?: number;
  /** PGlite data directory; PGlite in memory when neither this nor databaseUrl is given. */
  dataDir?: string;
  /** PGlite only: start a fresh database from this dumpDataDir() tarball (tests, benchmarks). */
  pgliteTemplate?: Blob;
  blobDir?: string;
  staticDir?: string;
  logger?: boolean | FastifyServerOptions['logger'];
  /** false disables rate limiting entirely (benchmarks). */
  rateLimit?: RateLimitOptions | false;
  /** Create the demo dealership on an empty database (default true). */
  seedDemo?: boolean;
  /** Print the demo logins on the console when the demo dealership is created (default true). */
  announce?: boolean;
  pinMaxAttempts?: number;
  pinLockMs?: number;
  /** Wrong passwords (login or step-up) of one account before it is locked (default 10). */
  loginMaxAttempts?: number;
  loginLockMs?: number;
  /** How long a password step-up counts for manager actions (default STEP_UP_SECONDS). */
  stepUpMs?: number;
  /** How long a verified device session is remembered (default AUTH_CACHE_MS; 0 = never). */
  authCacheMs?: number;
  /**
   * GET /api/sync/events: streams per device session / per dealership, heartbeat interval, and
   * how often a tablet still polls while its stream is open (told in `hello`).
   */
  eventStreams?: { perDevice?: number; perDealership?: number; heartbeatMs?: number; pollWhileLiveMs?: number };
  /**
   * How commits of other server processes reach this one's event streams: 'postgres' =
   * LISTEN/NOTIFY (the default with PostgreSQL), 'local' = only this process's own commits (the
   * default with PGlite, which is one process anyway).
   */
  changeFeed?: 'postgres' | 'local';
}

function pickDefined<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const PUBLIC_ROUTES = new Set(['/api/health', '/api/auth/login', '/api/openapi.json']);

export async function buildApp(opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === undefined ? false : opts.logger,
    trustProxy: false,
    bodyLimit: 2 * 1024 * 1024,
  });
  const database = await openDatabase({ databaseUrl: opts.databaseUrl, pgSchema: opts.pgSchema, dataDir: opts.dataDir, poolSize: opts.poolSize, pgliteTemplate: opts.pgliteTemplate });
  try {
    const applied = await migrate(database);
    if (applied.length) app.log.info({ applied }, 'migrations applied');
    if (opts.seedDemo !== false && !(await anyDealership(database.db))) {
      await createDealership(database.db, { slug: DEMO_DEALERSHIP_SLUG, name: DEMO_DEALERSHIP_NAME, staff: [...DEMO_USERS] }).then(
        () => {
          if (opts.announce !== false) console.log(demoBanner());
          app.log.info({ dealership: DEMO_DEALERSHIP_SLUG }, 'demo dealership created');
        },
        (e: unknown) => app.log.warn({ err: e }, 'demo seed skipped (created concurrently?)'),
      );
    }
  } catch (e) {
    await database.close().catch(() => undefined);
    throw e;
  }
  const blobDir = resolve(opts.blobDir ?? join(tmpdir(), `walkaround-blobs-${randomBytes(6).toString('hex')}`));
  mkdirSync(blobDir, { recursive: true });
  const ctx: ServerContext = {
    database,
    versions: new VersionCache(),
    authCache: new AuthCache(opts.authCacheMs),
    changes: new ChangeHub({ ...DEFAULT_STREAM_LIMITS, ...pickDefined(opts.eventStreams ?? {}, ['perDevice', 'perDealership']) }),
    blobDir,
    pinMaxAttempts: opts.pinMaxAttempts ?? PIN_MAX_ATTEMPTS,
    pinLockMs: opts.pinLockMs ?? PIN_LOCK_SECONDS * 1000,
    loginMaxAttempts: opts.loginMaxAttempts ?? LOGIN_MAX_ATTEMPTS,
    loginLockMs: opts.loginLockMs ?? LOGIN_LOCK_MS,
    stepUpMs: opts.stepUpMs ?? STEP_UP_SECONDS * 1000,
    routes: [],
  };
  app.decorate('wa', ctx);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) ctx.routes.push({ method, url: r.url });
  });
  app.decorateRequest('auth', null);
  // Every commit that wrote something a pull returns becomes a hint on the event streams.
  const stopHints = onCommitted(database, (d, seq) => ctx.changes.committed(d, seq));
  const feed: ChangeFeed | null =
    database.kind === 'postgres' && opts.databaseUrl && opts.changeFeed !== 'local'
      ? startPgChangeFeed(database, ctx.changes, { databaseUrl: opts.databaseUrl, log: (msg, err) => app.log.warn({ err }, msg) })
      : null;
  // Event streams never end by themselves: end them first, or close would wait for them.
  app.addHook('preClose', async () => {
    ctx.changes.closeAll('shutdown');
  });
  app.addHook('onClose', async () => {
    stopHints();
    await feed?.close();
    await database.close();
  });
  app.setErrorHandler(errorHandler);
  // No answer is ever to be sniffed into another type (a JPEG/HTML polyglot stays a JPEG).
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });

  const rl = opts.rateLimit === undefined ? {} : opts.rateLimit;
  if (rl) {
    await app.register(rateLimit, {
      global: true,
      max: rl.max ?? DEVICE_REQUESTS_PER_MINUTE,
      timeWindow: rl.timeWindow ?? 60_000,
      keyGenerator: (req) => {
        const t = bearerToken(req);
        return t ? `t:${tokenHash(t)}` : `ip:${req.ip}`;
      },
    });
  }
  // gzip/brotli for text (app shell, JS, JSON) when the client accepts it: a tablet on weak
  // lane Wi-Fi downloads the app and sync answers in a fraction of the bytes. Photos are JPEG
  // and are sent as they are (mime-db marks them not compressible).
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });

  const loginLimit = rl ? { max: rl.loginMax ?? 10, timeWindow: rl.loginTimeWindow ?? 60_000, keyGenerator: (req: { ip: string }) => `login:${req.ip}` } : false;

  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (!url || !url.startsWith('/api/') || PUBLIC_ROUTES.has(url)) return;
    req.auth = await authenticate(ctx, req);
  });

  app.get('/api/health', async (_req, reply) => {
    try {
      await database.query('SELECT 1');
      return { ok: true, db: database.kind };
    } catch (e) {
      return reply.code(503).send({ ok: false, db: database.kind, error: e instanceof Error ? e.message : String(e) });
    }
  });
  app.get('/api/openapi.json', async () => openApiDocument());
  publicLoginRoutes(app, loginLimit);
  authRoutes(app);
  managerRoutes(app);
  syncRoutes(app);
  eventRoutes(app, { heartbeatMs: opts.eventStreams?.heartbeatMs, pollWhileLiveMs: opts.eventStreams?.pollWhileLiveMs });
  intakeRoutes(app);
  vehicleRoutes(app);
  appointmentRoutes(app);
  await app.register(blobRoutes);
  await registerStatic(app, opts.staticDir);
  return app;
}
