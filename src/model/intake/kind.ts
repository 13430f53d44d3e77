/**
 * The intake as a record kind: create, updateSection (autosave of one section), sign, amend.
 * The server keeps its own section merge for patches (baseRev / conflict, src/server/sync/
 * intakeOps.ts); these definitions are what the tablet runs, and what decides who may run them.
 */
import { z } from 'zod';
import { defineKind, stored, type Mutator } from '../kind';
import { DomainError } from '../domainError';
import { isFrozen } from '../frozen';
import { amendmentSchema, intakeContentSchema, intakeSchema, personRefSchema, signatureSchema, type Intake } from './schema';
import { SECTIONS } from './sections';
import { contentHash, signedContent } from './signedContent';
import { readinessDetail, readinessIssues } from './readiness';

const ADVISORS = ['advisor', 'manager'] as const;

const create: Mutator<Intake, { intake: Intake }> = {
  args: z.object({ intake: intakeSchema }),
  roles: ADVISORS,
  creates: true,
  run: (record, { intake }) => {
    if (record) throw new DomainError('mutation.invalidArgs', `intake ${intake.id} exists`);
    if (intake.status !== 'draft') throw new DomainError('mutation.invalidArgs', 'a new intake is a draft');
    return intake;
  },
  wire: ({ mutationId, after }) => ({ id: mutationId, op: 'create', intakeId: after.id, at: after.createdAt, intake: after }),
};

const updateSectionArgs = z.object({ section: z.enum(SECTIONS), value: z.unknown() });
type UpdateSectionArgs = z.infer<typeof updateSectionArgs>;

const updateSection: Mutator<Intake, UpdateSectionArgs> = {
  args: updateSectionArgs,
  roles: ADVISORS,
  run: (record, { section, value }, env) => {
    const parsed = intakeContentSchema.shape[section].safeParse(value); // the check the server applies
    if (!parsed.success) throw new DomainError('mutation.invalidArgs', `${section}: ${parsed.error.issues[0]?.message ?? ''}`);
    return { ...stored(record, 'intake'), [section]: parsed.data, updatedAt: env.now };
  },
  wire: ({ mutationId, after, args, env, mergeBase }) => ({
    id: mutationId,
    op: 'patch',
    intakeId: after.id,
    at: env.now,
    section: args.section,
    value: after[args.section],
    baseRev: mergeBase[args.section] ?? null,
  }),
  // Typing a long complaint is one mutation, not hundreds: an unsent patch of the section is
  // updated in place (keeping its id and merge base); one being sent is never touched.
  coalesce: (args) => args.section,
};

const signArgs = z.object({ shownHash: z.string(), signatures: z.array(signatureSchema).min(1).max(5) });
type SignArgs = z.infer<typeof signArgs>;

/** The hash of what is signed, and the check that the signatures are bound to what was shown. */
function boundHash(record: Intake, args: SignArgs): string {
  const hash = contentHash(record);
  if (hash !== args.shownHash || args.signatures.some((s) => s.contentHash !== hash)) throw new DomainError('record.stale', `hash mismatch: ${hash}`);
  return hash;
}

const sign: Mutator<Intake, SignArgs, string> = {
  args: signArgs,
  roles: ADVISORS,
  readsConflicts: true,
  prepare: boundHash,
  run: (record, args, env, hash) => {
    // A section edited on two tablets must be settled by a person before the customer signs.
    if (env.openConflicts > 0) throw new DomainError('record.openConflicts', String(env.openConflicts));
    // The record settles disputes: nothing incomplete is signed (the server runs the same check).
    const intake = stored(record, 'intake');
    const gaps = readinessIssues(intake);
    if (gaps.length > 0) throw new DomainError('record.incomplete', readinessDetail(gaps));
    return { ...intake, status: 'signed', contentHash: hash, signedAt: env.now, signatures: args.signatures, updatedAt: env.now };
  },
  wire: ({ mutationId, after, env }) => ({
    id: mutationId,
    op: 'sign',
    intakeId: after.id,
    at: env.now,
    content: signedContent(after),
    contentHash: after.contentHash ?? '',
    signatures: after.signatures,
    signedAt: after.signedAt ?? env.now,
  }),
};

const amendArgs = z.object({ id: amendmentSchema.shape.id, by: personRefSchema, text: amendmentSchema.shape.text });
type AmendArgs = z.infer<typeof amendArgs>;

/** Corrections after signing: an amendment that refers to the signed hash; the content stays. */
const amend: Mutator<Intake, AmendArgs> = {
  args: amendArgs,
  roles: ADVISORS,
  allowsFrozen: true,
  run: (record, args, env) => {
    const intake = stored(record, 'intake');
    if (!isFrozen(intake) || !intake.contentHash) throw new DomainError('record.notSigned', 'only a signed intake takes amendments');
    const amendment = { ...args, at: env.now, refersTo: intake.contentHash };
    return { ...intake, amendments: [...intake.amendments, amendment], updatedAt: env.now };
  },
  wire: ({ mutationId, after, args, env }) => {
    const amendment = after.amendments.find((a) => a.id === args.id);
    if (!amendment) throw new DomainError('record.notFound', `amendment ${args.id}`);
    return { id: mutationId, op: 'amend', intakeId: after.id, at: env.now, amendment };
  },
};

export const intakeKind = defineKind({
  name: 'intake',
  sqlTable: 'intakes',
  schema: intakeSchema,
  hashVerifies: (r) => r.contentHash === contentHash(r),
  mutators: { create, updateSection, sign, amend },
  // The intake's ops (create/patch/sign/amend) keep the server's own merge rule (intakeOps.ts).
  wireIn: {},
});
