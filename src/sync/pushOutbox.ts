/**
 * Push: send the outbox in the order changes were made, and settle every entry by the server's
 * answer for it, in one transaction per batch.
 *
 *  applied / duplicate → drop the entry, remember the section revision (merge base).
 *  conflict            → keep the local value, store a ConflictEntry for a person to decide.
 *  rejected            → move to quarantine with the reason; the local record stays as it is.
 *  rejected + retry    → not yet (intake not on the server yet, another staff member's change):
 *                        stays pending with the reason, sent again next run.
 *  no answer           → back to 'pending', attempts + 1; sent again next run (replay-safe).
 *
 * One mutation the server keeps failing on (5xx) must not block the outbox for ever: a batch
 * answered 5xx is split and sent one by one; a mutation answered 5xx when sent alone is a
 * suspect (sent alone from then on) and waits for the next run while the rest goes past it;
 * after STUCK_AFTER_SERVER_ERRORS such answers it is 'stuck': tried again with a growing delay,
 * counted on the sync badge and listed in Settings with the reason, never dropped. Two 5xx in a
 * row for different mutations, or a 5xx with nothing else getting through, look like a server
 * outage: the run fails (the engine backs off).
 *
 * Order per intake is kept: if one entry of an intake has to wait (a second patch of the same
 * section, a signature waiting for its photos, a suspect or stuck entry), every later entry of
 * that intake waits too. Entries of other intakes go on. Nothing here runs fetch inside a Dexie
 * transaction.
 */
import type { OutboxEntry, QuarantineEntry, WalkaroundDB } from '../store/db';
import type { Mutation, MutationResult } from '../shared/protocol';
import type { SectionName } from '../model/intake/schema';
import { canonicalJson } from '../shared/canonicalJson';
import type { SyncApi } from './syncApi';
import { SyncError, toSyncError } from './syncErrors';
import { isFrozen } from '../model/frozen';

export const MAX_BATCH = 100;
/** Keep one push request well under server body limits even with signature strokes. */
export const MAX_BATCH_BYTES = 1_500_000;
/** A signature waits this many runs for its intake's photos, then goes without them. */
export const MAX_SIGN_PHOTO_WAITS = 5;
import { WAITING_FOR_PHOTOS } from '../store/outbox';
/** A mutation answered 5xx this many times when sent alone is stuck (the rest goes past it). */
export const STUCK_AFTER_SERVER_ERRORS = 3;
/** A stuck mutation is tried again after this delay, doubling per further failure, up to the cap. */
export const STUCK_RETRY_BASE_MS = 60_000;
export const STUCK_RETRY_CAP_MS = 30 * 60_000;

export function stuckRetryDelay(serverErrors: number): number {
  const over = Math.max(0, serverErrors - STUCK_AFTER_SERVER_ERRORS);
  return Math.min(STUCK_RETRY_CAP_MS, STUCK_RETRY_BASE_MS * 2 ** Math.min(over, 20));
}

/** Signed records should reach the server complete: these wait (a little) for their photos. */
const WAITS_FOR_PHOTOS: ReadonlySet<Mutation['op']> = new Set(['sign', 'techCheck', 'handover']);

export interface PushContext {
  db: WalkaroundDB;
  api: SyncApi;
  now?: () => Date;
  onProgress?: (done: number, total: number) => void;
}

export interface PushOptions {
  /** Intakes whose 'sign' (and what follows it) should wait for photos in this pass. */
  holdSignsFor?: ReadonlySet<string>;
  /** Count a held signature as a wait (attempts + 1), so it goes anyway after MAX_SIGN_PHOTO_WAITS. */
  countWaits?: boolean;
}

export interface PushSummary {
  applied: number;
  conflicts: number;
  rejected: number;
  held: number;
  /** Entries that became (or stayed) stuck in this run. */
  stuck?: number;
}

function sizeOf(m: Mutation): number {
  return JSON.stringify(m).length;
}

/** Choose the next batch from pending entries (pure, for tests). */
export function chooseBatch(
  pending: OutboxEntry[],
  opts: { maxCount: number; maxBytes: number; holdSignsFor: ReadonlySet<string>; skipIntakes: ReadonlySet<string> },
): { batch: OutboxEntry[]; held: OutboxEntry[] } {
  const batch: OutboxEntry[] = [];
  const held: OutboxEntry[] = [];
  const blocked = new Set(opts.skipIntakes);
  const sections = new Set<string>();
  let bytes = 0;
  for (const e of pending) {
    if (batch.length >= opts.maxCount) break;
    if (blocked.has(e.intakeId)) continue;
    if ((e.serverErrors ?? 0) > 0) {
      // A suspect goes alone, so its 5xx answer blames nobody else.
      if (batch.length === 0) batch.push(e);
      break;
    }
    if (WAITS_FOR_PHOTOS.has(e.mutation.op) && opts.holdSignsFor.has(e.intakeId)) {
      held.push(e);
      blocked.add(e.intakeId);
      continue;
    }
    if (e.mutation.op === 'patch') {
      // A second patch of the same section must be based on the answer to the first.
      const k = `${e.intakeId}:${e.mutation.section}`;
      if (sections.has(k)) {
        blocked.add(e.intakeId);
        continue;
      }
      sections.add(k);
    }
    const size = sizeOf(e.mutation);
    if (batch.length > 0 && bytes + size > opts.maxBytes) break;
    bytes += size;
    batch.push(e);
  }
  return { batch, held };
}

/** Stuck entries whose retry time has come count as pending again. */
function sendable(e: OutboxEntry, now: number): boolean {
  return e.state === 'pending' || (e.state === 'stuck' && (!e.retryAt || Date.parse(e.retryAt) <= now));
}

async function pendingInOrder(db: WalkaroundDB, now: number = Date.now()): Promise<OutboxEntry[]> {
  return (await db.outbox.orderBy('seq').toArray()).filter((e) => sendable(e, now));
}

/** Intakes with a stuck entry still waiting for its retry time: their later entries wait too. */
async function stuckIntakes(db: WalkaroundDB, now: number): Promise<string[]> {
  return (await db.outbox.where('state').equals('stuck').toArray()).filter((e) => !sendable(e, now)).map((e) => e.intakeId);
}

function sameValue(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

/** An acknowledged patch: its section's revision on the server. */
interface Ack {
  entry: OutboxEntry;
  section: SectionName;
  rev: number;
}

/**
 * Settle acknowledged patches: remember each section's revision and rebase later patches of the
 * section. A few bulk requests for the whole batch: one request per entry was seen to take over a
 * second for 100 entries while photo reads kept IndexedDB busy (each small request queued behind
 * them), which held the push, and every record, until the photos were up.
 */
async function ackPatches(db: WalkaroundDB, acks: readonly Ack[]): Promise<void> {
  if (acks.length === 0) return;
  const intakeIds = [...new Set(acks.map((a) => a.entry.intakeId))];
  const rows = await db.sectionRevs.bulkGet(intakeIds);
  const revs = new Map(intakeIds.map((id, i) => [id, rows[i] ?? { intakeId: id, revs: {} }]));
  for (const a of acks) {
    const row = revs.get(a.entry.intakeId)!;
    const cur = row.revs[a.section];
    revs.set(a.entry.intakeId, { ...row, revs: { ...row.revs, [a.section]: cur === undefined ? a.rev : Math.max(cur, a.rev) } });
  }
  await db.sectionRevs.bulkPut([...revs.values()]);
  // Later local patches of a section were made on top of the acknowledged one, so their base is
  // its revision, not the one it started from (otherwise we'd conflict with ourselves).
  const later = await db.outbox.where('intakeId').anyOf(intakeIds).toArray();
  const rebased = new Map<number, OutboxEntry>();
  for (const a of acks) {
    const baseRev = a.entry.mutation.op === 'patch' ? a.entry.mutation.baseRev : null;
    for (const found of later) {
      if (found.seq === undefined || a.entry.seq === undefined || found.seq <= a.entry.seq || found.intakeId !== a.entry.intakeId) continue;
      const l = rebased.get(found.seq) ?? found;
      if (l.state !== 'pending' || l.mutation.op !== 'patch' || l.mutation.section !== a.section) continue;
      if (l.mutation.baseRev === baseRev || (l.mutation.baseRev ?? -1) < a.rev) rebased.set(found.seq, { ...l, mutation: { ...l.mutation, baseRev: a.rev } });
    }
  }
  if (rebased.size > 0) await db.outbox.bulkPut([...rebased.values()]);
}

/** Apply the server's answers for one batch in one transaction (bulk requests: see ackPatches). */
export async function settleResults(db: WalkaroundDB, batch: OutboxEntry[], results: MutationResult[], at: string): Promise<PushSummary> {
  const byId = new Map(results.map((r) => [r.mutationId, r]));
  const summary: PushSummary = { applied: 0, conflicts: 0, rejected: 0, held: 0 };
  await db.transaction('rw', [db.outbox, db.sectionRevs, db.conflicts, db.quarantine, db.intakes], async () => {
    const stored = await db.outbox.bulkGet(batch.map((e) => e.seq as number));
    const updates: OutboxEntry[] = [];
    const deletes: number[] = [];
    const quarantined: QuarantineEntry[] = [];
    const acks: Ack[] = [];
    const ack = (entry: OutboxEntry, section: SectionName, rev: number | undefined) => {
      if (rev !== undefined) acks.push({ entry, section, rev });
    };
    for (const [i, entry] of batch.entries()) {
      const seq = entry.seq as number;
      const r = byId.get(entry.mutationId);
      const cur = stored[i];
      if (!cur) continue; // settled already (another tab, or an earlier answer)
      if (!r) {
        updates.push({ ...cur, state: 'pending', attempts: cur.attempts + 1, lastError: 'no answer for this change' });
        continue;
      }
      const m = entry.mutation;
      if (r.status === 'rejected' && r.retry) {
        // Not yet: the server did not record it; it is sent again (next run).
        updates.push({ ...cur, state: 'pending', attempts: cur.attempts + 1, lastError: r.reason ?? 'refused for now', serverErrors: 0, retryAt: null });
        summary.held++;
        continue;
      }
      if (r.status === 'applied' || r.status === 'duplicate') {
        deletes.push(seq);
        if (m.op === 'patch') ack(entry, m.section, r.sectionRev);
        summary.applied++;
      } else if (r.status === 'conflict' && m.op === 'patch') {
        const intake = await db.intakes.get(m.intakeId);
        // The local record keeps "mine" until someone decides; the newest local value is mine.
        const mine = intake && !isFrozen(intake) ? intake[m.section] : m.value;
        deletes.push(seq);
        if (sameValue(mine, r.serverValue) && r.sectionRev !== undefined) {
          // Both tablets wrote the same thing: nothing to decide.
          ack(entry, m.section, r.sectionRev);
          summary.applied++;
          continue;
        }
        await db.conflicts.put({
          key: `${m.intakeId}:${m.section}`,
          intakeId: m.intakeId,
          section: m.section,
          mine,
          theirs: r.serverValue,
          theirsRev: r.sectionRev ?? 0,
          at,
        });
        summary.conflicts++;
      } else {
        // rejected, or a conflict on something that is not a section (e.g. signed elsewhere).
        quarantined.push({ mutationId: entry.mutationId, intakeId: entry.intakeId, mutation: entry.mutation, reason: r.reason ?? r.status, at });
        deletes.push(seq);
        summary.rejected++;
      }
    }
    if (updates.length > 0) await db.outbox.bulkPut(updates);
    if (quarantined.length > 0) await db.quarantine.bulkPut(quarantined);
    if (deletes.length > 0) await db.outbox.bulkDelete(deletes);
    await ackPatches(db, acks);
  });
  return summary;
}

/** Mark the batch as in flight (two bulk requests, not two per entry: see ackPatches). */
async function markSending(db: WalkaroundDB, batch: OutboxEntry[]): Promise<OutboxEntry[]> {
  return db.transaction('rw', db.outbox, async () => {
    const current = await db.outbox.bulkGet(batch.map((e) => e.seq as number));
    const now = Date.now();
    // section: null — from now on this mutation id never changes value (see recoverSending).
    const out = current.filter((cur): cur is OutboxEntry => !!cur && sendable(cur, now)).map((cur): OutboxEntry => ({ ...cur, state: 'sending', section: null }));
    if (out.length > 0) await db.outbox.bulkPut(out);
    return out;
  });
}

async function backToPending(db: WalkaroundDB, batch: OutboxEntry[], error: string | null, countAttempt: boolean): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    for (const e of batch) {
      const cur = await db.outbox.get(e.seq as number);
      if (!cur) continue;
      await db.outbox.update(e.seq as number, {
        state: 'pending',
        attempts: cur.attempts + (countAttempt ? 1 : 0),
        lastError: error ?? cur.lastError,
      });
    }
  });
}

/** A 5xx answer to `entry` sent alone: a suspect, or stuck once it has had enough of them. */
async function recordServerError(db: WalkaroundDB, entry: OutboxEntry, error: string, now: Date): Promise<boolean> {
  return db.transaction('rw', db.outbox, async () => {
    const cur = await db.outbox.get(entry.seq as number);
    if (!cur) return false;
    const serverErrors = (cur.serverErrors ?? 0) + 1;
    const stuck = serverErrors >= STUCK_AFTER_SERVER_ERRORS;
    await db.outbox.update(entry.seq as number, {
      state: stuck ? 'stuck' : 'pending',
      attempts: cur.attempts + 1,
      lastError: error,
      serverErrors,
      retryAt: stuck ? new Date(now.getTime() + stuckRetryDelay(serverErrors)).toISOString() : null,
    });
    return stuck;
  });
}

async function recordWaits(db: WalkaroundDB, held: OutboxEntry[]): Promise<Set<string>> {
  const giveUp = new Set<string>();
  await db.transaction('rw', db.outbox, async () => {
    for (const e of held) {
      const cur = await db.outbox.get(e.seq as number);
      if (!cur) continue;
      if (cur.attempts >= MAX_SIGN_PHOTO_WAITS) giveUp.add(e.intakeId);
      else await db.outbox.update(e.seq as number, { attempts: cur.attempts + 1, lastError: WAITING_FOR_PHOTOS });
    }
  });
  return giveUp;
}

export async function pushOutbox(ctx: PushContext, opts: PushOptions = {}): Promise<PushSummary> {
  const { db, api } = ctx;
  const now = ctx.now ?? (() => new Date());
  const total: PushSummary = { applied: 0, conflicts: 0, rejected: 0, held: 0, stuck: 0 };
  const hold = new Set(opts.holdSignsFor ?? []);
  const skip = new Set<string>(await stuckIntakes(db, now().getTime()));
  /** 5xx answers in a row to single mutations: two different ones look like an outage. */
  let serverFaultsInRow = 0;
  /** A 5xx for a mutation sent alone that is not stuck yet, with no push of this call succeeding: the run fails. */
  let unprovenFault: SyncError | null = null;
  let anyAnswered = false;
  let maxCount = MAX_BATCH;
  let done = 0;
  const initial = (await pendingInOrder(db)).length;

  if (opts.countWaits && hold.size > 0) {
    const held = (await pendingInOrder(db)).filter((e) => WAITS_FOR_PHOTOS.has(e.mutation.op) && hold.has(e.intakeId));
    for (const id of await recordWaits(db, held)) hold.delete(id);
  }

  for (;;) {
    const pending = await pendingInOrder(db, now().getTime());
    const { batch: chosen, held } = chooseBatch(pending, { maxCount, maxBytes: MAX_BATCH_BYTES, holdSignsFor: hold, skipIntakes: skip });
    for (const h of held) skip.add(h.intakeId);
    total.held += held.length;
    if (chosen.length === 0) break;
    const batch = await markSending(db, chosen);
    if (batch.length === 0) break;
    let results: MutationResult[];
    try {
      results = (await api.push(batch.map((e) => e.mutation))).results;
    } catch (e) {
      const err = toSyncError(e);
      if (err.kind === 'refused') {
        if (batch.length > 1) {
          // One bad mutation must not block the rest: retry one by one to find it.
          await backToPending(db, batch, null, false);
          maxCount = 1;
          continue;
        }
        const [only] = batch;
        if (only) await settleResults(db, [only], [{ mutationId: only.mutationId, status: 'rejected', reason: err.message }], now().toISOString());
        total.rejected++;
        continue;
      }
      if (err.kind === 'server' && (err.status ?? 0) >= 500) {
        if (batch.length > 1) {
          // One mutation may be what the server fails on: send one by one to find it.
          await backToPending(db, batch, null, false);
          maxCount = 1;
          continue;
        }
        const [only] = batch;
        if (only) {
          if (await recordServerError(db, only, err.message, now())) total.stuck = (total.stuck ?? 0) + 1;
          else unprovenFault = err;
          skip.add(only.intakeId); // later entries of this intake wait behind it; others go on
        }
        if (++serverFaultsInRow >= 2) throw err; // the server itself is failing: back off
        maxCount = 1;
        continue;
      }
      await backToPending(db, batch, err.message, true);
      throw err;
    }
    serverFaultsInRow = 0;
    anyAnswered = true;
    const answered = new Set(results.map((r) => r.mutationId));
    for (const e of batch) if (!answered.has(e.mutationId)) skip.add(e.intakeId); // try again next run
    for (const r of results) if (r.retry) skip.add(batch.find((e) => e.mutationId === r.mutationId)?.intakeId ?? ''); // not yet: next run
    const s = await settleResults(db, batch, results, now().toISOString());
    total.applied += s.applied;
    total.conflicts += s.conflicts;
    total.rejected += s.rejected;
    done += batch.length;
    ctx.onProgress?.(done, Math.max(initial, done));
    if (results.length === 0) throw new SyncError('protocol', 'The server answered a push with no results.');
  }
  // Nothing got through and the server failed on a mutation that is not stuck yet: it may be the
  // server, not the mutation. The run fails, so the engine backs off instead of hammering it.
  if (unprovenFault && !anyAnswered) throw unprovenFault;
  return total;
}
