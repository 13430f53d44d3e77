/**
 * A batch body (src/shared/blobBatch.ts) read as it arrives, for POST /api/blobs/batch.
 *
 * Why not collect the body first and decode it (decodeBlobBatch): collecting a 4 MB body meant a
 * second 4 MB buffer per request (Buffer.concat of the socket's chunks) on top of the chunks
 * themselves. Besides the copy, every such buffer counts toward V8's old-generation limit, and in
 * the photo bench the server ran a full garbage collection every ~150 ms of an upload, a quarter
 * of its CPU. Here each photo is hashed chunk by chunk as the bytes come in and kept as views of
 * the socket's own chunks (written to disk with one writev), so no byte is copied in JS.
 *
 * The frame is still judged as a whole before anything is stored: the caller gets either every
 * photo with its computed hash, or why the frame does not add up (400) or is too large (413).
 * After a frame error the rest of the body is read and dropped (up to the limit), so the client
 * gets the answer instead of a connection reset mid-send.
 */
import { createHash, type Hash } from 'node:crypto';
import { batchHeaderLength, parseBatchHeader, sizesMismatch, type BlobBatchHeader } from '../../shared/blobBatch';

export interface ReadBlob {
  /** As the header declares them. */
  sha256: string;
  type: string;
  size: number;
  /** The photo's bytes, in order: views of the body's chunks (no copies). */
  parts: Uint8Array[];
  /** SHA-256 of those bytes, hex. */
  actualSha256: string;
  /** The first bytes (up to HEAD_BYTES), for sniffing the real type. */
  head: Uint8Array;
}

export type ReadBatch = { ok: true; blobs: ReadBlob[]; bytes: number } | { ok: false; status: 400 | 413; reason: string; issues?: unknown };

/** Enough of a photo's start to tell JPEG, PNG and WebP apart (src/server/blobs/sniff.ts). */
const HEAD_BYTES = 16;

interface Current {
  entry: BlobBatchHeader['blobs'][number];
  left: number;
  hash: Hash;
  parts: Uint8Array[];
  head: Uint8Array;
  headHave: number;
}

export async function readBlobBatch(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<ReadBatch> {
  let total = 0;
  let failure: Extract<ReadBatch, { ok: false }> | null = null;
  const prefix = new Uint8Array(4);
  let prefixHave = 0;
  let header: Uint8Array | null = null;
  let headerHave = 0;
  let entries: BlobBatchHeader['blobs'] | null = null;
  let need = 0;
  let next = 0;
  let cur: Current | null = null;
  let after = 0;
  const out: ReadBlob[] = [];

  const start = (): void => {
    const entry = entries?.[next];
    cur = entry ? { entry, left: entry.size, hash: createHash('sha256'), parts: [], head: new Uint8Array(Math.min(HEAD_BYTES, entry.size)), headHave: 0 } : null;
  };

  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) return { ok: false, status: 413, reason: `a batch may be at most ${maxBytes} bytes` };
    if (failure) continue; // drained: the answer waits for the end of the body
    let off = 0;
    while (off < chunk.byteLength && !failure) {
      if (header === null) {
        const take = Math.min(4 - prefixHave, chunk.byteLength - off);
        prefix.set(chunk.subarray(off, off + take), prefixHave);
        prefixHave += take;
        off += take;
        if (prefixHave === 4) {
          const len = batchHeaderLength(prefix);
          if (!len.ok) failure = { ok: false, status: 400, reason: len.reason };
          else header = new Uint8Array(len.length);
        }
      } else if (entries === null) {
        const take = Math.min(header.byteLength - headerHave, chunk.byteLength - off);
        header.set(chunk.subarray(off, off + take), headerHave);
        headerHave += take;
        off += take;
        if (headerHave === header.byteLength) {
          const parsed = parseBatchHeader(header);
          if (!parsed.ok) failure = { ok: false, status: 400, reason: parsed.reason, issues: parsed.issues };
          else {
            entries = parsed.blobs;
            need = entries.reduce((s, b) => s + b.size, 0);
            if (4 + header.byteLength + need > maxBytes) return { ok: false, status: 413, reason: `a batch may be at most ${maxBytes} bytes` };
            start();
          }
        }
      } else if (cur) {
        const c: Current = cur;
        const take = Math.min(c.left, chunk.byteLength - off);
        const part = chunk.subarray(off, off + take);
        c.hash.update(part);
        c.parts.push(part);
        if (c.headHave < c.head.byteLength) {
          const h = part.subarray(0, c.head.byteLength - c.headHave);
          c.head.set(h, c.headHave);
          c.headHave += h.byteLength;
        }
        c.left -= take;
        off += take;
        if (c.left === 0) {
          out.push({ sha256: c.entry.sha256, type: c.entry.type, size: c.entry.size, parts: c.parts, actualSha256: c.hash.digest('hex'), head: c.head });
          next++;
          start();
        }
      } else {
        after += chunk.byteLength - off;
        off = chunk.byteLength;
      }
    }
  }
  if (failure) return failure;
  if (total === 0) return { ok: false, status: 400, reason: 'empty body' };
  if (header === null) return { ok: false, status: 400, reason: 'the body is shorter than its header length' };
  if (entries === null) return { ok: false, status: 400, reason: 'the body is shorter than its header' };
  if (cur || after > 0) return { ok: false, status: 400, reason: sizesMismatch(need, total - 4 - header.byteLength) };
  return { ok: true, blobs: out, bytes: total };
}
