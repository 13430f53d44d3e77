/**
 * The handover walk (交车): its OWN record, linked to the signed intake (and to the signed
 * technician's check, when there is one) by id and signed content hash. The intake is never
 * modified.
 *
 * The advisor and the customer walk the six positions again: every earlier finding (intake and
 * technician's check) is marked unchanged or changed; new damage goes into `newFindings` with
 * `foundAt: 'handover'`. Then the checklist of step 6: safekeeping items returned one by one,
 * three-piece set removed, documents and keys returned, old parts shown, declined safety
 * recommendations explained, next service date and mileage, the customer's preferred time for
 * the follow-up call. The customer signs; the signature binds the handover's own content hash.
 */
import { z } from 'zod';
import { canonicalJson } from '../../shared/canonicalJson';
import { sha256Hex, SHA256_HEX } from '../../shared/sha256';
import { findingSchema, personRefSchema, signatureSchema, type Intake } from '../intake/schema';
import { defaultTemplate, positionsInOrder, type Template } from '../../shared/template/template';
import { newFindingIssues, positionCheckSchema, type FollowUpIssue, type TechCheck } from '../techCheck/schema';
import { isFrozen } from '../frozen';
import { DomainError } from '../domainError';
import { boundedRecord, dateOrEmpty, isoTime, LIMITS, storableText, uuidText } from '../text';

const hashSchema = z.string().regex(SHA256_HEX);

export const handoverReviewSchema = z.object({
  status: z.enum(['unchanged', 'changed']).nullable(),
  note: storableText(LIMITS.note),
  photos: z.array(hashSchema).max(20),
});

export const FOLLOW_UP_SLOTS = ['morning', 'afternoon', 'evening'] as const;

export const handoverContentSchema = z.object({
  id: uuidText,
  intakeId: uuidText,
  intakeHash: hashSchema,
  /** The signed technician's check compared against, if one existed when the handover began. */
  techCheckId: uuidText.nullable(),
  techCheckHash: hashSchema.nullable(),
  advisor: personRefSchema,
  createdAt: isoTime,
  positions: boundedRecord(positionCheckSchema),
  /** Keyed by finding id: intake findings and the technician's new findings. */
  reviews: boundedRecord(handoverReviewSchema),
  newFindings: z.array(findingSchema).max(LIMITS.findings),
  /** Safekeeping (委托保管) items, answered one by one (keyed by valuables item id): handed back,
   *  or missing (a difference the sheet lists). */
  valuablesReturned: boundedRecord(z.enum(['returned', 'missing']).nullable()),
  protectionRemoved: z.boolean(),
  documentsReturned: z.object({ registration: z.boolean(), serviceBooklet: z.boolean(), keys: z.number().int().min(0).max(10) }),
  oldPartsShown: z.boolean(),
  /** Declined safety recommendations explained to the customer, keyed by recommendation id. */
  declinedSafety: boundedRecord(z.object({ explained: z.boolean() })),
  nextService: z.object({
    date: dateOrEmpty,
    mileageKm: z.number().int().min(0).max(3_000_000).nullable(),
  }),
  followUp: z.object({
    date: dateOrEmpty,
    slot: z.enum(['', ...FOLLOW_UP_SLOTS]),
    note: storableText(300),
  }),
  note: storableText(LIMITS.longNote),
});

export const handoverSchema = handoverContentSchema.extend({
  status: z.enum(['draft', 'signed']),
  updatedAt: isoTime,
  contentHash: hashSchema.nullable(),
  signedAt: isoTime.nullable(),
  signatures: z.array(signatureSchema).max(3),
});

export type HandoverReview = z.infer<typeof handoverReviewSchema>;
export type HandoverContent = z.infer<typeof handoverContentSchema>;
export type Handover = z.infer<typeof handoverSchema>;

export function handoverContent(h: Handover | HandoverContent): HandoverContent {
  return handoverContentSchema.parse(h);
}

export function handoverHash(h: Handover | HandoverContent): string {
  return sha256Hex(canonicalJson(handoverContent(h)));
}

/** Items the dealership held in safekeeping at intake: each must come back. */
export function safekeepingItems(intake: Intake) {
  return intake.valuables.items.filter((v) => v.answer === 'safekeeping');
}

export function declinedSafetyRecommendations(intake: Intake) {
  return intake.work.recommendations.filter((r) => r.safety && r.decision === 'later');
}

export function newHandover(opts: {
  id: string;
  intake: Intake;
  techCheck: TechCheck | null;
  advisor: { id: string; name: string };
  now?: Date;
  template?: Template;
}): Handover {
  const { intake } = opts;
  if (!isFrozen(intake) || !intake.contentHash) throw new DomainError('intake.notSigned');
  const tc = opts.techCheck && isFrozen(opts.techCheck) && opts.techCheck.contentHash ? opts.techCheck : null;
  const t = opts.template ?? defaultTemplate;
  const now = opts.now ?? new Date();
  const blankReview = { status: null, note: '', photos: [] };
  const earlier = [...intake.walkaround.findings, ...(tc?.newFindings ?? [])];
  return {
    id: opts.id,
    intakeId: intake.id,
    intakeHash: intake.contentHash,
    techCheckId: tc?.id ?? null,
    techCheckHash: tc?.contentHash ?? null,
    advisor: opts.advisor,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    positions: Object.fromEntries(positionsInOrder(t).map((p) => [p.id, { checkedAt: null }])),
    reviews: Object.fromEntries(earlier.map((f) => [f.id, { ...blankReview }])),
    newFindings: [],
    valuablesReturned: Object.fromEntries(safekeepingItems(intake).map((v) => [v.itemId, null])),
    protectionRemoved: false,
    documentsReturned: { registration: false, serviceBooklet: false, keys: 0 },
    oldPartsShown: false,
    declinedSafety: Object.fromEntries(declinedSafetyRecommendations(intake).map((r) => [r.id, { explained: false }])),
    nextService: { date: '', mileageKm: null },
    followUp: { date: '', slot: '', note: '' },
    note: '',
    status: 'draft',
    contentHash: null,
    signedAt: null,
    signatures: [],
  };
}

export interface HandoverIssue {
  key:
    | FollowUpIssue['key']
    | 'review'
    | 'changeNote'
    | 'valuable'
    | 'protection'
    | 'documents'
    | 'keys'
    | 'oldParts'
    | 'declinedSafety'
    | 'nextServiceDate'
    | 'nextServiceMileage'
    | 'followUp'
    | 'techCheckChanged';
  ref?: string;
}

/**
 * What must be true before the customer signs the handover. Every safekeeping item must be
 * answered one by one (returned, or missing: a difference the sheet lists, never silence); what
 * the dealership itself holds (documents, keys, the three-piece set) must be handed back.
 */
export function handoverIssues(h: HandoverContent, intake: Intake, techCheck: TechCheck | null, template: Template = defaultTemplate): HandoverIssue[] {
  const issues: HandoverIssue[] = [];
  if (intake.contentHash !== h.intakeHash) issues.push({ key: 'intakeChanged' });
  if ((h.techCheckHash ?? null) !== (techCheck && isFrozen(techCheck) ? techCheck.contentHash : null) && h.techCheckId)
    issues.push({ key: 'techCheckChanged' });
  for (const p of positionsInOrder(template)) if (!h.positions[p.id]?.checkedAt) issues.push({ key: 'position', ref: p.id });
  const earlier = [...intake.walkaround.findings, ...(h.techCheckId && techCheck ? techCheck.newFindings : [])];
  for (const f of earlier) {
    const r = h.reviews[f.id];
    if (!r?.status) issues.push({ key: 'review', ref: f.id });
    else if (r.status === 'changed' && !r.note.trim()) issues.push({ key: 'changeNote', ref: f.id });
  }
  for (const f of h.newFindings) issues.push(...newFindingIssues(f, template));
  for (const v of safekeepingItems(intake)) if (!h.valuablesReturned[v.itemId]) issues.push({ key: 'valuable', ref: v.itemId });
  const p = intake.visit.protection;
  if ((p.seatCover || p.wheelCover || p.floorMat) && !h.protectionRemoved) issues.push({ key: 'protection' });
  const d = intake.work.documents;
  if ((d.registration && !h.documentsReturned.registration) || (d.serviceBooklet && !h.documentsReturned.serviceBooklet))
    issues.push({ key: 'documents' });
  if (h.documentsReturned.keys < d.keys) issues.push({ key: 'keys' });
  if (intake.work.oldParts === 'take' && !h.oldPartsShown) issues.push({ key: 'oldParts' });
  for (const r of declinedSafetyRecommendations(intake))
    if (!h.declinedSafety[r.id]?.explained) issues.push({ key: 'declinedSafety', ref: r.id });
  if (!h.nextService.date) issues.push({ key: 'nextServiceDate' });
  const odo = intake.visit.odometerKm;
  if (h.nextService.mileageKm === null || (odo !== null && h.nextService.mileageKm <= odo)) issues.push({ key: 'nextServiceMileage' });
  if (!h.followUp.slot || !h.followUp.date) issues.push({ key: 'followUp' });
  return issues;
}
