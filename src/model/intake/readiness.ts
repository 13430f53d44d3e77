/**
 * What must be true before the customer may sign. Returns a list of issues (empty = ready),
 * each naming the section and an i18n message key, so the review screen can link to the gap.
 */
import type { Intake, IntakeContent } from './schema';
import { customerSchema } from './customer';
import { vehicleSchema } from './vehicle';
import { defaultTemplate, positionsInOrder, type Template } from '../../shared/template/template';
import { findingGaps, positionDone } from './findings';

export interface ReadinessIssue {
  section: 'customer' | 'vehicle' | 'visit' | 'valuables' | 'cabin' | 'walkaround' | 'work';
  key: string;
  /** Optional detail, e.g. the position, item, finding or recommendation id. */
  ref?: string;
}

/** Every item of the position has an explicit result (OK or a finding): see findings.ts. */
export function positionComplete(intake: Pick<IntakeContent, 'walkaround'>, positionId: string, template: Template = defaultTemplate): boolean {
  const position = template.positions.find((p) => p.id === positionId);
  return !!position && positionDone(intake.walkaround, position);
}

/**
 * The gaps, in the order the steps come. Run on the tablet (review, customer mode, the sign
 * mutator) and by the server on every pushed signature, so an incomplete record is never signed.
 */
/**
 * Damage from earlier visits (issue 11) still to be marked still there, repaired or not found,
 * counted per position: a position with any is not done (readiness below, the walk-around's chips).
 */
export function unmarkedEarlierDamage(history: IntakeContent['history']): Map<string, number> {
  const at = new Map<string, number>();
  for (const d of history?.previous ?? []) if (d.status === null) at.set(d.positionId, (at.get(d.positionId) ?? 0) + 1);
  return at;
}

export function readinessIssues(intake: IntakeContent, template: Template = defaultTemplate): ReadinessIssue[] {
  const issues: ReadinessIssue[] = [];
  if (!customerSchema.safeParse(intake.customer).success) issues.push({ section: 'customer', key: 'ready.customer' });
  if (!vehicleSchema.safeParse(intake.vehicle).success) issues.push({ section: 'vehicle', key: 'ready.vehicle' });
  if (intake.visit.odometerKm === null) issues.push({ section: 'visit', key: 'ready.odometer' });
  if (intake.visit.fuelEighths === null) issues.push({ section: 'visit', key: 'ready.fuel' });
  if (!intake.valuables.reminded) issues.push({ section: 'valuables', key: 'ready.valuablesReminder' });
  for (const v of intake.valuables.items) {
    if (v.answer === null) issues.push({ section: 'valuables', key: 'ready.valuableUnanswered', ref: v.itemId });
  }
  for (const v of intake.valuables.items) {
    if ((v.answer === 'left' || v.answer === 'safekeeping') && !v.description.trim())
      issues.push({ section: 'valuables', key: 'ready.valuableDescription', ref: v.itemId });
  }
  if (intake.cabin.consent) {
    for (const c of template.cabinItems)
      if (!intake.cabin.items[c.id]?.status) issues.push({ section: 'cabin', key: 'ready.cabinItem', ref: c.id });
  }
  for (const p of positionsInOrder(template))
    if (!positionDone(intake.walkaround, p)) issues.push({ section: 'walkaround', key: 'ready.position', ref: p.id });
  // Damage from earlier visits (issue 11): each is marked still there, repaired or not found at its
  // position before the customer signs; left unmarked, "was it there?" has no answer. One gap per position.
  const unmarked = unmarkedEarlierDamage(intake.history);
  for (const p of positionsInOrder(template)) if (unmarked.has(p.id)) issues.push({ section: 'walkaround', key: 'ready.previousDamage', ref: p.id });
  // Each finding: its part, type and severity (an empty tap on the diagram is not a record),
  // and a photo or the reason there is none.
  for (const f of intake.walkaround.findings) {
    const gaps = findingGaps(f, template);
    if (gaps.some((g) => g !== 'photo')) issues.push({ section: 'walkaround', key: 'ready.finding', ref: f.id });
    if (gaps.includes('photo')) issues.push({ section: 'walkaround', key: 'ready.findingPhoto', ref: f.id });
  }
  for (const r of intake.work.recommendations)
    if (r.decision === null) issues.push({ section: 'work', key: 'ready.decision', ref: r.id });
  if (!intake.work.promisedAt) issues.push({ section: 'work', key: 'ready.promisedAt' });
  if (!intake.work.payment) issues.push({ section: 'work', key: 'ready.payment' });
  if (!intake.work.oldParts) issues.push({ section: 'work', key: 'ready.oldParts' });
  if (intake.work.freeWash === null) issues.push({ section: 'work', key: 'ready.freeWash' });
  // The workshop needs a key; "0 keys received" is a slip, never a choice nobody said out loud.
  if (intake.work.documents.keys < 1) issues.push({ section: 'work', key: 'ready.keys' });
  return issues;
}

/** The gaps as one line for a refusal's detail / reason: `ready.position:lf, ready.finding:f1`. */
export function readinessDetail(issues: ReadinessIssue[]): string {
  return issues.map((g) => (g.ref ? `${g.key}:${g.ref}` : g.key)).join(', ');
}

/** Declined safety-related recommendations: the customer signs for these explicitly. */
export function declinedSafetyItems(intake: Pick<Intake, 'work'>) {
  return intake.work.recommendations.filter((r) => r.safety && r.decision === 'later');
}

/** Estimate totals (labour 工时费, parts 备品费) over accepted recommendations and added services. */
export function estimateTotals(intake: Pick<Intake, 'work'>): { labour: number; parts: number; total: number } {
  let labour = 0;
  let parts = 0;
  for (const r of intake.work.recommendations)
    if (r.decision === 'now') {
      labour += r.labour ?? 0;
      parts += r.parts ?? 0;
    }
  for (const s of intake.work.addedServices) {
    labour += s.labour ?? 0;
    parts += s.parts ?? 0;
  }
  return { labour, parts, total: labour + parts };
}
