/**
 * A Database that runs `before(n)` (n = 1, 2, …) each time the named prepared statement is about
 * to run, then runs it: another tablet's write landing exactly between a push's (or a pull's)
 * read and its next statement. `before` returning false stops interfering.
 */
import type { Database } from '../../../src/server/db/client';

export function interfering(db: Database, statement: string, before: (n: number) => Promise<boolean | void>): Database {
  let n = 0;
  let active = true;
  return {
    ...db,
    query: async <T>(text: string, params: unknown[] = [], name?: string): Promise<T[]> => {
      if (active && name === statement && (await before(++n)) === false) active = false;
      return db.query<T>(text, params, name);
    },
  };
}
