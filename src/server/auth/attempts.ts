/**
 * Counting guesses of a staff member's secret (PIN or password) so that parallel requests can
 * never check more than the limit: ONE UPDATE reserves the attempt BEFORE the secret is checked
 * (the row lock orders concurrent reservations), counting it as a failure until it proves right.
 * The reservation that reaches the limit also sets the lock; while locked, no reservation is
 * granted, so nothing is checked at all (423). A right secret clears count and lock.
 *
 * The clock is the database's (now()), so every server process agrees on when a lock ends.
 */
import type { Database } from '../db/client';

export type SecretKind = 'pin' | 'login';

const COLUMNS: Record<SecretKind, { failures: string; lockedUntil: string }> = {
  pin: { failures: 'pin_failures', lockedUntil: 'pin_locked_until' },
  login: { failures: 'login_failures', lockedUntil: 'login_locked_until' },
};

export type Reservation = { granted: true; failures: number; lockedUntil: Date | null } | { granted: false; lockedUntil: Date };

interface Row {
  failures: number;
  locked_ms: number | string | null;
}

const ms = (v: number | string | null): Date | null => (v === null ? null : new Date(Number(v)));

/** Reserve one attempt for `staffId`; `max` attempts are granted before a lock of `lockMs`. */
export async function reserveAttempt(database: Database, kind: SecretKind, staffId: string, max: number, lockMs: number): Promise<Reservation> {
  const { failures: f, lockedUntil: l } = COLUMNS[kind];
  const next = `(CASE WHEN ${l} IS NOT NULL AND ${l} <= now() THEN 1 ELSE ${f} + 1 END)`;
  const [row] = await database.query<Row>(
    `UPDATE staff SET ${f} = ${next},
        ${l} = CASE WHEN ${next} >= $2 THEN now() + ($3::double precision * interval '1 millisecond') ELSE NULL END
      WHERE id = $1 AND (${l} IS NULL OR ${l} <= now())
      RETURNING ${f} AS failures, (extract(epoch FROM ${l}) * 1000)::double precision AS locked_ms`,
    [staffId, max, lockMs],
  );
  if (row) return { granted: true, failures: Number(row.failures), lockedUntil: ms(row.locked_ms) };
  const [locked] = await database.query<Row>(`SELECT ${f} AS failures, (extract(epoch FROM ${l}) * 1000)::double precision AS locked_ms FROM staff WHERE id = $1`, [staffId]);
  return { granted: false, lockedUntil: ms(locked?.locked_ms ?? null) ?? new Date(Date.now() + lockMs) };
}

/** The secret was right: clear the count and any lock. */
export async function clearAttempts(database: Database, kind: SecretKind, staffId: string): Promise<void> {
  const { failures: f, lockedUntil: l } = COLUMNS[kind];
  await database.query(`UPDATE staff SET ${f} = 0, ${l} = NULL WHERE id = $1`, [staffId]);
}
