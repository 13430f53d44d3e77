/**
 * POST /api/blobs/batch: several photos in one request, each verified by hash and type like a
 * PUT; a bad photo is refused with its reason while the good ones are stored; a frame that does
 * not add up is 400 and stores nothing; size, type and session checked; tenancy: a photo only
 * another dealership holds is answered exactly like a new one, and the other dealership's state
 * does not change.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Res, type Tablet, type Transport } from './helpers/client';
import { draft, fakeJpeg, fakePng, mCreate, withPhoto } from './helpers/fixtures';
import { dealershipState, otherDealership } from './helpers/state';
import { blobPath } from '../../src/server/blobs/store';
import { BLOB_BATCH_TYPE, MAX_BATCH_BYTES, type BlobBatchResponse } from '../../src/shared/blobBatch';
import { encodeBlobBatch } from '../fixtures/blobBatchFrames';

type Photo = { bytes: Buffer; hash: string };
const entry = (p: Photo, type = 'image/jpeg') => ({ sha256: p.hash, type, bytes: new Uint8Array(p.bytes) });

function send(tab: Tablet, body: Uint8Array, type = BLOB_BATCH_TYPE): Promise<Res<BlobBatchResponse & { error?: string; message?: string }>> {
  return tab.t({ method: 'POST', url: '/api/blobs/batch', payload: Buffer.from(body.buffer, body.byteOffset, body.byteLength), headers: tab.headers({ 'content-type': type }) }) as Promise<
    Res<BlobBatchResponse & { error?: string; message?: string }>
  >;
}

describe.each(backends())('POST /api/blobs/batch on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let a: Tablet;
  let dealershipA: string;
  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    a = await loginAs(t, demo.advisor);
    dealershipA = a.login.dealership.id;
  });
  afterAll(() => env.close());

  it('stores every photo of a batch, byte for byte; a resend is "already"; the intake is complete once they arrived', async () => {
    const photos = [fakeJpeg(30_000), fakeJpeg(120_000), fakeJpeg(5)];
    const png = fakePng(2000);
    const intake = withPhoto(draft(), photos[0]!.hash);
    await a.push([mCreate(intake)]);
    expect((await a.pull(0)).changes.find((c) => c.intake.id === intake.id)?.missingPhotos).toEqual([photos[0]!.hash]);

    const r = await send(a, encodeBlobBatch([...photos.map((p) => entry(p)), entry(png, 'image/png')]));
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([...photos, png].map((p) => ({ sha256: p.hash, status: 'stored' })));
    for (const p of [...photos, png]) expect(readFileSync(blobPath(env.blobDir, p.hash)).equals(p.bytes)).toBe(true);
    const got = await a.req('GET', `/api/blobs/${png.hash}`);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.raw.equals(png.bytes)).toBe(true);
    expect((await a.req<{ missing: string[] }>('POST', '/api/blobs/missing', { hashes: [...photos, png].map((p) => p.hash) })).body).toEqual({ missing: [] });
    expect((await a.req<{ missingPhotos: string[] }>('GET', `/api/intakes/${intake.id}`)).body.missingPhotos).toEqual([]);

    // A retry (the answer was lost) changes nothing and says so.
    const before = await dealershipState(env.app, dealershipA);
    const again = await send(a, encodeBlobBatch(photos.map((p) => entry(p))));
    expect(again.body.results.map((x) => x.status)).toEqual(['already', 'already', 'already']);
    expect(await dealershipState(env.app, dealershipA)).toEqual(before);
  });

  it('refuses a bad photo with its reason and keeps the good ones of the same request', async () => {
    const good1 = fakeJpeg(4000);
    const good2 = fakeJpeg(6000);
    const wrongHash = { bytes: fakeJpeg(3000).bytes, hash: fakeJpeg(10).hash };
    const pngAsJpeg = fakePng(1500);
    const notImage = (() => {
      const bytes = Buffer.from('<html><script>alert(1)</script></html>');
      return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
    })();
    const textType = fakeJpeg(700);
    const r = await send(
      a,
      encodeBlobBatch([entry(good1), entry(wrongHash), entry(pngAsJpeg), entry(notImage), entry(textType, 'text/plain'), entry(good2)]),
    );
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => [x.status, x.error])).toEqual([
      ['stored', undefined],
      ['refused', 'hash_mismatch'],
      ['refused', 'type_mismatch'],
      ['refused', 'not_an_image'],
      ['refused', 'unsupported_media_type'],
      ['stored', undefined],
    ]);
    for (const x of r.body.results) if (x.status === 'refused') expect(x.message?.length).toBeGreaterThan(5);
    const ask = await a.req<{ missing: string[] }>('POST', '/api/blobs/missing', { hashes: [good1, wrongHash, pngAsJpeg, notImage, textType, good2].map((p) => p.hash) });
    expect(ask.body.missing).toEqual([wrongHash.hash, pngAsJpeg.hash, notImage.hash, textType.hash]);
    for (const p of [wrongHash, pngAsJpeg, notImage, textType]) expect(existsSync(blobPath(env.blobDir, p.hash))).toBe(false);
  });

  it('a frame that does not add up, a wrong type, an oversize body or no session: 4xx and nothing stored', async () => {
    const p = fakeJpeg(2000);
    const body = encodeBlobBatch([entry(p)]);
    const before = await dealershipState(env.app, dealershipA);
    const cases: [Uint8Array, string, number][] = [
      [body.subarray(0, body.length - 1), BLOB_BATCH_TYPE, 400], // short
      [Buffer.concat([body, Buffer.from([0])]), BLOB_BATCH_TYPE, 400], // long
      [new Uint8Array([0, 0, 0, 9, 1, 2]), BLOB_BATCH_TYPE, 400], // header past the end
      [encodeBlobBatch([entry(p), entry(p)]), BLOB_BATCH_TYPE, 400], // a photo twice
      [body, 'application/octet-stream', 415],
      [body, 'image/jpeg', 415],
    ];
    for (const [b, type, status] of cases) {
      const r = await send(a, b, type);
      expect(r.status, `${type} ${b.length}`).toBe(status);
      expect(r.body.error).toBeTruthy();
    }
    const huge = await send(a, new Uint8Array(MAX_BATCH_BYTES + 1));
    expect(huge.status).toBe(413);
    const anon = await t({ method: 'POST', url: '/api/blobs/batch', payload: Buffer.from(body), headers: { 'content-type': BLOB_BATCH_TYPE } });
    expect(anon.status).toBe(401);
    expect(await dealershipState(env.app, dealershipA)).toEqual(before);
    expect(existsSync(blobPath(env.blobDir, p.hash))).toBe(false);
  });

  it("tells a dealership nothing about another's photos and leaves the other's state as it was", async () => {
    const other = await otherDealership(env.app);
    const b = await loginAs(t, other.advisor, 'B tablet');
    const theirs = fakeJpeg(8000);
    expect((await b.putBlob(theirs.hash, theirs.bytes)).status).toBe(201);
    const bBefore = await dealershipState(env.app, other.dealership.id);
    const unknown = fakeJpeg(8000);
    // B's photo is answered exactly like one nobody holds.
    const r = await send(a, encodeBlobBatch([entry(theirs), entry(unknown)]));
    expect(r.body.results).toEqual([
      { sha256: theirs.hash, status: 'stored' },
      { sha256: unknown.hash, status: 'stored' },
    ]);
    expect(await dealershipState(env.app, other.dealership.id)).toEqual(bBefore);
    // A holds it now for itself; B's view of A's own photo is unchanged ("missing").
    expect((await a.req('HEAD', `/api/blobs/${theirs.hash}`)).status).toBe(200);
    expect((await b.req<{ missing: string[] }>('POST', '/api/blobs/missing', { hashes: [unknown.hash] })).body).toEqual({ missing: [unknown.hash] });
    expect((await b.req('GET', `/api/blobs/${unknown.hash}`)).status).toBe(404);
  });
});
