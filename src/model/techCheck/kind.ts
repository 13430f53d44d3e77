/**
 * The technician's check (验收) as a record kind: create and save a draft (synced as
 * `techCheckDraft`), sign off with name and PIN (synced as `techCheck`, the signed record).
 * The PIN is verified by the screen before `sign`; it is never stored.
 */
import { z } from 'zod';
import { defineKind, stored, type Mutator } from '../kind';
import { DomainError } from '../domainError';
import { followUpParts } from '../followUpDraft';
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
  wire: (ctx) => parts.signedWire(ctx), // the signed record (its updatedAt is the sign-off time)
};

const parts = followUpParts({
  schema: techCheckSchema,
  roles: TECHNICIANS,
  unsigned,
  field: 'techCheck',
  signArgs: (tc) => ({ shownHash: tc.contentHash ?? '', by: { staffId: tc.signoff?.staffId ?? '', name: tc.signoff?.name ?? '' } }),
});

export const techCheckKind = defineKind({
  name: 'techCheck',
  sqlTable: 'tech_checks',
  schema: techCheckSchema,
  hashVerifies: (r) => {
    const hash = techCheckHash(r);
    return r.contentHash === hash && r.signoff?.contentHash === hash;
  },
  mutators: { create: parts.create, save: parts.save, sign },
  wireIn: parts.wireIn,
});
