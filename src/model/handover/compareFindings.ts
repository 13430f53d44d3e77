/**
 * The comparison that settles "that scratch was not there": every finding of the intake, of the
 * technician's check and of the handover walk, side by side, with what changed.
 *
 * Pure and runtime-neutral (tablet screens, the printable sheet and the server use it). Matching
 * is by finding id: the technician and the handover review the intake's findings by id, so there
 * is no guessing about which scratch is which. New damage gets its own origin; when it sits on the
 * same item with the same type as an earlier finding it is marked `possibleDuplicateOf` that
 * finding, so a person can see at once whether it is really new or the same mark seen again.
 */
import type { Finding, Intake } from '../intake/schema';
import type { TechCheckContent } from '../techCheck/schema';
import type { HandoverContent } from './schema';
import { safekeepingItems } from './schema';
import { defaultTemplate, positionsInOrder } from '../../shared/template/template';

export type FindingOrigin = 'intake' | 'technician' | 'handover';
export type TechState = 'confirmed' | 'disputed' | 'unchecked' | 'notApplicable';
export type HandoverState = 'unchanged' | 'changed' | 'unchecked' | 'notApplicable';
export type DifferenceKind = 'disputed' | 'newAtTechnician' | 'newAtHandover' | 'changedAtHandover';

export interface ComparedFinding {
  finding: Finding;
  origin: FindingOrigin;
  technician: TechState;
  technicianNote: string;
  technicianPhotos: string[];
  handover: HandoverState;
  handoverNote: string;
  handoverPhotos: string[];
  /** An earlier finding on the same item with the same type: the "new" damage may be that one. */
  possibleDuplicateOf: string | null;
  /** Why this finding differs from the signed intake; empty when it does not. */
  differences: DifferenceKind[];
}

export interface FindingCounts {
  total: number;
  confirmed: number;
  disputed: number;
  technicianUnchecked: number;
  newAtTechnician: number;
  newAtHandover: number;
  changedAtHandover: number;
  handoverUnchecked: number;
  /** Findings with at least one difference from intake. */
  differences: number;
}

export interface FindingComparison {
  /** In walking order of the positions, then intake → technician → handover, then time. */
  items: ComparedFinding[];
  byPosition: Record<string, ComparedFinding[]>;
  counts: FindingCounts;
}

export interface CompareInput {
  intakeFindings: readonly Finding[];
  techCheck?: Pick<TechCheckContent, 'reviews' | 'newFindings'> | null;
  handover?: Pick<HandoverContent, 'reviews' | 'newFindings'> | null;
  /** Position ids in walking order; defaults to the default template's order. */
  positionOrder?: readonly string[];
}

const ORIGIN_ORDER: Record<FindingOrigin, number> = { intake: 0, technician: 1, handover: 2 };

function duplicateOf(f: Finding, earlier: readonly Finding[]): string | null {
  const same = earlier.find((e) => e.positionId === f.positionId && e.itemId === f.itemId && e.type === f.type);
  return same ? same.id : null;
}

export function compareFindings(input: CompareInput): FindingComparison {
  const order = input.positionOrder ?? positionsInOrder(defaultTemplate).map((p) => p.id);
  const tc = input.techCheck ?? null;
  const ho = input.handover ?? null;
  const items: ComparedFinding[] = [];

  const handoverSide = (id: string): Pick<ComparedFinding, 'handover' | 'handoverNote' | 'handoverPhotos'> => {
    if (!ho) return { handover: 'notApplicable', handoverNote: '', handoverPhotos: [] };
    const r = ho.reviews[id];
    return { handover: r?.status ?? 'unchecked', handoverNote: r?.note ?? '', handoverPhotos: r?.photos ?? [] };
  };

  for (const f of input.intakeFindings) {
    const r = tc?.reviews[f.id];
    const technician: TechState = !tc ? 'notApplicable' : (r?.verdict ?? 'unchecked');
    const h = handoverSide(f.id);
    const differences: DifferenceKind[] = [];
    if (technician === 'disputed') differences.push('disputed');
    if (h.handover === 'changed') differences.push('changedAtHandover');
    items.push({
      finding: f,
      origin: 'intake',
      technician,
      technicianNote: r?.note ?? '',
      technicianPhotos: r?.photos ?? [],
      ...h,
      possibleDuplicateOf: null,
      differences,
    });
  }

  const intakeIds = new Set(input.intakeFindings.map((f) => f.id));
  const techNew = (tc?.newFindings ?? []).filter((f) => !intakeIds.has(f.id));
  for (const f of techNew) {
    const h = handoverSide(f.id);
    const differences: DifferenceKind[] = ['newAtTechnician'];
    if (h.handover === 'changed') differences.push('changedAtHandover');
    items.push({
      finding: f,
      origin: 'technician',
      technician: 'notApplicable',
      technicianNote: '',
      technicianPhotos: [],
      ...h,
      possibleDuplicateOf: duplicateOf(f, input.intakeFindings),
      differences,
    });
  }

  const known = new Set([...intakeIds, ...techNew.map((f) => f.id)]);
  const earlierForHandover = [...input.intakeFindings, ...techNew];
  for (const f of (ho?.newFindings ?? []).filter((x) => !known.has(x.id))) {
    items.push({
      finding: f,
      origin: 'handover',
      technician: 'notApplicable',
      technicianNote: '',
      technicianPhotos: [],
      handover: 'notApplicable',
      handoverNote: '',
      handoverPhotos: [],
      possibleDuplicateOf: duplicateOf(f, earlierForHandover),
      differences: ['newAtHandover'],
    });
  }

  const rank = (id: string) => {
    const i = order.indexOf(id);
    return i === -1 ? order.length : i;
  };
  items.sort(
    (a, b) =>
      rank(a.finding.positionId) - rank(b.finding.positionId) ||
      ORIGIN_ORDER[a.origin] - ORIGIN_ORDER[b.origin] ||
      a.finding.createdAt.localeCompare(b.finding.createdAt),
  );

  const byPosition: Record<string, ComparedFinding[]> = {};
  for (const c of items) (byPosition[c.finding.positionId] ??= []).push(c);

  const counts: FindingCounts = {
    total: items.length,
    confirmed: items.filter((c) => c.technician === 'confirmed').length,
    disputed: items.filter((c) => c.technician === 'disputed').length,
    technicianUnchecked: items.filter((c) => c.technician === 'unchecked').length,
    newAtTechnician: items.filter((c) => c.origin === 'technician').length,
    newAtHandover: items.filter((c) => c.origin === 'handover').length,
    changedAtHandover: items.filter((c) => c.handover === 'changed').length,
    handoverUnchecked: items.filter((c) => c.handover === 'unchecked').length,
    differences: items.filter((c) => c.differences.length > 0).length,
  };
  return { items, byPosition, counts };
}

export type ChecklistDifference =
  | { kind: 'valuableMissing'; ref: string; description: string }
  | { kind: 'valuableUnanswered'; ref: string; description: string }
  | { kind: 'registrationNotReturned' }
  | { kind: 'serviceBookletNotReturned' }
  | { kind: 'keysShort'; received: number; returned: number }
  | { kind: 'protectionNotRemoved' };

/** Differences between what was received at intake and what the handover gave back. */
export function compareChecklist(intake: Intake, handover: Pick<HandoverContent, 'valuablesReturned' | 'documentsReturned' | 'protectionRemoved'>): ChecklistDifference[] {
  const out: ChecklistDifference[] = [];
  for (const v of safekeepingItems(intake)) {
    const answer = handover.valuablesReturned[v.itemId] ?? null;
    if (answer === 'missing') out.push({ kind: 'valuableMissing', ref: v.itemId, description: v.description });
    else if (answer === null) out.push({ kind: 'valuableUnanswered', ref: v.itemId, description: v.description });
  }
  const d = intake.work.documents;
  if (d.registration && !handover.documentsReturned.registration) out.push({ kind: 'registrationNotReturned' });
  if (d.serviceBooklet && !handover.documentsReturned.serviceBooklet) out.push({ kind: 'serviceBookletNotReturned' });
  if (handover.documentsReturned.keys < d.keys) out.push({ kind: 'keysShort', received: d.keys, returned: handover.documentsReturned.keys });
  const p = intake.visit.protection;
  if ((p.seatCover || p.wheelCover || p.floorMat) && !handover.protectionRemoved) out.push({ kind: 'protectionNotRemoved' });
  return out;
}
