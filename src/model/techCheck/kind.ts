/**
 * The technician's check (验收) as a record kind: create and save a draft (synced as
 * `techCheckDraft`), sign off with name and PIN (synced as `techCheck`, the signed record).
 * The PIN is verified by the screen before `sign`; it is never stored.
 */
import { z } from 'zod';
import { defineKind, stored, type Mutator } from '../kind';
import { DomainError } from '../domainError';
import { draftMutators } from '../followUpDraft';
import { techCheckHash, techCheckSchema, type TechCheck } from './schema';

const TECHNICIANS = ['technician', 'manager'] as const;

const unsigned = (r: TechCheck): TechCheck => ({ ...r, status: 'draft', contentHash: null, signedAt: null, signoff: null });

const signArgs = z.object({ shownHash: z.string(), by: z.object({ staffId: z.string().max(64), name: z.string().trim().min(1).max(60) }) });
type SignArgs = z.infer<typeof signArgs>;

const sign: Mutator<TechCheck, SignArgs, string> = {
  args: signArgs,
  roles: TECHNICIANS,
  // Hashing happens here, before the store's transaction; what was shown must be what is signed.
  prepare: (record, args) => {
    const hash = techCheckHash(record);
    if (hash !== args.shownHash) throw new DomainError('record.stale', `hash mismatch: the content hashes to ${hash}`);
    return hash;
  },
  run: (record, { by }, env, hash) => ({
    ...stored(record, 'technician check'),
    status: 'signed',
    contentHash: hash,
    signedAt: env.now,
    updatedAt: env.now,
    signoff: { role: 'technician', staffId: by.staffId, name: by.name, method: 'pin', signedAt: env.now, contentHash: hash },
  }),
  wire: ({ mutationId, after, env }) => ({ id: mutationId, op: 'techCheck', intakeId: after.intakeId, at: env.now, techCheck: after }),
};

export const techCheckKind = defineKind({
  name: 'techCheck',
  sqlTable: 'tech_checks',
  schema: techCheckSchema,
  hashVerifies: (r) => {
    const hash = techCheckHash(r);
    return r.contentHash === hash && r.signoff?.contentHash === hash;
  },
  mutators: {
    ...draftMutators({
      schema: techCheckSchema,
      roles: TECHNICIANS,
      unsigned,
      toWire: (id, r) => ({ id, op: 'techCheckDraft', intakeId: r.intakeId, at: r.updatedAt, techCheck: r }),
    }),
    sign,
  },
  wireIn: {
    techCheckDraft: {
      mutator: 'save',
      read: (m) => (m.op === 'techCheckDraft' ? { createWith: 'create', recordId: m.techCheck.id, args: { draft: m.techCheck }, createArgs: { record: m.techCheck }, claimed: m.techCheck } : null),
    },
    techCheck: {
      mutator: 'sign',
      read: (m) => {
        if (m.op !== 'techCheck') return null;
        const tc = m.techCheck;
        const args = { shownHash: tc.contentHash ?? '', by: { staffId: tc.signoff?.staffId ?? '', name: tc.signoff?.name ?? '' } };
        return { recordId: tc.id, args, claimed: tc, base: unsigned(tc) };
      },
    },
  },
});
