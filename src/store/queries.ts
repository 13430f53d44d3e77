/**
 * The one door through which screens read local data: typed live queries (React hooks that
 * re-render when the data changes, whether by this screen, another tab or sync) and the plain
 * async readers behind them. Screens never import Dexie; writes go through the store's write
 * path, device state through device.ts.
 *
 * Hooks return undefined while IndexedDB has not answered yet, so a screen can tell "loading"
 * from "not on this tablet" (null) and from "none" ([]).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { Intake } from '../model/intake/schema';
import type { TechCheck } from '../model/techCheck/schema';
import type { Handover } from '../model/handover/schema';
import type { StaffWithPin } from '../shared/auth';
import { getDb, type ConflictEntry, type IntakeSummary, type OutboxEntry, type QuarantineEntry, type StoredPhoto } from './db';
import { isWaitingOnServer } from './outbox';
import { readDevice, type PersistedSyncStatus } from './device';
import { followUpFlagsOf, type FollowUpFlags } from './followUpFlags';
import { readSyncCounts, type SyncCounts } from './syncCounts';

export type { ConflictEntry, IntakeSummary, QuarantineEntry, StoredPhoto } from './db';
export type { DeviceSession, PersistedSyncStatus, Role, StaffRef } from './device';
export { followUpFlagsOf, latestSigned, type FollowUpFlags } from './followUpFlags';
export { filterSummaries, type ListFilter } from './intakeList';
export { STALE_AFTER_MS, type SyncCounts } from './syncCounts';
export { loadSession, loadStaffList, useSession, SessionProvider } from './session';
export { appointmentOfIntake, loadAppointmentsOf, useAppointment, useAppointmentsOf } from './appointmentQueries';

// -- plain readers --------------------------------------------------------------------------

/** Every intake's list row, newest change first. */
export async function loadSummaries(): Promise<IntakeSummary[]> {
  return getDb().summaries.orderBy('updatedAt').reverse().toArray();
}

function newestFirst<T extends { updatedAt: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export interface QuarantineRow extends QuarantineEntry {
  plate: string;
}

/** Quarantined (server-refused) changes with the plate of their intake, newest first. */
export async function loadQuarantineRows(): Promise<QuarantineRow[]> {
  const db = getDb();
  const rows = await db.quarantine.toArray();
  const out: QuarantineRow[] = [];
  for (const q of rows) out.push({ ...q, plate: (await db.summaries.get(q.intakeId))?.plate ?? '' });
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** Flags of every intake that has a check or handover (for the list's badges), by intake id. */
export async function loadFollowUpFlags(): Promise<Map<string, FollowUpFlags>> {
  const db = getDb();
  const [checks, handovers] = await Promise.all([db.techChecks.toArray(), db.handovers.toArray()]);
  const ids = new Set([...checks.map((c) => c.intakeId), ...handovers.map((h) => h.intakeId)]);
  const out = new Map<string, FollowUpFlags>();
  for (const id of ids) out.set(id, followUpFlagsOf(checks.filter((c) => c.intakeId === id), handovers.filter((h) => h.intakeId === id)));
  return out;
}

/** How many intakes this tablet holds (drafts and signed). */
export async function countIntakes(): Promise<number> {
  return getDb().intakes.count();
}

/** What is still only on this tablet (outbox, unsent photos, quarantine, conflicts). */
export function loadSyncCounts(): Promise<SyncCounts> {
  return readSyncCounts(getDb());
}

// -- live queries ---------------------------------------------------------------------------

/** undefined while loading, null when the intake does not exist on this tablet. */
export function useIntake(id: string | undefined): Intake | null | undefined {
  return useLiveQuery(async () => (id ? ((await getDb().intakes.get(id)) ?? null) : null), [id]);
}

export function useSummaries(): IntakeSummary[] | undefined {
  return useLiveQuery(loadSummaries, []);
}

export function usePhoto(hash: string | undefined): StoredPhoto | null | undefined {
  return useLiveQuery(async () => (hash ? ((await getDb().photos.get(hash)) ?? null) : null), [hash]);
}

export function useConflicts(intakeId: string | undefined): ConflictEntry[] | undefined {
  return useLiveQuery(() => (intakeId ? getDb().conflicts.where('intakeId').equals(intakeId).toArray() : []), [intakeId]);
}

export function useQuarantineRows(): QuarantineRow[] | undefined {
  return useLiveQuery(loadQuarantineRows, []);
}

/** The technician's checks of an intake, newest change first. */
export function useTechChecksOf(intakeId: string | undefined): TechCheck[] | undefined {
  return useLiveQuery(async () => (intakeId ? newestFirst(await getDb().techChecks.where('intakeId').equals(intakeId).toArray()) : []), [intakeId]);
}

/** The handovers of an intake, newest change first. */
export function useHandoversOf(intakeId: string | undefined): Handover[] | undefined {
  return useLiveQuery(async () => (intakeId ? newestFirst(await getDb().handovers.where('intakeId').equals(intakeId).toArray()) : []), [intakeId]);
}

export function useFollowUpFlags(): Map<string, FollowUpFlags> | undefined {
  return useLiveQuery(loadFollowUpFlags, []);
}

export function useStaffList(): StaffWithPin[] | undefined {
  return useLiveQuery(() => readDevice('staffList'), []);
}

export function useSyncCounts(): SyncCounts | undefined {
  return useLiveQuery(loadSyncCounts, []);
}

/** The outcome of the last sync runs as stored (the truth across tabs and reloads). */
export function useSyncStatus(): PersistedSyncStatus | undefined {
  return useLiveQuery(() => readDevice('syncStatus'), []);
}

export interface StuckRow {
  seq: number;
  intakeId: string;
  op: OutboxEntry['op'];
  plate: string;
  reason: string;
  stuck: boolean;
  retryAt: string | null;
}

/** Outbox entries waiting on the server (isWaitingOnServer), with their intake's plate, for Settings. */
export async function loadStuckRows(): Promise<StuckRow[]> {
  const db = getDb();
  const out: StuckRow[] = [];
  for (const e of await db.outbox.orderBy('seq').toArray()) {
    if (!isWaitingOnServer(e)) continue;
    out.push({
      seq: e.seq as number,
      intakeId: e.intakeId,
      op: e.op,
      plate: (await db.summaries.get(e.intakeId))?.plate ?? '',
      reason: e.lastError ?? '',
      stuck: e.state === 'stuck',
      retryAt: e.retryAt ?? null,
    });
  }
  return out;
}

export function useStuckRows(): StuckRow[] | undefined {
  return useLiveQuery(loadStuckRows, []);
}
