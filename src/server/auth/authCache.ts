/**
 * Recently verified device sessions, so that a tablet syncing several times a second is not one
 * more database round trip per request. An entry lives AUTH_CACHE_MS at most and only a success
 * is kept. This server drops a session's entries itself the moment the session changes (device
 * revoked, staff switched by PIN); a change made by ANOTHER server process on the same database
 * is seen here within AUTH_CACHE_MS.
 */
import type { AuthContext } from '../context';

export const AUTH_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  auth: AuthContext;
  until: number;
}

export class AuthCache {
  private readonly map = new Map<string, Entry>();

  constructor(private readonly ttlMs = AUTH_CACHE_MS) {}

  static key(tokenHash: string, actingStaff: string | null): string {
    return `${tokenHash}|${actingStaff ?? ''}`;
  }

  get(key: string, now = Date.now()): AuthContext | null {
    const e = this.map.get(key);
    if (!e) return null;
    if (e.until <= now) {
      this.map.delete(key);
      return null;
    }
    return e.auth;
  }

  set(key: string, auth: AuthContext, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.map.size >= MAX_ENTRIES) this.map.clear();
    this.map.set(key, { auth, until: now + this.ttlMs });
  }

  /** Forget every entry of a device session (revoked, or its acting staff changed). */
  forgetSession(sessionId: string): void {
    for (const [k, e] of this.map) if (e.auth.sessionId === sessionId) this.map.delete(k);
  }
}
