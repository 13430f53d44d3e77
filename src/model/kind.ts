/**
 * A record kind, defined once: its schema, its freeze rule, and its named mutators. The tablet's
 * store (src/store/mutate.ts) and the server's push (src/server/sync/apply.ts) both run these
 * definitions, so a change means the same thing on both sides.
 *
 * A mutator is a PURE function (record, args, env) → record, with a zod schema for its args and
 * the roles that may run it. Work that is pure but slow (hashing the signed content) goes in
 * `prepare`, which the store runs BEFORE its Dexie transaction (SYNC.md #1: nothing slow inside);
 * the store then re-reads the record in the transaction and refuses (`record.stale`) if it changed
 * in between. `wire` says which outbox mutation carries the change to the server; `coalesce`
 * names the unsent outbox entry an autosave may update in place instead of queuing another.
 *
 * Adding a kind: a folder src/model/<kind>/ with schema.ts and kind.ts (defineKind(...)), one
 * line in src/model/registry.ts, and a server migration for its table (README "Adding a record kind").
 */
import type { z } from 'zod';
import type { Role } from '../shared/auth';
import type { Mutation, MutationOp } from '../shared/protocol';
import { DomainError } from './domainError';
import { isFrozen } from './frozen';

export interface Actor {
  id: string;
  name: string;
  /** Unknown on the tablet's store (the server checks roles); known on the server. */
  role?: Role;
}

export interface MutatorEnv {
  /** ISO time of the change (the tablet's clock; on the server the mutation's `at`). */
  now: string;
  actor: Actor | null;
  /** Parts of the record edited on two tablets, waiting for a person to choose (tablet only). */
  openConflicts: number;
}

export interface WireContext<R, A> {
  mutationId: string;
  before: R | undefined;
  after: R;
  args: A;
  env: MutatorEnv;
  /** Server revisions of the record's parts last seen on this tablet (intake sections). */
  mergeBase: Readonly<Record<string, number | undefined>>;
}

export interface Mutator<R, A, P = undefined> {
  args: z.ZodType<A>;
  roles: readonly Role[];
  /** True when the mutator makes a new record (no stored one is needed). */
  creates?: boolean;
  /** True when it may run on a frozen (signed) record; every other mutator is refused there. */
  allowsFrozen?: boolean;
  /** True when `run` reads env.openConflicts (counted in the write transaction only then: autosave needs no count). */
  readsConflicts?: boolean;
  prepare?: (record: R, args: A) => P;
  run: (record: R | undefined, args: A, env: MutatorEnv, prepared: P) => R;
  wire: (ctx: WireContext<R, A>) => Mutation;
  coalesce?: (args: A) => string;
}

/** What the server needs to run a mutator for an incoming wire mutation of this kind. */
export interface WireIn<R> {
  /** The mutator (and its args) to run instead when the server has no such record yet. */
  createWith?: string;
  createArgs?: unknown;
  recordId: string;
  args: unknown;
  /** The record as the tablet says the mutator left it (checked against the server's own run). */
  claimed: R;
  /** The stored record the mutator ran on, as the tablet had it (for sign-offs: the draft). */
  base?: R;
}

export interface KindDef<R, M> {
  name: string;
  /** The server's table (SQL); the tablet's is named in src/store/records.ts (kept zod-free). */
  sqlTable: string;
  schema: z.ZodType<R>;
  /** Signed means frozen: THE rule, used by the store, the pull merge and the server
   *  (src/model/frozen.ts unless the kind says otherwise). */
  isFrozen: (r: R) => boolean;
  /** A frozen record's own hash verifies (a pulled or pushed signed record is checked with it). */
  hashVerifies: (r: R) => boolean;
  mutators: M;
  /** Wire ops carrying this kind's changes to the server, and how the server reads each. */
  wireIn: Partial<Record<MutationOp, { mutator: Extract<keyof M, string>; read: (m: Mutation) => WireIn<R> | null }>>;
}

// The args type of each mutator differs; `any` stays inside this constraint.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMutators<R> = Record<string, Mutator<R, any, any>>;

export function defineKind<R extends { status: string }, M extends AnyMutators<R>>(def: Omit<KindDef<R, M>, 'isFrozen'> & Partial<Pick<KindDef<R, M>, 'isFrozen'>>): KindDef<R, M> {
  return { isFrozen, ...def };
}

/** The stored record a mutator works on; a mutator that does not create needs one. */
export function stored<R>(record: R | undefined, what: string): R {
  if (record === undefined) throw new DomainError('record.notFound', what);
  return record;
}

/** A time strictly after `prev` and not before `now`: a draft saved on a tablet whose clock is
 *  behind the one it was pulled from still moves forward (last-writer-wins by updatedAt). */
export function nextStamp(now: string, prev: string | undefined): string {
  if (!prev) return now;
  const p = Date.parse(prev);
  return Date.parse(now) > p ? now : new Date(p + 1).toISOString();
}
