// The batch body (src/shared/blobBatch.ts): what the tablet encodes the server decodes; a frame
// that does not add up is refused with a reason, never read past its end.
import { describe, expect, it } from 'vitest';
import { BLOB_BATCH_TYPE, MAX_BATCH_BLOBS, decodeBlobBatch, encodeBlobBatch } from '../../src/shared/blobBatch';
import { sha256Hex } from '../../src/shared/sha256';
import { groupForSending } from '../../src/sync/uploadPhotos';
import { withHeader } from '../fixtures/blobBatchFrames';

const jpeg = (n: number, fill: number) => {
  const b = new Uint8Array(n).fill(fill);
  b.set([0xff, 0xd8, 0xff]);
  return b;
};
const item = (n: number, fill: number) => {
  const bytes = jpeg(n, fill);
  return { sha256: sha256Hex(bytes), type: 'image/jpeg', bytes };
};

describe('blob batch frame', () => {
  it('round-trips photos of different sizes, in order, as views of the body', () => {
    const items = [item(10, 1), item(70_000, 2), item(3, 3)];
    const body = encodeBlobBatch(items);
    const d = decodeBlobBatch(body);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.blobs.map((b) => b.sha256)).toEqual(items.map((i) => i.sha256));
    for (let i = 0; i < items.length; i++) {
      expect(Array.from(d.blobs[i]!.bytes)).toEqual(Array.from(items[i]!.bytes));
      expect(d.blobs[i]!.bytes.buffer).toBe(body.buffer);
    }
    expect(BLOB_BATCH_TYPE).toMatch(/^application\//);
  });

  it.each([
    ['empty body', new Uint8Array()],
    ['header length past the end', (() => { const b = new Uint8Array(8); new DataView(b.buffer).setUint32(0, 100); return b; })()],
    ['zero header length', new Uint8Array(8)],
    ['header not JSON', withHeader('{blobs')],
    ['header not the schema', withHeader('{"blobs":[{"sha256":"abc","type":"image/jpeg","size":1}]}', new Uint8Array(1))],
    ['no photos', withHeader('{"blobs":[]}')],
  ])('refuses %s', (_name, body) => {
    const d = decodeBlobBatch(body);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason.length).toBeGreaterThan(5);
  });

  it('refuses sizes that do not cover the body exactly (short, long) and a photo twice', () => {
    const a = item(20, 1);
    const good = encodeBlobBatch([a]);
    expect(decodeBlobBatch(good.subarray(0, good.length - 1)).ok).toBe(false);
    const long = new Uint8Array(good.length + 1);
    long.set(good);
    expect(decodeBlobBatch(long).ok).toBe(false);
    const twice = decodeBlobBatch(encodeBlobBatch([a, a]));
    expect(twice.ok).toBe(false);
  });

  it('refuses more than MAX_BATCH_BLOBS photos', () => {
    const many = Array.from({ length: MAX_BATCH_BLOBS + 1 }, (_, i) => item(4, i));
    expect(decodeBlobBatch(encodeBlobBatch(many)).ok).toBe(false);
    expect(decodeBlobBatch(encodeBlobBatch(many.slice(1))).ok).toBe(true);
  });
});

describe('groupForSending', () => {
  const s = (...sizes: number[]) => sizes.map((size, i) => ({ size, i }));
  it('fills each request up to the byte budget, keeps the order, sends a large photo alone', () => {
    const g = groupForSending(s(40, 40, 40, 200, 10, 10), 100, 10);
    expect(g.map((x) => x.map((y) => y.i))).toEqual([[0, 1], [2], [3], [4, 5]]);
  });
  it('caps the photos per request', () => {
    expect(groupForSending(s(1, 1, 1, 1, 1), 100, 2).map((x) => x.length)).toEqual([2, 2, 1]);
  });
  it('no photos, no requests', () => {
    expect(groupForSending([], 100, 2)).toEqual([]);
  });
});
