/**
 * Before the server listens: run the pull path once per dealership (at most a few), so the first
 * burst of tablets after a restart (every tablet's event stream reconnects and syncs within
 * seconds of each other) meets a warm database: on PGlite the one in-process connection has its
 * catalog caches and plans filled and its WebAssembly code compiled hot, instead of doing that
 * while ten tablets wait (tests/bench/liveSync.ts; on a loaded machine one run went from 10-11 s
 * to 5-6 s for convergence after a kill, a later one under still more load measured 7-18 s: the
 * effect is not proven yet). It reads only; a failure is ignored (the requests will do the same
 * work later).
 */
import type { ServerContext } from '../context';
import { pullJson } from './pull';

const MAX_DEALERSHIPS = 20;

export async function warmUp(ctx: Pick<ServerContext, 'database' | 'versions'>): Promise<void> {
  try {
    const rows = await ctx.database.query<{ id: string }>(`SELECT id FROM dealerships ORDER BY change_seq DESC LIMIT ${MAX_DEALERSHIPS}`);
    for (let round = 0; round < 2; round++) {
      for (const r of rows) await pullJson(ctx.database, ctx.versions, r.id, 0, 200);
    }
  } catch {
    // best effort
  }
}
