/**
 * Which photos still have to travel, derived from IndexedDB so an interrupted run loses nothing.
 *
 * Up: photos with uploaded = 0 that an intake on this tablet refers to (a photo that was taken
 * and then removed from the record before sync is not sent). Found through the indexes only
 * (photoMeta, v5: bookkeeping rows apart from the bytes), so counting them never reads photo bytes.
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
  return (await photoRefsOfIntakes(db, [intakeId])).get(intakeId) ?? null;
}

/**
 * The same for several intakes in three reads in all (not three per intake): the intakes by key,
 * their checks and handovers through the intakeId index.
 */
export async function photoRefsOfIntakes(db: WalkaroundDB, intakeIds: string[]): Promise<Map<string, { refs: Set<string>; createdAt: string }>> {
  const out = new Map<string, { refs: Set<string>; createdAt: string }>();
  if (intakeIds.length === 0) return out;
  const [intakes, checks, handovers] = await Promise.all([
    db.intakes.bulkGet(intakeIds),
    db.techChecks.where('intakeId').anyOf(intakeIds).toArray(),
    db.handovers.where('intakeId').anyOf(intakeIds).toArray(),
  ]);
  for (const intake of intakes) if (intake) out.set(intake.id, { refs: photoRefsIn(intake), createdAt: intake.createdAt });
  for (const r of [...checks, ...handovers]) {
    const entry = out.get(r.intakeId);
    if (entry) photoRefsIn(r, entry.refs);
  }
  return out;
}

export async function readWanted(db: WalkaroundDB): Promise<WantedPhotos> {
  return readDevice('photosWanted', db);
}

/**
 * Photos waiting for upload that their intake refers to. Reads the small bookkeeping rows of the
 * unsent photos only (photoMeta's uploaded index), then the intakes they belong to: never the
 * photo bytes, never every photo or every intake. Cost grows with what is unsent, not with what
 * the tablet holds.
 */
export async function unsentPhotos(db: WalkaroundDB): Promise<UnsentPhoto[]> {
  const rows = await db.photoMeta.where('uploaded').equals(0).toArray();
  if (rows.length === 0) return [];
  const refs = await photoRefsOfIntakes(db, [...new Set(rows.map((r) => r.intakeId))]);
  const out: UnsentPhoto[] = [];
  for (const m of rows) {
    const r = refs.get(m.intakeId);
    if (r?.refs.has(m.hash)) out.push({ hash: m.hash, intakeId: m.intakeId, intakeCreatedAt: r.createdAt, size: m.size });
  }
  return out.sort((a, b) => a.intakeCreatedAt.localeCompare(b.intakeCreatedAt));
}

/** The stored rows (bytes included) of these photos, in order; undefined where none is stored. */
export async function readPhotoBytes(db: WalkaroundDB, hashes: string[]): Promise<(StoredPhoto | undefined)[]> {
  return db.photos.bulkGet(hashes);
}

/** Mark photos as held by the server (only after it answered for their bytes): small rows only. */
export async function markPhotosUploaded(db: WalkaroundDB, hashes: string[]): Promise<void> {
  await db.photoMeta.where('hash').anyOf(hashes).modify({ uploaded: 1 });
}

/** Whether the server is known to hold this photo (for screens and tests). */
export async function isPhotoUploaded(db: WalkaroundDB, hash: string): Promise<boolean> {
  return (await db.photoMeta.get(hash))?.uploaded === 1;
}
