/**
 * Where each record kind lives on the tablet, with the rows derived from it (the intake's list
 * summary), so every write of a record keeps its derived rows in step, in the same transaction.
 */
import type { Table } from 'dexie';
import type { WalkaroundDB } from './db';
import { summaryOf } from './summaries';
import type { Intake } from '../model/intake/schema';
import type { KindName } from '../model/registry';

const TABLES: Record<KindName, 'intakes' | 'techChecks' | 'handovers' | 'appointments'> = {
  intake: 'intakes',
  techCheck: 'techChecks',
  handover: 'handovers',
  appointment: 'appointments',
};

export function recordTable(db: WalkaroundDB, kind: KindName): Table<{ id: string; status: 'draft' | 'signed'; updatedAt: string }, string> {
  return db[TABLES[kind]] as unknown as Table<{ id: string; status: 'draft' | 'signed'; updatedAt: string }, string>;
}

/** The tables a write of this kind touches (record + derived rows). */
export function writeTables(db: WalkaroundDB, kind: KindName): Table[] {
  return kind === 'intake' ? [db.intakes, db.summaries] : [recordTable(db, kind)];
}

/** Store a record and its derived rows. Call inside a transaction over writeTables(kind). */
export async function putRecord(db: WalkaroundDB, kind: KindName, record: { id: string }): Promise<void> {
  if (kind === 'intake') {
    await db.intakes.put(record as Intake);
    await db.summaries.put(summaryOf(record as Intake));
  } else await recordTable(db, kind).put(record as never);
}
