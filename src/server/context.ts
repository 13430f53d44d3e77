/**
 * What route modules share: the database, the blob directory, tunables. Decorated onto the
 * Fastify instance as `app.wa` so tests and benchmarks can reach the same objects.
 */
import type { Database } from './db/client';
import type { VersionCache } from './sync/versionCache';
import type { AuthCache } from './auth/authCache';
import type { ChangeHub } from './sync/changeHub';

export interface ServerContext {
  database: Database;
  /** JSON of record versions as pulls send them (filled by pushes and pulls). */
  versions: VersionCache;
  /** Recently verified device sessions (see authCache.ts). */
  authCache: AuthCache;
  /** Open event streams per dealership and their change hints (GET /api/sync/events). */
  changes: ChangeHub;
  blobDir: string;
  pinMaxAttempts: number;
  pinLockMs: number;
  loginMaxAttempts: number;
  loginLockMs: number;
  /** How long a password step-up counts for manager actions. */
  stepUpMs: number;
  /** Every route registered (method, url), for the OpenAPI completeness test. */
  routes: { method: string; url: string }[];
}

export interface AuthContext {
  sessionId: string;
  dealershipId: string;
  /** The staff member acting on this request (header X-Acting-Staff, verified). */
  staffId: string;
  /** The acting staff member's name as the staff table has it (signatures must carry it). */
  staffName: string;
  role: 'advisor' | 'technician' | 'manager';
}

declare module 'fastify' {
  interface FastifyInstance {
    wa: ServerContext;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export function requireAuth(auth: AuthContext | null): AuthContext {
  if (!auth) throw new Error('route registered without authentication');
  return auth;
}
