/**
 * The one write path for records on the tablet: `mutate(kind, name, args)`.
 *
 * 1. Loads the kind's definitions (src/model/registry.ts; loaded on the first write, so zod stays
 *    off the first screen) and validates the args with the mutator's zod schema.
 * 2. Runs the mutator's `prepare` (hashing) BEFORE any transaction, on the record as read then.
 * 3. In ONE Dexie transaction (SYNC.md #1): re-reads the record; refuses a frozen record (the
 *    kind's isFrozen) unless the mutator allows it; refuses (`record.stale`) if it changed since
 *    step 2; runs the mutator; validates the result with the kind's schema; writes the record,
 *    its derived rows and the outbox entry. An unsent entry with the mutator's coalescing key is
 *    updated in place (autosave: one mutation, not hundreds); an entry in flight is never touched.
 * A failure anywhere writes nothing. Errors are DomainErrors with a code the UI translates.
 *
 * Offline: everything here works with no network; the sync engine pushes the outbox later.
 */
import type { WalkaroundDB } from './db';
import { getDb } from './db';
import { DomainError } from '../model/domainError';
import type { Actor, Mutator, MutatorEnv } from '../model/kind';
import type { ArgsOf, KindName, MutatorName, RecordOf } from '../model/registry';
import type { Mutation } from '../shared/protocol';
import { outboxEntry } from './outbox';
import { recordTable, putRecord, writeTables } from './records';

type Registry = typeof import('../model/registry');
let registry: Registry | null = null;

/** Load the kinds' definitions (zod included). mutate does it; call it first to mutate inside an
 *  outer transaction (a dynamic import inside a Dexie transaction would commit it early). */
export async function loadKinds(): Promise<Registry> {
  registry ??= await import('../model/registry');
  return registry;
}

export interface MutateOptions {
  /** The record to change (not needed by mutators that create one). */
  id?: string;
  actor?: Actor;
  db?: WalkaroundDB;
}

type AnyMutator = Mutator<{ id: string; status: 'draft' | 'signed'; updatedAt: string }, unknown, unknown>;

function newId(): string {
  return globalThis.crypto.randomUUID();
}

function invalid(issues: { path: PropertyKey[]; message: string }[]): DomainError {
  return new DomainError('mutation.invalidArgs', issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}

export async function mutate<K extends KindName, N extends MutatorName<K>>(kind: K, name: N, args: ArgsOf<K, N>, opts: MutateOptions = {}): Promise<RecordOf<K>> {
  const { kinds } = registry ?? (await loadKinds());
  const db = opts.db ?? getDb();
  const def = kinds[kind];
  const m = (def.mutators as unknown as Record<string, AnyMutator | undefined>)[name];
  if (!m) throw new DomainError('mutation.unknown', `${kind}.${name}`);
  const parsed = m.args.safeParse(args);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const a = parsed.data;
  const actor = opts.actor ?? null;
  if (actor?.role && !m.roles.includes(actor.role)) throw new DomainError('mutation.forbidden', `${kind}.${name}`);
  const isFrozen = def.isFrozen as (r: unknown) => boolean;
  const table = recordTable(db, kind);

  let before: { updatedAt: string } | undefined;
  let prepared: unknown;
  if (m.prepare) {
    const rec = opts.id ? await table.get(opts.id) : undefined;
    if (!rec) throw new DomainError('record.notFound', `${kind} ${opts.id ?? ''}`);
    if (isFrozen(rec) && !m.allowsFrozen) throw new DomainError('record.frozen', kind);
    prepared = m.prepare(rec, a); // hashing: before the transaction, never inside it
    before = rec;
  }

  const now = new Date().toISOString();
  return db.transaction('rw', [...writeTables(db, kind), db.outbox, db.sectionRevs, db.conflicts], async () => {
    const current = opts.id ? await table.get(opts.id) : undefined;
    if (!current && !m.creates) throw new DomainError('record.notFound', `${kind} ${opts.id ?? ''}`);
    if (current && isFrozen(current) && !m.allowsFrozen) throw new DomainError('record.frozen', kind);
    if (before && current?.updatedAt !== before.updatedAt) throw new DomainError('record.stale', 'changed after it was shown');
    const openConflicts = current && m.readsConflicts ? await db.conflicts.where('intakeId').equals(current.id).count() : 0;
    const env: MutatorEnv = { now, actor, openConflicts };
    const checked = def.schema.safeParse(m.run(current, a, env, prepared));
    if (!checked.success) throw invalid(checked.error.issues);
    const after = checked.data as { id: string; status: 'draft' | 'signed'; updatedAt: string };
    const recordId = after.id;
    await putRecord(db, kind, after);

    const key = (m.coalesce?.(a) ?? null) as 'draft' | null;
    const pending = key ? await db.outbox.where('[recordId+section+state]').equals([recordId, key, 'pending']).first() : undefined;
    // Coalescing into an unsent entry keeps that entry's merge base, so the stored revisions are
    // read only for a new entry (autosave, the common case, does one read less).
    const draftWire = pending ? m.wire({ mutationId: pending.mutationId, before: current, after, args: a, env, mergeBase: {} }) : null;
    if (pending?.seq !== undefined && draftWire && pending.op === draftWire.op) {
      // Same mutation id (never sent) and merge base; the newest value.
      const coalesced = { ...draftWire, id: pending.mutationId, ...(pending.mutation.op === 'patch' ? { baseRev: pending.mutation.baseRev } : {}) } as Mutation;
      await db.outbox.update(pending.seq, { mutation: coalesced });
    } else {
      const mergeBase = (await db.sectionRevs.get(recordId))?.revs ?? {};
      const fresh = m.wire({ mutationId: newId(), before: current, after, args: a, env, mergeBase });
      await db.outbox.add(outboxEntry(fresh, kind, recordId, key));
    }
    return after as RecordOf<K>;
  });
}
