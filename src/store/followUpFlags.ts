/**
 * What the advisor must see about an intake after it left the lane, derived from its technician
 * checks and handovers. Pure: the live query lives in queries.ts.
 */
import type { TechCheck } from '../model/techCheck/schema';
import type { Handover } from '../model/handover/schema';
import { isFrozen } from '../model/frozen';

/** What the advisor must see about an intake after it left the lane. */
export interface FollowUpFlags {
  /** A technician's check is being made (draft) and none is signed yet. */
  checkInProgress: boolean;
  checkSigned: boolean;
  /** Intake findings the technician disputed, in the latest signed check. */
  disputes: number;
  /** Damage not on the intake sheet, found at the technician's check (latest signed). */
  newAtTechnician: number;
  handedOver: boolean;
  newAtHandover: number;
}

export function latestSigned<T extends { status: string; signedAt: string | null }>(rows: readonly T[]): T | null {
  return [...rows].filter(isFrozen).sort((a, b) => (b.signedAt ?? '').localeCompare(a.signedAt ?? ''))[0] ?? null;
}

export function followUpFlagsOf(checks: readonly TechCheck[], handovers: readonly Handover[]): FollowUpFlags {
  const check = latestSigned(checks);
  const ho = latestSigned(handovers);
  return {
    checkInProgress: !check && checks.some((c) => c.status === 'draft'),
    checkSigned: !!check,
    disputes: check ? Object.values(check.reviews).filter((r) => r.verdict === 'disputed').length : 0,
    newAtTechnician: check ? check.newFindings.length : 0,
    handedOver: !!ho,
    newAtHandover: ho ? ho.newFindings.length : 0,
  };
}
