/**
 * Which photos still have to travel, derived from IndexedDB so an interrupted run loses nothing.
 *
 * Up: photos with uploaded = 0 that an intake on this tablet refers to (a photo that was taken
 * and then removed from the record before sync is not sent). Found through the indexes only
 * (uploaded, intakeId), so counting them never reads megabytes of photo bytes.
 * Down: device state photosWanted — photos of records pulled from other tablets that this tablet
 * does not hold yet, written in the same transaction as the pulled record.
 */
import type { StoredPhoto, WalkaroundDB } from './db';
import { SHA256_HEX } from '../shared/sha256';
import { readDevice, type WantedPhotos } from './device';

export type { WantedPhotos };

export interface UnsentPhoto {
  hash: string;
  intakeId: string;
  /** When the intake was created: a conservative age for the "waiting too long" warning. */
  intakeCreatedAt: string;
  /** Bytes, when known without reading them. */
  size?: number;
}

/** The stored rows (bytes included) of these photos, in order; undefined where none is stored. */
export async function readPhotoBytes(db: WalkaroundDB, hashes: string[]): Promise<(StoredPhoto | undefined)[]> {
  return db.photos.bulkGet(hashes);
}

/** Mark photos as held by the server (only after it answered for their bytes). */
export async function markPhotosUploaded(db: WalkaroundDB, hashes: string[]): Promise<void> {
  await db.transaction('rw', db.photos, async () => {
    for (const h of hashes) await db.photos.update(h, { uploaded: 1 });
  });
}

/**
 * Every photo hash a record refers to: strings in any `photos` array, at any depth. Generic on
 * purpose, so the intake, the technician's check and the handover (and whatever record comes
 * next) are covered without this module knowing their shapes.
 */
export function photoRefsIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) photoRefsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'photos' && Array.isArray(v)) {
        for (const h of v) if (typeof h === 'string' && SHA256_HEX.test(h)) out.add(h);
      } else photoRefsIn(v, out);
    }
  }
  return out;
}

/** Photos referenced by an intake and its follow-up records (technician's check, handover). */
export async function photoRefsOfIntake(db: WalkaroundDB, intakeId: string): Promise<{ refs: Set<string>; createdAt: string } | null> {
  const intake = await db.intakes.get(intakeId);
  if (!intake) return null;
  const refs = photoRefsIn(intake);
  for (const c of await db.techChecks.where('intakeId').equals(intakeId).toArray()) photoRefsIn(c, refs);
  for (const h of await db.handovers.where('intakeId').equals(intakeId).toArray()) photoRefsIn(h, refs);
  return { refs, createdAt: intake.createdAt };
}

export async function readWanted(db: WalkaroundDB): Promise<WantedPhotos> {
  return readDevice('photosWanted', db);
}

/** Photos waiting for upload that their intake refers to. */
export async function unsentPhotos(db: WalkaroundDB): Promise<UnsentPhoto[]> {
  const hashes = new Set((await db.photos.where('uploaded').equals(0).primaryKeys()) as string[]);
  if (hashes.size === 0) return [];
  const byIntake = new Map<string, string[]>();
  await db.photos.orderBy('intakeId').eachKey((intakeId, cursor) => {
    const hash = cursor.primaryKey as string;
    if (!hashes.has(hash)) return;
    const list = byIntake.get(intakeId as string) ?? [];
    list.push(hash);
    byIntake.set(intakeId as string, list);
  });
  const out: UnsentPhoto[] = [];
  for (const [intakeId, list] of byIntake) {
    const r = await photoRefsOfIntake(db, intakeId);
    if (!r) continue;
    for (const hash of list) if (r.refs.has(hash)) out.push({ hash, intakeId, intakeCreatedAt: r.createdAt });
  }
  return out.sort((a, b) => a.intakeCreatedAt.localeCompare(b.intakeCreatedAt));
}
