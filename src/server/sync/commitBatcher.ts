/**
 * Group commit of pushes (wa_commit_pushes in migrations/0002_commit_push.sql). Every commit of a
 * dealership takes its counter row lock, so commits of one dealership run one after the other.
 * When 50 tablets push at once, 50 statements queuing on that lock in the database (each holding
 * a pooled connection, each handing the lock on through a context switch) cost far more than the
 * writes. So here a dealership has at most one commit statement in flight from this server;
 * pushes that arrive meanwhile wait in memory and go together in the next statement.
 */
import type { Database } from '../db/client';

/** One push's commit: its author, how many change numbers it takes, its writes as JSON text. */
export interface CommitItem {
  deviceId: string;
  staffId: string;
  seqs: number;
  writesJson: string;
}

type Answer = { base: number | string } | { race: true } | { error: string; code: string };

interface Waiting {
  item: CommitItem;
  resolve(base: number): void;
  reject(e: unknown): void;
}

const BATCH_SQL = 'SELECT wa_commit_pushes($1, $2::jsonb) AS answers';
const MAX_BATCH = 100;

/** The error a push gets when it lost a race (as PostgreSQL's serialization_failure). */
export class PushRace extends Error {
  readonly code = '40001';
  constructor() {
    super('push race: something this push decided on changed meanwhile');
  }
}

export class CommitBatcher {
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly running = new Set<string>();

  constructor(private readonly database: Database) {}

  /** Commit one push; resolves with the counter value before it (its change numbers follow). */
  commit(dealershipId: string, item: CommitItem): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const list = this.waiting.get(dealershipId);
      if (list) list.push({ item, resolve, reject });
      else this.waiting.set(dealershipId, [{ item, resolve, reject }]);
      if (!this.running.has(dealershipId)) void this.run(dealershipId);
    });
  }

  private async run(dealershipId: string): Promise<void> {
    this.running.add(dealershipId);
    try {
      for (;;) {
        const list = this.waiting.get(dealershipId);
        if (!list?.length) break;
        const batch = list.splice(0, MAX_BATCH);
        const p = `[${batch.map(({ item: i }) => `{"device":${JSON.stringify(i.deviceId)},"staff":${JSON.stringify(i.staffId)},"seqs":${i.seqs},"writes":${i.writesJson}}`).join(',')}]`;
        try {
          const [row] = await this.database.query<{ answers: Answer[] }>(BATCH_SQL, [dealershipId, p], 'wa_commit_pushes');
          batch.forEach((w, i) => {
            const a = row?.answers[i];
            if (a && 'base' in a) w.resolve(Number(a.base));
            else if (a && 'race' in a) w.reject(new PushRace());
            else w.reject(new Error(a ? `commit failed (${a.code}): ${a.error}` : 'commit gave no answer'));
          });
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.running.delete(dealershipId);
      if (this.waiting.get(dealershipId)?.length) void this.run(dealershipId);
      else this.waiting.delete(dealershipId);
    }
  }
}
