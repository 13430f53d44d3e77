/**
 * What the two follow-up records (technician's check, handover) share: a draft is created whole,
 * autosaved whole, and travels whole (`techCheckDraft` / `handoverDraft`, last writer wins by
 * updatedAt, see src/shared/protocol.ts); the sign-off travels as the signed record
 * (`techCheck` / `handover`). One person edits a follow-up record, a few minutes, beside the car:
 * there is nothing to merge field by field, and whole records keep the server rule to one
 * comparison. Each kind adds its own `sign` (and the handover its `rebase`).
 */
import { z } from 'zod';
import type { Role } from '../shared/auth';
import type { Mutation } from '../shared/protocol';
import { DomainError } from './domainError';
import { nextStamp, stored, type KindDef, type Mutator } from './kind';

interface Draftable {
  id: string;
  intakeId: string;
  status: 'draft' | 'signed';
  updatedAt: string;
}

export function followUpParts<R extends Draftable>(opts: {
  schema: z.ZodType<R>;
  roles: readonly Role[];
  /** The record with every sign-off field cleared (status draft). */
  unsigned: (r: R) => R;
  /** The wire field (and op) of the signed record; drafts travel as `${field}Draft`. */
  field: 'techCheck' | 'handover';
  /** The sign mutator's args, read back from a signed record (what the server checks). */
  signArgs: (signed: R) => unknown;
}) {
  const { schema, roles, unsigned, field, signArgs } = opts;
  const ops = { draft: `${field}Draft`, signed: field } as const;
  const toWire = (id: string, op: 'draft' | 'signed', r: R) => ({ id, op: ops[op], intakeId: r.intakeId, at: r.updatedAt, [field]: r }) as unknown as Mutation;
  const recordOf = (m: Mutation) => ((m as Record<string, unknown>)[field] as R | undefined) ?? null;
  const draftWire = ({ mutationId, after }: { mutationId: string; after: R }) => toWire(mutationId, 'draft', after);
  const signedWire = ({ mutationId, after }: { mutationId: string; after: R }) => toWire(mutationId, 'signed', after);
  // Start and every save of one record coalesce into one unsent entry: it always carries the
  // newest whole draft. An entry already sent is left alone and a new one queued behind it.
  const coalesce = () => 'draft';
  const create: Mutator<R, { record: R }> = {
    args: z.object({ record: schema }) as z.ZodType<{ record: R }>,
    roles,
    creates: true,
    run: (record, args) => {
      if (record) throw new DomainError('mutation.invalidArgs', `record ${args.record.id} exists`);
      return unsigned(args.record);
    },
    wire: draftWire,
    coalesce,
  };
  const save: Mutator<R, { draft: R }> = {
    args: z.object({ draft: schema }) as z.ZodType<{ draft: R }>,
    roles,
    run: (record, { draft }, env) => {
      const cur = stored(record, 'draft');
      return { ...unsigned(draft), id: cur.id, intakeId: cur.intakeId, updatedAt: nextStamp(env.now, cur.updatedAt) };
    },
    wire: draftWire,
    coalesce,
  };
  const opOf = (m: Mutation, op: string) => (m.op === op ? recordOf(m) : null);
  const wireIn: KindDef<R, Record<'save' | 'sign', unknown>>['wireIn'] = {
    [ops.draft]: {
      mutator: 'save',
      read: (m: Mutation) => {
        const r = opOf(m, ops.draft);
        return r && { createWith: 'create', recordId: r.id, args: { draft: r }, createArgs: { record: r }, claimed: r };
      },
    },
    [ops.signed]: {
      mutator: 'sign',
      read: (m: Mutation) => {
        const r = opOf(m, ops.signed);
        return r && { recordId: r.id, args: signArgs(r), claimed: r, base: unsigned(r) };
      },
    },
  };
  return { create, save, draftWire, signedWire, coalesce, wireIn };
}
