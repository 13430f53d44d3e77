import type { Intake } from '../model/intake/schema';
import type { IntakeSummary, WalkaroundDB } from './db';

export function summaryOf(intake: Intake): IntakeSummary {
  const plate = intake.vehicle.plate;
  return {
    id: intake.id,
    status: intake.status,
    plate,
    customerName: intake.customer.name,
    mobile: intake.customer.mobile,
    make: intake.vehicle.make,
    model: intake.vehicle.model,
    advisorId: intake.advisor.id,
    advisorName: intake.advisor.name,
    createdAt: intake.createdAt,
    updatedAt: intake.updatedAt,
    signedAt: intake.signedAt,
    findings: intake.walkaround.findings.length,
    search: `${plate} ${intake.customer.name} ${intake.customer.mobile}`.toLowerCase(),
  };
}

/** Store an intake and its list row together. Call inside a transaction over both tables. */
export async function putIntakeRecord(db: WalkaroundDB, intake: Intake): Promise<void> {
  await db.intakes.put(intake);
  await db.summaries.put(summaryOf(intake));
}

/** Several at once (two bulk requests): for a pulled page. */
export async function putIntakeRecords(db: WalkaroundDB, intakes: readonly Intake[]): Promise<void> {
  await db.intakes.bulkPut(intakes);
  await db.summaries.bulkPut(intakes.map(summaryOf));
}
