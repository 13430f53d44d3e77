// @vitest-environment node
// The batch frame (src/shared/blobBatch.ts) from the tablet's encoder (blobBatchBody) to the
// server's streamed reader (src/server/blobs/batchReader.ts): the same photos and hashes however
// the body is cut into chunks, and every frame that does not add up refused with its reason (the
// limit as 413), never read past its end.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOB_BATCH_TYPE, MAX_BATCH_BLOBS, MAX_BATCH_HEADER_BYTES, blobBatchBody } from '../../src/shared/blobBatch';
import { readBlobBatch } from '../../src/server/blobs/batchReader';
import { encodeBlobBatch, withHeader } from '../fixtures/blobBatchFrames';

const jpeg = (n: number, seed: number) => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  b.set([0xff, 0xd8, 0xff].slice(0, n));
  return b;
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const item = (n: number, seed: number) => {
  const bytes = jpeg(n, seed);
  return { sha256: sha(bytes), type: 'image/jpeg', bytes };
};

/** The body as chunks cut at these sizes, repeating. */
async function* chunks(body: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  for (let off = 0, i = 0; off < body.byteLength; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield body.subarray(off, off + n);
    off += n;
  }
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
};

describe('streamed batch reader', () => {
  const items = [item(10, 1), item(70_000, 2), item(3, 3), item(200_000, 4)];
  /** The body as the tablet sends it. */
  let body = new Uint8Array();
  beforeAll(async () => {
    const blob = blobBatchBody(items);
    expect(blob.type).toBe(BLOB_BATCH_TYPE);
    body = new Uint8Array(await blob.arrayBuffer());
    // The tests' own encoder (tests/fixtures) frames the same bytes.
    expect(encodeBlobBatch(items)).toEqual(body);
  });

  it.each([[[1]], [[3, 5, 7]], [[64 * 1024]], [[1 << 30]], [[4, 1, 100_000]]])('reads every photo whole and hashed, chunks of %j', async (sizes) => {
    const r = await readBlobBatch(chunks(body, sizes), 4 * 1024 * 1024);
    if (!r.ok) throw new Error(r.reason);
    expect(r.bytes).toBe(body.byteLength);
    expect(r.blobs.map((b) => [b.sha256, b.type, b.size])).toEqual(items.map((i) => [i.sha256, i.type, i.bytes.byteLength]));
    r.blobs.forEach((b, i) => {
      const whole = concat(b.parts);
      expect(whole).toEqual(items[i]!.bytes);
      expect(b.actualSha256).toBe(sha(whole));
      expect(b.head).toEqual(items[i]!.bytes.subarray(0, 16));
    });
  });

  it('keeps views of the chunks, never copies of the photos', async () => {
    const one = encodeBlobBatch([item(100_000, 9)]);
    const r = await readBlobBatch(chunks(one, [one.byteLength]), 4 * 1024 * 1024);
    if (!r.ok) throw new Error(r.reason);
    expect(r.blobs[0]!.parts).toHaveLength(1);
    expect(r.blobs[0]!.parts[0]!.buffer).toBe(one.buffer);
  });

  it('refuses every frame that does not add up, with its reason, however the body is cut', async () => {
    const p = item(2000, 5);
    const good = encodeBlobBatch([p]);
    const schema = 'the header does not match the schema';
    const cases: [string, Uint8Array, string][] = [
      ['short', good.subarray(0, good.length - 1), "the header's sizes add up to 2000 bytes but 1999 follow it"],
      ['long', concat([good, new Uint8Array([0])]), "the header's sizes add up to 2000 bytes but 2001 follow it"],
      ['header past the end', new Uint8Array([0, 0, 0, 9, 1, 2]), 'the body is shorter than its header'],
      ['not even a header length', new Uint8Array([0, 0]), 'the body is shorter than its header length'],
      ['a zero header length', new Uint8Array([0, 0, 0, 0]), `the header length must be 1–${MAX_BATCH_HEADER_BYTES} bytes`],
      ['a header length past the limit', new Uint8Array([0xff, 0xff, 0xff, 0xff, 1]), `the header length must be 1–${MAX_BATCH_HEADER_BYTES} bytes`],
      ['a photo twice', encodeBlobBatch([p, p]), schema],
      ['header not JSON', withHeader('{"blobs":'), 'the header is not UTF-8 JSON'],
      ['header not the schema', withHeader('{"blobs":[{"sha256":"abc","type":"image/jpeg","size":1}]}', new Uint8Array(1)), schema],
      ['no photos', withHeader('{"blobs":[]}'), schema],
      ['more than MAX_BATCH_BLOBS photos', encodeBlobBatch(Array.from({ length: MAX_BATCH_BLOBS + 1 }, (_, i) => item(4, i))), schema],
    ];
    for (const [name, b, reason] of cases) {
      for (const sizes of [[1], [2, 3], [b.byteLength]]) {
        const r = await readBlobBatch(chunks(b, sizes), 4 * 1024 * 1024);
        expect(r, `${name} in chunks of ${sizes.join(',')}`).toMatchObject({ ok: false, status: 400, reason });
      }
    }
    const most = await readBlobBatch(chunks(encodeBlobBatch(Array.from({ length: MAX_BATCH_BLOBS }, (_, i) => item(4, i))), [7]), 4 * 1024 * 1024);
    expect(most.ok && most.blobs.length).toBe(MAX_BATCH_BLOBS);
    const empty = await readBlobBatch(chunks(new Uint8Array(), [1]), 1000);
    expect(empty).toMatchObject({ ok: false, status: 400, reason: 'empty body' });
  });

  it('stops at the limit with 413: the body read so far, or a header that declares more', async () => {
    const big = encodeBlobBatch([item(50_000, 6)]);
    expect(await readBlobBatch(chunks(big, [1000]), 10_000)).toMatchObject({ ok: false, status: 413 });
    // The header alone says the photos will not fit: refused before their bytes are read.
    let read = 0;
    async function* counted() {
      for await (const c of chunks(big, [100])) {
        read += c.byteLength;
        yield c;
      }
    }
    expect(await readBlobBatch(counted(), 20_000)).toMatchObject({ ok: false, status: 413 });
    expect(read).toBeLessThan(1000);
  });
});
