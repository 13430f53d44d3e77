/**
 * Which photos still have to travel, derived from IndexedDB so an interrupted run loses nothing.
 *
 * Up: photos with uploaded = 0 that an intake on this tablet refers to (a photo that was taken
 * and then removed from the record before sync is not sent). Found through the indexes only
 * (uploaded, intakeId), so counting them never reads megabytes of photo bytes.
 * Down: kv 'sync.photosWanted' — photos of records pulled from other tablets that this tablet
 * does not hold yet, written in the same transaction as the pulled record.
 */
import type { WalkaroundDB } from '../db/db';
import { photoHashesOf } from '../shared/signedContent';

export const PHOTOS_WANTED_KEY = 'sync.photosWanted';

/** hash → intakeId */
export type WantedPhotos = Record<string, string>;

export interface UnsentPhoto {
  hash: string;
  intakeId: string;
  /** When the intake was created: a conservative age for the "waiting too long" warning. */
  intakeCreatedAt: string;
}

export async function readWanted(db: WalkaroundDB): Promise<WantedPhotos> {
  return ((await db.kv.get(PHOTOS_WANTED_KEY))?.value as WantedPhotos | undefined) ?? {};
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
    const intake = await db.intakes.get(intakeId);
    if (!intake) continue;
    const refs = new Set(photoHashesOf(intake));
    for (const hash of list) if (refs.has(hash)) out.push({ hash, intakeId, intakeCreatedAt: intake.createdAt });
  }
  return out.sort((a, b) => a.intakeCreatedAt.localeCompare(b.intakeCreatedAt));
}
