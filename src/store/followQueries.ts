/**
 * React hooks over the technician's checks and handovers (live: they re-render when a record
 * changes here, in another tab, or arrives by sync). Screens use these, never Dexie directly.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { TechCheck } from '../model/techCheck/schema';
import type { Handover } from '../model/handover/schema';
import { getDb } from './db';
import { isFrozen } from '../model/frozen';

export function useTechChecksOf(intakeId: string | undefined): TechCheck[] | undefined {
  return useLiveQuery(async () => {
    if (!intakeId) return [];
    const rows = await getDb().techChecks.where('intakeId').equals(intakeId).toArray();
    return rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [intakeId]);
}

export function useHandoversOf(intakeId: string | undefined): Handover[] | undefined {
  return useLiveQuery(async () => {
    if (!intakeId) return [];
    const rows = await getDb().handovers.where('intakeId').equals(intakeId).toArray();
    return rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [intakeId]);
}

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

/** Flags of every intake that has a check or handover (for the list's badges), by intake id. */
export function useFollowUpFlags(): Map<string, FollowUpFlags> | undefined {
  return useLiveQuery(async () => {
    const db = getDb();
    const [checks, handovers] = await Promise.all([db.techChecks.toArray(), db.handovers.toArray()]);
    const ids = new Set([...checks.map((c) => c.intakeId), ...handovers.map((h) => h.intakeId)]);
    const out = new Map<string, FollowUpFlags>();
    for (const id of ids) out.set(id, followUpFlagsOf(checks.filter((c) => c.intakeId === id), handovers.filter((h) => h.intakeId === id)));
    return out;
  }, []);
}
