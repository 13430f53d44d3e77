/**
 * Photo bytes on the tablet. Each photo is stored the moment it is taken (the record refers to
 * it by hash, so a crash later cannot lose it), as ArrayBuffer + type + SHA-256, then read back
 * and compared byte for byte with what was written: Safari has returned null or unreadable Blobs
 * from IndexedDB before, and a photo that cannot be read back must fail loudly now, not at a
 * dispute months later. One hash per photo (WebCrypto where available): bytes equal to the hashed
 * ones hash the same, so the read-back check needs no second hash.
 */
import { sha256HexBytes } from '../shared/sha256';
import { getDb, type StoredPhoto } from './db';

export class PhotoVerifyError extends Error {
  constructor(hash: string) {
    super(`Photo ${hash.slice(0, 12)}… did not read back intact from storage.`);
    this.name = 'PhotoVerifyError';
  }
}

export async function savePhoto(input: { intakeId: string; bytes: ArrayBuffer; type: string; width: number; height: number }): Promise<StoredPhoto> {
  const db = getDb();
  const hash = await sha256HexBytes(input.bytes); // before the transaction, never inside it
  const existing = await db.photos.get(hash);
  const photo: StoredPhoto = existing ?? {
    hash,
    intakeId: input.intakeId,
    type: input.type,
    bytes: input.bytes,
    width: input.width,
    height: input.height,
    size: input.bytes.byteLength,
    createdAt: new Date().toISOString(),
  };
  if (!existing) {
    // Bytes and their bookkeeping row together, or neither.
    await db.transaction('rw', db.photos, db.photoMeta, async () => {
      await db.photos.put(photo);
      if (!(await db.photoMeta.get(hash))) await db.photoMeta.put({ hash, intakeId: photo.intakeId, size: photo.size, createdAt: photo.createdAt, uploaded: 0 });
    });
  }
  const back = await db.photos.get(hash);
  if (!back || typeof back.bytes?.byteLength !== 'number' || !sameBytes(back.bytes, input.bytes)) throw new PhotoVerifyError(hash);
  return back;
}

/** Byte-for-byte equality (a few µs for a photo, against milliseconds for a second hash). */
export function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
