/**
 * Photos up: HEAD /api/blobs/<sha256>, PUT the bytes if the server lacks them, then mark the
 * photo uploaded = 1. The bytes are hashed again before sending: a photo that no longer reads
 * back intact is reported, never sent under a hash it does not match. Retrying is harmless:
 * blobs are addressed by content, so a second PUT of the same bytes changes nothing.
 *
 * A network failure stops the phase (the rest would fail too); a photo the server refuses is
 * reported and the others go on.
 */
import { sha256HexBytes } from '../shared/sha256';
import type { WalkaroundDB } from '../store/db';
import type { SyncApi } from './syncApi';
import { SyncError, toSyncError } from './syncErrors';
import { unsentPhotos } from '../store/photoQueue';

export interface PhotoUploadResult {
  uploaded: number;
  /** Intakes with at least one photo not on the server after this pass. */
  failedIntakes: Set<string>;
  problem: SyncError | null;
}

export async function uploadPhotos(
  ctx: { db: WalkaroundDB; api: SyncApi; onProgress?: (done: number, total: number) => void },
): Promise<PhotoUploadResult> {
  const { db, api } = ctx;
  const todo = await unsentPhotos(db);
  const result: PhotoUploadResult = { uploaded: 0, failedIntakes: new Set(), problem: null };
  let done = 0;
  ctx.onProgress?.(0, todo.length);
  for (let i = 0; i < todo.length; i++) {
    const ref = todo[i]!;
    try {
      const p = await db.photos.get(ref.hash); // one photo's bytes in memory at a time
      if (!p) throw new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}… is missing on this tablet.`);
      if (!p.bytes || typeof p.bytes.byteLength !== 'number' || (await sha256HexBytes(p.bytes)) !== p.hash) {
        throw new SyncError('photo', `Photo ${p.hash.slice(0, 12)}… does not read back intact on this tablet.`);
      }
      if (!(await api.hasBlob(p.hash))) await api.putBlob(p.hash, p.bytes, p.type);
      await db.photos.update(p.hash, { uploaded: 1 });
      result.uploaded++;
    } catch (e) {
      const err = toSyncError(e);
      if (err.kind === 'offline' || err.kind === 'server' || err.kind === 'auth') {
        for (const rest of todo.slice(i)) result.failedIntakes.add(rest.intakeId);
        throw err;
      }
      result.failedIntakes.add(ref.intakeId);
      result.problem ??= err.kind === 'photo' ? err : new SyncError('photo', `Photo ${ref.hash.slice(0, 12)}…: ${err.message}`, err.status);
    }
    done++;
    ctx.onProgress?.(done, todo.length);
  }
  return result;
}
