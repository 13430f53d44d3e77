/**
 * Applying a push: reads and decisions first, without any lock; then ONE statement writes it all.
 *
 * 1. One read statement: the stored results of mutation ids already seen (replays) and the
 *    intake rows the batch touches.
 * 2. Replays are answered from the stored result ('applied' comes back as 'duplicate'; conflicts
 *    and rejections come back as they were) and change nothing. Every other mutation is checked
 *    against the acting staff member's role (the roles its mutator's definition names in
 *    src/model/<kind>/kind.ts), then applied (or answered conflict/rejected) in memory, in order,
 *    each write taking a change number relative to this push. A refusal that can become valid
 *    later (`retry: true`: intake not there or not signed yet, a role that may not run it) is
 *    answered but NOT recorded, so its replay is decided afresh; only final answers are stored.
 * 3. wa_commit_push (migrations/0002_commit_push.sql, follow-up drafts since 0004, appointments since 0005; several pushes arriving together go in one
 *    statement, see commitBatcher.ts) takes the dealership's counter row lock
 *    first, so change numbers are handed out and COMMITTED in the same order and a reader can
 *    never see seq 12 before 11 (SYNC.md invariant 4); writes the intakes, follow-up records and
 *    one `mutations` row per new mutation (the idempotency record); and refuses with 40001 if any
 *    row it decided on changed meanwhile (another push to the same intake, the same mutation
 *    replayed at the same moment). Then the whole push is redone from step 1 on fresh data.
 *    The lock is held only while that statement runs, not across any round trip to Node, which
 *    is what lets 50 tablets of one dealership push at once without queueing on each other.
 * After a few lost races the push is redone with the counter locked from the start (the old way,
 *    slower but it cannot lose), so a push always finishes.
 * An unexpected error changes nothing (one statement); the tablet retries the push (replay-safe).
 */
import type { Database } from '../db/client';
import type { Mutation, MutationResult } from '../../shared/protocol';
import { applyCreate, applyPatch, applySign, applyAmend } from './intakeOps';
import { applyFollowUp } from './followUpOps';
import { applyAppointment, type AppointmentWrite } from './appointmentOps';
import { INTAKE_ROW_JSON, IntakeCache, type IntakeWrite, type StoredIntake } from './intakeCache';
import { appointmentFragment, followUpFragment, intakeFragment } from './pull';
import { VersionCache } from './versionCache';
import { CommitBatcher } from './commitBatcher';
import { photoHashesOf } from '../../model/intake/signedContent';
import { mutatorOfOp } from '../../model/registry';
import { mayRun, type StaffRole } from '../../model/roles';
import { storableCopy } from '../../model/text';

export interface Author {
  dealershipId: string;
  deviceId: string;
  staffId: string;
  /** The acting staff member's role and name as the staff table has them. */
  role: StaffRole;
  staffName: string;
}

/** The author of a request's mutations: its device session and acting staff member. */
export function authorOf(auth: { dealershipId: string; sessionId: string; staffId: string; role: StaffRole; staffName: string }): Author {
  return { dealershipId: auth.dealershipId, deviceId: auth.sessionId, staffId: auth.staffId, role: auth.role, staffName: auth.staffName };
}

export interface ApplyOptions {
  /** Record final refusals (rejected, conflict) for replay. REST writes say false: a refusal there changes nothing. */
  recordRefusals?: boolean;
}

/** What one mutation did: its answer and the change number (relative to the push) it took. */
export interface Outcome {
  result: MutationResult;
  seq: number | null;
}

/** A raw parameterised query on the push's connection; `name` = prepared statement. */
export type Query = <T>(text: string, params: unknown[], name?: string) => Promise<T[]>;

export type FollowUpTable = 'tech_checks' | 'handovers';

export interface FollowUpWrite {
  id: string;
  intake_id: string;
  data: unknown;
  /** Null for a draft. */
  content_hash: string | null;
  rel: number;
  /** The seq of the stored version this replaces (null: a new record). */
  old_seq: number | null;
}

export interface OpContext {
  q: Query;
  intakes: IntakeCache;
  /** Follow-up records stored by this push, by id (written by the commit). */
  followUps: Record<FollowUpTable, Map<string, FollowUpWrite>>;
  /** Appointments stored by this push, by id (src/server/sync/appointmentOps.ts). */
  appointments: Map<string, AppointmentWrite>;
  author: Author;
  /** Take the next change number relative to this push (only when something is written). */
  nextSeq(): number;
}

async function applyOne(ctx: OpContext, m: Mutation): Promise<Outcome> {
  if (!mayRun(ctx.author.role, m.op)) {
    return { result: { mutationId: m.id, status: 'rejected', retry: true, reason: `a ${ctx.author.role} may not run ${m.op}; it is sent again when an allowed staff member syncs` }, seq: null };
  }
  switch (m.op) {
    case 'create':
      return applyCreate(ctx, m);
    case 'patch':
      return applyPatch(ctx, m);
    case 'sign':
      return applySign(ctx, m);
    case 'amend':
      return applyAmend(ctx, m);
    case 'techCheck':
    case 'techCheckDraft':
    case 'handover':
    case 'handoverDraft': {
      // Follow-up records: dispatched on the kind's own mutator table (followUpOps.ts).
      const found = mutatorOfOp(m.op);
      if (found && (found.kind === 'techCheck' || found.kind === 'handover')) return applyFollowUp(ctx, m, found.kind);
      return { result: { mutationId: m.id, status: 'rejected', reason: `mutation.unknown: ${m.op}` }, seq: null };
    }
    case 'appointment':
    case 'appointmentStatus':
      return applyAppointment(ctx, m);
  }
}

export function replayed(stored: MutationResult): MutationResult {
  return stored.status === 'applied' ? { ...stored, status: 'duplicate' } : stored;
}

const READ_SQL = `SELECT
  (SELECT COALESCE(json_agg(json_build_object('id', m.id, 'result', m.result)), '[]') FROM mutations m
     WHERE m.dealership_id = $1 AND m.id = ANY(string_to_array($2, ',')::uuid[])) AS prior,
  (SELECT COALESCE(json_agg(${INTAKE_ROW_JSON}), '[]') FROM intakes i
     WHERE i.dealership_id = $1 AND i.id = ANY(string_to_array($3, ',')::uuid[])) AS intakes`;

const COMMIT_SQL = 'SELECT wa_commit_push($1, $2, $3, $4, $5::jsonb) AS base';

/** Races lost (40001) before the push is redone under the lock from its start. */
const OPTIMISTIC_ATTEMPTS = 3;

interface MutationWrite {
  id: string;
  intake_id: string;
  op: string;
  client_at: string;
  rel: number | null;
  result: MutationResult;
}

/** What a push wrote, with the counter before it (for the VersionCache). */
interface Written {
  base: number;
  /** The dealership's counter after this commit (the seq of its last write). */
  head: number;
  intakes: IntakeWrite[];
  techChecks: FollowUpWrite[];
  handovers: FollowUpWrite[];
  appointments: AppointmentWrite[];
}

/** How an attempt commits: through the CommitBatcher, or straight on a locked transaction. */
type Commit = (author: Author, seqs: number, writesJson: string) => Promise<number>;

/** One attempt: read, decide, commit in one statement. Throws 40001 when it lost a race. */
async function attempt(q: Query, commit: Commit, author: Author, batch: Mutation[], opts: ApplyOptions): Promise<{ results: MutationResult[]; written: Written | null }> {
  const ids = [...new Set(batch.map((m) => m.id))];
  const intakeIds = [...new Set(batch.map((m) => m.intakeId))];
  const [read] = await q<{ prior: { id: string; result: MutationResult }[]; intakes: StoredIntake[] }>(
    READ_SQL,
    [author.dealershipId, ids.join(','), intakeIds.join(',')],
    'wa_push_read',
  );
  const seen = new Map<string, MutationResult>((read?.prior ?? []).map((p) => [p.id, p.result]));
  const cache = new IntakeCache(q, author.dealershipId);
  cache.load(intakeIds, read?.intakes ?? []);
  let rel = 0;
  const ctx: OpContext = { q, author, intakes: cache, followUps: { tech_checks: new Map(), handovers: new Map() }, appointments: new Map(), nextSeq: () => ++rel };
  const results: MutationResult[] = [];
  const rows: MutationWrite[] = [];
  for (const m of batch) {
    const stored = seen.get(m.id);
    if (stored) {
      results.push(replayed(stored));
      continue;
    }
    const before = rel;
    const { result: answer } = await applyOne(ctx, m);
    // Reasons may quote the client's own text (zod paths of record keys): store what jsonb can.
    const result = answer.reason === undefined ? answer : { ...answer, reason: storableCopy(answer.reason) };
    results.push(result);
    const final = !result.retry && (opts.recordRefusals !== false || result.status === 'applied' || result.status === 'duplicate');
    if (!final) continue;
    rows.push({ id: m.id, intake_id: m.intakeId, op: m.op, client_at: m.at, rel: rel > before ? rel : null, result });
    seen.set(m.id, result);
  }
  if (!rows.length) return { results, written: null };
  const { fresh, changed } = cache.writes();
  const techChecks = [...ctx.followUps.tech_checks.values()];
  const handovers = [...ctx.followUps.handovers.values()];
  const appointments = [...ctx.appointments.values()];
  const writes = JSON.stringify({ fresh, changed, tech_checks: techChecks, handovers, appointments, mutations: rows });
  const base = await commit(author, rel, writes);
  return { results, written: { base, head: base + rel, intakes: [...fresh, ...changed], techChecks, handovers, appointments } };
}

/** Keep the JSON of the versions just committed: the other tablets are about to pull them. */
function remember(versions: VersionCache, dealershipId: string, w: Written): void {
  for (const r of w.intakes) {
    const seq = w.base + r.rel;
    versions.set(VersionCache.key('i', dealershipId, r.id, seq), intakeFragment(seq, JSON.stringify(r.data), JSON.stringify(r.section_revs), photoHashesOf(r.data)));
  }
  for (const [kind, list] of [['t', w.techChecks], ['h', w.handovers]] as const) {
    for (const r of list) {
      const seq = w.base + r.rel;
      versions.set(VersionCache.key(kind, dealershipId, r.id, seq), followUpFragment(kind, seq, JSON.stringify(r.data)));
    }
  }
  for (const r of w.appointments) {
    const seq = w.base + r.rel;
    versions.set(VersionCache.key('a', dealershipId, r.id, seq), appointmentFragment(seq, JSON.stringify(r.data)));
  }
}

function isRace(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '40001';
}

const batchers = new WeakMap<Database, CommitBatcher>();

async function run(database: Database, author: Author, batch: Mutation[], opts: ApplyOptions): Promise<{ results: MutationResult[]; written: Written | null }> {
  const q: Query = (text, params, name) => database.query(text, params, name);
  let batcher = batchers.get(database);
  if (!batcher) batchers.set(database, (batcher = new CommitBatcher(database)));
  const grouped: Commit = (a, seqs, writesJson) => (batcher as CommitBatcher).commit(a.dealershipId, { deviceId: a.deviceId, staffId: a.staffId, seqs, writesJson });
  for (let tries = 1; tries <= OPTIMISTIC_ATTEMPTS; tries++) {
    try {
      return await attempt(q, grouped, author, batch, opts);
    } catch (e) {
      if (!isRace(e)) throw e;
    }
  }
  // Contended: hold the counter from the start so no one can change what this push reads.
  let out: { results: MutationResult[]; written: Written | null } = { results: [], written: null };
  await database.rawTransaction(async (tx) => {
    await tx.query('SELECT change_seq FROM dealerships WHERE id = $1 FOR UPDATE', [author.dealershipId]);
    const locked: Commit = async (a, seqs, writesJson) => {
      const [done] = await tx.query<{ base: string | number }>(COMMIT_SQL, [a.dealershipId, a.deviceId, a.staffId, seqs, writesJson]);
      return Number(done?.base ?? 0);
    };
    out = await attempt((text, params) => tx.query(text, params), locked, author, batch, opts);
  });
  return out;
}

type CommitListener = (dealershipId: string, head: number) => void;
const commitListeners = new WeakMap<Database, Set<CommitListener>>();

/**
 * Be told after every commit on this database that wrote something a pull returns: the
 * dealership and its new head seq (the event stream's hint, changeHub.ts). Called after the
 * commit, never inside it; a listener's error is its own. Returns the unsubscribe function.
 */
export function onCommitted(database: Database, listener: CommitListener): () => void {
  let set = commitListeners.get(database);
  if (!set) commitListeners.set(database, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export async function applyPush(database: Database, versions: VersionCache | null, author: Author, batch: Mutation[], opts: ApplyOptions = {}): Promise<MutationResult[]> {
  const { results, written } = await run(database, author, batch, opts);
  if (written && versions) remember(versions, author.dealershipId, written);
  if (written && written.head > written.base) {
    for (const l of commitListeners.get(database) ?? []) {
      try {
        l(author.dealershipId, written.head);
      } catch {
        // a listener's failure never fails the push that committed
      }
    }
  }
  return results;
}
