/**
 * What must be true before the customer may sign. Returns a list of issues (empty = ready),
 * each naming the section and an i18n message key, so the review screen can link to the gap.
 */
import type { Intake } from './schema';
import { customerSchema } from './customer';
import { vehicleSchema } from './vehicle';
import { defaultTemplate, positionsInOrder, type Template } from '../../shared/template/template';

export interface ReadinessIssue {
  section: 'customer' | 'vehicle' | 'visit' | 'valuables' | 'cabin' | 'walkaround' | 'work';
  key: string;
  /** Optional detail, e.g. the position or item id. */
  ref?: string;
}

export function positionComplete(intake: Intake, positionId: string): boolean {
  const st = intake.walkaround.positions[positionId];
  if (!st || !st.completedAt) return false;
  const hasFindings = intake.walkaround.findings.some((f) => f.positionId === positionId);
  return st.noDamage || hasFindings;
}

export function readinessIssues(intake: Intake, template: Template = defaultTemplate): ReadinessIssue[] {
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
    if (!positionComplete(intake, p.id)) issues.push({ section: 'walkaround', key: 'ready.position', ref: p.id });
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

/** Declined safety-related recommendations: the customer signs for these explicitly. */
export function declinedSafetyItems(intake: Intake) {
  return intake.work.recommendations.filter((r) => r.safety && r.decision === 'later');
}

/** Estimate totals (labour 工时费, parts 备品费) over accepted recommendations and added services. */
export function estimateTotals(intake: Intake): { labour: number; parts: number; total: number } {
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
