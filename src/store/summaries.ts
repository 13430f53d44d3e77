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

/**
 * Store intakes and their list rows together (two bulk requests, whatever the count: a pulled
 * page). Call inside a transaction over both tables.
 */
export async function putIntakeRecords(db: WalkaroundDB, intakes: readonly Intake[]): Promise<void> {
  await db.intakes.bulkPut(intakes);
  await db.summaries.bulkPut(intakes.map(summaryOf));
}

export const putIntakeRecord = (db: WalkaroundDB, intake: Intake): Promise<void> => putIntakeRecords(db, [intake]);
