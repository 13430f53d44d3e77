/**
 * What the two follow-up records (technician's check, handover) share: a draft is created whole,
 * autosaved whole, and travels whole (`techCheckDraft` / `handoverDraft`, last writer wins by
 * updatedAt, see src/shared/protocol.ts). One person edits a follow-up record, a few minutes,
 * beside the car: there is nothing to merge field by field, and whole records keep the server
 * rule to one comparison.
 */
import { z } from 'zod';
import type { Role } from '../shared/auth';
import type { Mutation } from '../shared/protocol';
import { DomainError } from './domainError';
import { nextStamp, stored, type Mutator } from './kind';

interface Draftable {
  id: string;
  intakeId: string;
  status: 'draft' | 'signed';
  updatedAt: string;
}

export function draftMutators<R extends Draftable>(opts: {
  schema: z.ZodType<R>;
  roles: readonly Role[];
  /** The record with every sign-off field cleared (status draft). */
  unsigned: (r: R) => R;
  toWire: (mutationId: string, record: R) => Mutation;
}): { create: Mutator<R, { record: R }>; save: Mutator<R, { draft: R }> } {
  const { schema, roles, unsigned, toWire } = opts;
  const wire = ({ mutationId, after }: { mutationId: string; after: R }) => toWire(mutationId, after);
  // Start and every save of one record coalesce into one unsent entry: it always carries the
  // newest whole draft. An entry already sent is left alone and a new one queued behind it.
  const coalesce = () => 'draft';
  return {
    create: {
      args: z.object({ record: schema }) as z.ZodType<{ record: R }>,
      roles,
      creates: true,
      run: (record, args) => {
        if (record) throw new DomainError('mutation.invalidArgs', `record ${args.record.id} exists`);
        return unsigned(args.record);
      },
      wire,
      coalesce,
    },
    save: {
      args: z.object({ draft: schema }) as z.ZodType<{ draft: R }>,
      roles,
      run: (record, { draft }, env) => {
        const cur = stored(record, 'draft');
        return { ...unsigned(draft), id: cur.id, intakeId: cur.intakeId, updatedAt: nextStamp(env.now, cur.updatedAt) };
      },
      wire,
      coalesce,
    },
  };
}
