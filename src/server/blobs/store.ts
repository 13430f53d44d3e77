/**
 * Blob bytes on disk, content-addressed: <blobDir>/<h[0..2]>/<h[2..4]>/<sha256>. One copy per
 * content for all dealerships (ownership lives in the `blobs` table). Written atomically: temp
 * file in the same directory, write, fsync, rename, fsync the directory, so a crash leaves either
 * no file or the complete file, never a torn one. A retry of the same bytes is harmless.
 *
 * writeBlobs (a batch upload) does the same for several photos in phases: every temp file
 * written, then all fsynced at once, renamed, and each directory fsynced once. Same guarantees,
 * but the fsyncs of a batch run together (the journal commits them together) and a photo costs
 * a few event-loop turns instead of a dozen in a row: under a loaded CPU each turn waits.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
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

/** Photos written at once per phase (bounds the open files of one batch). */
const WRITE_CHUNK = 16;

/** A photo to write: its bytes whole, or in parts (views of the request's chunks, written with one writev). */
export type BlobToWrite = { sha256: string; bytes: Uint8Array } | { sha256: string; parts: readonly Uint8Array[] };

/** All of `parts` at the file's start (writev may write fewer bytes than asked: the rest follows). */
async function writeParts(fh: FileHandle, parts: readonly Uint8Array[]): Promise<void> {
  const list = [...parts];
  let position = 0;
  while (list.length > 0) {
    const { bytesWritten } = await fh.writev(list, position);
    if (bytesWritten === 0) throw new Error('the disk took none of the bytes');
    position += bytesWritten;
    let skip = bytesWritten;
    while (list.length > 0 && skip >= list[0]!.byteLength) skip -= list.shift()!.byteLength;
    if (skip > 0) list[0] = list[0]!.subarray(skip);
  }
}

const partsOf = (b: BlobToWrite): readonly Uint8Array[] => ('parts' in b ? b.parts : [b.bytes]);

export async function writeBlobs(blobDir: string, items: readonly BlobToWrite[]): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_CHUNK) await writeChunk(blobDir, items.slice(i, i + WRITE_CHUNK));
}

/**
 * Directories this process has made (or found) already: a batch of photos lands in as many
 * directories as photos, and a mkdir each was a tenth of the server's work in the photo bench.
 * Only ever grows by directories that exist; the blob tree is never pruned while running.
 */
const madeDirs = new Set<string>();

async function writeChunk(blobDir: string, items: readonly BlobToWrite[]): Promise<void> {
  // No "already on disk?" look first: a photo this dealership holds is never sent (the tablet
  // asks first), and writing the same bytes again over a file replaces it atomically with itself.
  const todo = [...new Map(items.map((b) => [b.sha256, b])).values()];
  if (todo.length === 0) return;
  const dirOf = (sha: string) => join(blobDir, sha.slice(0, 2), sha.slice(2, 4));
  const dirs = [...new Set(todo.map((b) => dirOf(b.sha256)))];
  await Promise.all(
    dirs.map(async (d) => {
      if (madeDirs.has(d)) return;
      await mkdir(d, { recursive: true });
      madeDirs.add(d);
    }),
  );
  const files = todo.map((b) => ({ b, tmp: join(dirOf(b.sha256), `.tmp-${b.sha256.slice(0, 8)}-${randomBytes(6).toString('hex')}`) }));
  // A directory removed behind this process's back (an operator pruning the tree) is made again.
  const openTmp = (f: (typeof files)[number]) =>
    open(f.tmp, 'wx').catch(async (e: unknown) => {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
      madeDirs.delete(dirOf(f.b.sha256));
      await mkdir(dirOf(f.b.sha256), { recursive: true });
      return open(f.tmp, 'wx');
    });
  const opened = await Promise.allSettled(files.map(openTmp));
  try {
    const handles = opened.map((o) => {
      if (o.status === 'rejected') throw o.reason;
      return o.value;
    });
    await Promise.all(handles.map((fh, i) => writeParts(fh, partsOf(files[i]!.b))));
    await Promise.all(handles.map((fh) => fh.sync()));
  } catch (e) {
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close().catch(() => undefined) : undefined)));
    await Promise.all(files.map((f) => unlink(f.tmp).catch(() => undefined)));
    throw e;
  }
  await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : undefined)));
  try {
    await Promise.all(files.map((f) => rename(f.tmp, blobPath(blobDir, f.b.sha256))));
  } catch (e) {
    await Promise.all(files.map((f) => unlink(f.tmp).catch(() => undefined)));
    throw e;
  }
  await Promise.all(
    dirs.map(async (d) => {
      const dh = await open(d, 'r');
      try {
        await dh.sync();
      } finally {
        await dh.close();
      }
    }),
  );
}

export function readBlob(blobDir: string, sha: string): ReadStream {
  return createReadStream(blobPath(blobDir, sha));
}
