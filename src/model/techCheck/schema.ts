/**
 * The technician's intake check (验收): its OWN record, linked to the signed intake it checks.
 *
 * The intake is never modified. The check refers to it by `intakeId` and by the intake's signed
 * `contentHash` (`intakeHash`), so a check is always bound to exactly the sheet the technician
 * held. It has its own content hash (canonical JSON + SHA-256, same as the intake), is signed by
 * the technician with name and PIN (the PIN is verified, never stored), and is frozen once signed.
 *
 * Per intake finding: confirmed or disputed (a dispute needs a note). New damage goes into
 * `newFindings` with `foundAt: 'technician'`, each with at least one photo. The complaint is
 * confirmed or not reproduced.
 */
import { z } from 'zod';
import { canonicalJson } from '../../shared/canonicalJson';
import { sha256Hex, SHA256_HEX } from '../../shared/sha256';
import { findingSchema, personRefSchema, type Intake } from '../intake/schema';
import { defaultTemplate, positionsInOrder, type Template } from '../../shared/template/template';
import { isFrozen } from '../frozen';
import { DomainError } from '../domainError';
import { boundedRecord, isoTime, LIMITS, storableText, uuidText } from '../text';

const hashSchema = z.string().regex(SHA256_HEX);

export const techVerdictSchema = z.enum(['confirmed', 'disputed']);
export type TechVerdict = z.infer<typeof techVerdictSchema>;

export const techReviewSchema = z.object({
  verdict: techVerdictSchema.nullable(),
  /** Why it is disputed (required for a dispute), or any remark. */
  note: storableText(LIMITS.note),
  photos: z.array(hashSchema).max(20),
});

export const positionCheckSchema = z.object({ checkedAt: isoTime.nullable() });

export const complaintCheckSchema = z.object({
  verdict: z.enum(['confirmed', 'notReproduced']).nullable(),
  roadTest: z.boolean(),
  note: storableText(LIMITS.longNote),
});

export const techCheckContentSchema = z.object({
  id: uuidText,
  intakeId: uuidText,
  /** The intake's signed content hash this check refers to. */
  intakeHash: hashSchema,
  technician: personRefSchema,
  createdAt: isoTime,
  positions: boundedRecord(positionCheckSchema),
  /** Keyed by the intake finding's id. */
  reviews: boundedRecord(techReviewSchema),
  newFindings: z.array(findingSchema).max(LIMITS.findings),
  complaint: complaintCheckSchema,
  note: storableText(LIMITS.longNote),
});

/** A staff sign-off by PIN: who, when, and the hash it binds. The PIN itself is never stored. */
export const pinSignoffSchema = z.object({
  role: z.literal('technician'),
  staffId: storableText(64),
  name: storableText(LIMITS.name).min(1),
  method: z.literal('pin'),
  signedAt: isoTime,
  contentHash: hashSchema,
});

export const techCheckSchema = techCheckContentSchema.extend({
  status: z.enum(['draft', 'signed']),
  updatedAt: isoTime,
  contentHash: hashSchema.nullable(),
  signedAt: isoTime.nullable(),
  signoff: pinSignoffSchema.nullable(),
});

export type TechReview = z.infer<typeof techReviewSchema>;
export type TechCheckContent = z.infer<typeof techCheckContentSchema>;
export type TechCheck = z.infer<typeof techCheckSchema>;
export type PinSignoff = z.infer<typeof pinSignoffSchema>;

export function techCheckContent(check: TechCheck | TechCheckContent): TechCheckContent {
  return techCheckContentSchema.parse(check); // strips status, signoff, … : exactly the content
}

export function techCheckHash(check: TechCheck | TechCheckContent): string {
  return sha256Hex(canonicalJson(techCheckContent(check)));
}

/** A fresh draft check of a signed intake. */
export function newTechCheck(opts: {
  id: string;
  intake: Intake;
  technician: { id: string; name: string };
  now?: Date;
  template?: Template;
}): TechCheck {
  const { intake } = opts;
  if (!isFrozen(intake) || !intake.contentHash) throw new DomainError('intake.notSigned');
  const t = opts.template ?? defaultTemplate;
  const now = (opts.now ?? new Date()).toISOString();
  return {
    id: opts.id,
    intakeId: intake.id,
    intakeHash: intake.contentHash,
    technician: opts.technician,
    createdAt: now,
    updatedAt: now,
    positions: Object.fromEntries(positionsInOrder(t).map((p) => [p.id, { checkedAt: null }])),
    reviews: Object.fromEntries(intake.walkaround.findings.map((f) => [f.id, { verdict: null, note: '', photos: [] }])),
    newFindings: [],
    complaint: { verdict: null, roadTest: false, note: '' },
    note: '',
    status: 'draft',
    contentHash: null,
    signedAt: null,
    signoff: null,
  };
}

export interface FollowUpIssue {
  key:
    | 'position'
    | 'verdict'
    | 'disputeNote'
    | 'newFindingIncomplete'
    | 'newFindingPhoto'
    | 'complaint'
    | 'intakeChanged';
  ref?: string;
}

/** A new finding must say where, what and how bad; the item must belong to its position. */
export function newFindingIssues(f: TechCheckContent['newFindings'][number], template: Template): FollowUpIssue[] {
  const pos = template.positions.find((p) => p.id === f.positionId);
  const out: FollowUpIssue[] = [];
  if (!pos || !pos.items.includes(f.itemId) || !f.type || !f.severity) out.push({ key: 'newFindingIncomplete', ref: f.id });
  if (f.photos.length === 0) out.push({ key: 'newFindingPhoto', ref: f.id });
  return out;
}

/** What must be true before the technician may sign. Empty = ready. */
export function techCheckIssues(check: TechCheckContent, intake: Intake, template: Template = defaultTemplate): FollowUpIssue[] {
  const issues: FollowUpIssue[] = [];
  if (intake.contentHash !== check.intakeHash) issues.push({ key: 'intakeChanged' });
  for (const p of positionsInOrder(template)) if (!check.positions[p.id]?.checkedAt) issues.push({ key: 'position', ref: p.id });
  for (const f of intake.walkaround.findings) {
    const r = check.reviews[f.id];
    if (!r?.verdict) issues.push({ key: 'verdict', ref: f.id });
    else if (r.verdict === 'disputed' && !r.note.trim()) issues.push({ key: 'disputeNote', ref: f.id });
  }
  for (const f of check.newFindings) issues.push(...newFindingIssues(f, template));
  if (intake.complaint.symptom.trim() && !check.complaint.verdict) issues.push({ key: 'complaint' });
  return issues;
}
