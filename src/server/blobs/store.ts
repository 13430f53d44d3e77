/**
 * Blob bytes on disk, content-addressed: <blobDir>/<h[0..2]>/<h[2..4]>/<sha256>. One copy per
 * content for all dealerships (ownership lives in the `blobs` table). Written atomically: temp
 * file in the same directory, write, fsync, rename, fsync the directory, so a crash leaves either
 * no file or the complete file, never a torn one. A retry of the same bytes is harmless.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export function blobPath(blobDir: string, sha: string): string {
  return join(blobDir, sha.slice(0, 2), sha.slice(2, 4), sha);
}

export async function blobSize(blobDir: string, sha: string): Promise<number | null> {
  const st = await stat(blobPath(blobDir, sha)).catch(() => null);
  return st?.isFile() ? st.size : null;
}

export async function writeBlob(blobDir: string, sha: string, bytes: Uint8Array): Promise<void> {
  const final = blobPath(blobDir, sha);
  if ((await blobSize(blobDir, sha)) === bytes.length) return;
  const dir = join(blobDir, sha.slice(0, 2), sha.slice(2, 4));
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${sha.slice(0, 8)}-${randomBytes(6).toString('hex')}`);
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, final);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

export function readBlob(blobDir: string, sha: string): ReadStream {
  return createReadStream(blobPath(blobDir, sha));
}
