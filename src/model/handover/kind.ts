/**
 * The handover walk (交车) as a record kind: create and save a draft (synced as `handoverDraft`),
 * rebase it onto a technician's check signed after it began, and the customer's signature
 * (synced as `handover`, the signed record).
 */
import { z } from 'zod';
import { defineKind, nextStamp, stored, type Mutator } from '../kind';
import { DomainError } from '../domainError';
import { draftMutators } from '../followUpDraft';
import { signatureSchema } from '../intake/schema';
import { handoverHash, handoverSchema, type Handover } from './schema';

const ADVISORS = ['advisor', 'manager'] as const;

const unsigned = (r: Handover): Handover => ({ ...r, status: 'draft', contentHash: null, signedAt: null, signatures: [] });

const signArgs = z.object({ shownHash: z.string(), signatures: z.array(signatureSchema).min(1).max(3) });
type SignArgs = z.infer<typeof signArgs>;

const sign: Mutator<Handover, SignArgs, string> = {
  args: signArgs,
  roles: ADVISORS,
  prepare: (record, args) => {
    if (!args.signatures.some((s) => s.role === 'customer')) throw new DomainError('handover.customerSignature');
    const hash = handoverHash(record);
    if (hash !== args.shownHash || args.signatures.some((s) => s.contentHash !== hash)) throw new DomainError('record.stale', `hash mismatch: the content hashes to ${hash}`);
    return hash;
  },
  run: (record, { signatures }, env, hash) => ({
    ...stored(record, 'handover'),
    status: 'signed',
    contentHash: hash,
    signedAt: env.now,
    updatedAt: env.now,
    signatures,
  }),
  wire: ({ mutationId, after, env }) => ({ id: mutationId, op: 'handover', intakeId: after.intakeId, at: env.now, handover: after }),
};

const rebaseArgs = z.object({ techCheck: z.object({ id: z.string().uuid(), contentHash: z.string(), newFindingIds: z.array(z.string().max(40)).max(200) }) });
type RebaseArgs = z.infer<typeof rebaseArgs>;

/** A technician's check signed (or synced in) after the handover began: compare against it too. */
const rebase: Mutator<Handover, RebaseArgs> = {
  args: rebaseArgs,
  roles: ADVISORS,
  run: (record, { techCheck }, env) => {
    const draft = stored(record, 'handover');
    const reviews = { ...draft.reviews };
    for (const id of techCheck.newFindingIds) reviews[id] ??= { status: null, note: '', photos: [] };
    return { ...draft, techCheckId: techCheck.id, techCheckHash: techCheck.contentHash, reviews, updatedAt: nextStamp(env.now, draft.updatedAt) };
  },
  wire: ({ mutationId, after }) => ({ id: mutationId, op: 'handoverDraft', intakeId: after.intakeId, at: after.updatedAt, handover: after }),
  coalesce: () => 'draft',
};

export const handoverKind = defineKind({
  name: 'handover',
  sqlTable: 'handovers',
  schema: handoverSchema,
  hashVerifies: (r) => {
    const hash = handoverHash(r);
    return r.contentHash === hash && r.signatures.length > 0 && r.signatures.every((s) => s.contentHash === hash);
  },
  mutators: {
    ...draftMutators({
      schema: handoverSchema,
      roles: ADVISORS,
      unsigned,
      toWire: (id, r) => ({ id, op: 'handoverDraft', intakeId: r.intakeId, at: r.updatedAt, handover: r }),
    }),
    rebase,
    sign,
  },
  wireIn: {
    handoverDraft: {
      mutator: 'save',
      read: (m) => (m.op === 'handoverDraft' ? { createWith: 'create', recordId: m.handover.id, args: { draft: m.handover }, createArgs: { record: m.handover }, claimed: m.handover } : null),
    },
    handover: {
      mutator: 'sign',
      read: (m) => {
        if (m.op !== 'handover') return null;
        const h = m.handover;
        return { recordId: h.id, args: { shownHash: h.contentHash ?? '', signatures: h.signatures }, claimed: h, base: unsigned(h) };
      },
    },
  },
});
