/**
 * Photos down: bytes of records made on other tablets, so they open offline here later. Each
 * download is verified against its hash before it is stored; a photo the server does not hold
 * yet (404: the other tablet has not uploaded it) stays queued for a later run.
 */
import type { WalkaroundDB } from '../store/db';
import { sha256HexBytes } from '../shared/sha256';
import type { SyncApi } from './syncApi';
import { SyncError } from './syncErrors';
import { readWanted } from '../store/photoQueue';
import { writeDevice } from '../store/device';

async function imageSize(bytes: ArrayBuffer, type: string): Promise<{ width: number; height: number }> {
  try {
    if (typeof createImageBitmap !== 'function' || typeof Blob === 'undefined') return { width: 0, height: 0 };
    const bmp = await createImageBitmap(new Blob([bytes], { type }));
    const size = { width: bmp.width, height: bmp.height };
    bmp.close();
    return size;
  } catch {
    return { width: 0, height: 0 };
  }
}

export async function downloadPhotos(ctx: { db: WalkaroundDB; api: SyncApi; onProgress?: (done: number, total: number) => void }): Promise<{ downloaded: number; waiting: number; problem: SyncError | null }> {
  const { db, api } = ctx;
  const wanted = await readWanted(db);
  const hashes = Object.keys(wanted);
  let downloaded = 0;
  let waiting = 0;
  let problem: SyncError | null = null;
  let done = 0;
  for (const hash of hashes) {
    const intakeId = wanted[hash]!;
    let stored = false;
    if (await db.photos.get(hash)) stored = true;
    else {
      const blob = await api.getBlob(hash); // network errors stop the phase: the queue is durable
      if (!blob) waiting++;
      else if ((await sha256HexBytes(blob.bytes)) !== hash) {
        problem ??= new SyncError('photo', `Photo ${hash.slice(0, 12)}… arrived damaged; will try again.`);
        waiting++;
      } else {
        const { width, height } = await imageSize(blob.bytes, blob.type); // outside the transaction
        await db.transaction('rw', db.photos, db.photoMeta, db.kv, async () => {
          if (!(await db.photos.get(hash))) {
            const createdAt = new Date().toISOString();
            await db.photos.put({ hash, intakeId, type: blob.type, bytes: blob.bytes, width, height, size: blob.bytes.byteLength, createdAt });
            await db.photoMeta.put({ hash, intakeId, size: blob.bytes.byteLength, createdAt, uploaded: 1 }); // it came from the server
          }
          await dropWanted(db, hash);
        });
        downloaded++;
      }
    }
    if (stored) await db.transaction('rw', db.kv, () => dropWanted(db, hash));
    done++;
    ctx.onProgress?.(done, hashes.length);
  }
  return { downloaded, waiting, problem };
}

async function dropWanted(db: WalkaroundDB, hash: string): Promise<void> {
  const cur = await readWanted(db);
  if (!(hash in cur)) return;
  const next = { ...cur };
  delete next[hash];
  await writeDevice('photosWanted', next, db);
}
