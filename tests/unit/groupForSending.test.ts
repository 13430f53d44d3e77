// How the tablet cuts its photos into batch requests (src/sync/uploadPhotos.ts groupForSending).
// The frame itself, from the tablet's encoder to the server's reader: batchReader.test.ts.
import { describe, expect, it } from 'vitest';
import { groupForSending } from '../../src/sync/uploadPhotos';

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
