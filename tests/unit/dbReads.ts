// Test helper: which tables a piece of code reads, through Dexie's DBCore middleware.
import type { WalkaroundDB } from '../../src/store/db';

/** Which tables (and how many keys of intakes) a read touches, through Dexie's DBCore middleware. */
export function recordReads(db: WalkaroundDB): { tables: Set<string>; intakeKeys: number; reset(): void } {
  const log = { tables: new Set<string>(), intakeKeys: 0, reset() { log.tables.clear(); log.intakeKeys = 0; } };
  db.use({
    stack: 'dbcore',
    name: 'read-log',
    create: (down) => ({
      ...down,
      table: (name) => {
        const t = down.table(name);
        return {
          ...t,
          get: (req) => (log.tables.add(name), name === 'intakes' && log.intakeKeys++, t.get(req)),
          getMany: (req) => (log.tables.add(name), name === 'intakes' && (log.intakeKeys += req.keys.length), t.getMany(req)),
          query: (req) => (log.tables.add(name), t.query(req)),
          openCursor: (req) => (log.tables.add(name), t.openCursor(req)),
          count: (req) => (log.tables.add(name), t.count(req)),
        };
      },
    }),
  });
  return log;
}
