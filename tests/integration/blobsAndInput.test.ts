/**
 * Blobs (HEAD/PUT/GET, retry harmless, missingPhotos until the bytes arrive) and bad input:
 * malformed JSON 400, schema 400 (zod issues), oversize 413, non-image 415, hash mismatch 422,
 * 429 from the rate limiter. Bad input changes nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet, type Transport } from './helpers/client';
import { draft, fakeJpeg, fakePng, mCreate, withPhoto } from './helpers/fixtures';
import { dealershipState } from './helpers/state';
import { blobPath } from '../../src/server/blobs/store';
import { MAX_BLOB_BYTES } from '../../src/shared/protocol';

describe.each(backends())('blobs and bad input on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let a: Tablet;
  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    a = await loginAs(t, demo.advisor);
  });
  afterAll(() => env.close());

  it('HEAD-then-PUT, retry harmless, GET returns the bytes, missingPhotos until they arrive', async () => {
    const photo = fakeJpeg(50_000);
    const intake = withPhoto(draft(), photo.hash);
    await a.push([mCreate(intake)]);
    const before = await a.pull(0);
    expect(before.changes.find((c) => c.intake.id === intake.id)?.missingPhotos).toEqual([photo.hash]);
    expect((await a.req('HEAD', `/api/blobs/${photo.hash}`)).status).toBe(404);
    expect((await a.putBlob(photo.hash, photo.bytes)).status).toBe(201);
    expect((await a.putBlob(photo.hash, photo.bytes)).status).toBe(200); // retry: harmless
    expect((await a.req('HEAD', `/api/blobs/${photo.hash}`)).status).toBe(200);
    const got = await a.req('GET', `/api/blobs/${photo.hash}`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(createHash('sha256').update(got.raw).digest('hex')).toBe(photo.hash);
    expect(readFileSync(blobPath(env.blobDir, photo.hash)).equals(photo.bytes)).toBe(true);
    const one = await a.req<{ missingPhotos: string[] }>('GET', `/api/intakes/${intake.id}`);
    expect(one.body.missingPhotos).toEqual([]);
    const png = fakePng();
    expect((await a.putBlob(png.hash, png.bytes, 'image/png')).status).toBe(201);
  });

  it('POST /api/blobs/missing answers which of a batch are not stored yet; bad asks are 400', async () => {
    const [p1, p2] = [fakeJpeg(1000), fakeJpeg(2000)];
    const ask = (body: unknown) => a.req<{ missing?: string[]; error?: string }>('POST', '/api/blobs/missing', body);
    expect((await ask({ hashes: [p1.hash, p2.hash, p1.hash] })).body).toEqual({ missing: [p1.hash, p2.hash] });
    expect((await a.putBlob(p2.hash, p2.bytes)).status).toBe(201);
    expect((await ask({ hashes: [p1.hash, p2.hash] })).body).toEqual({ missing: [p1.hash] });
    for (const bad of [{}, { hashes: [] }, { hashes: ['nothex'] }, { hashes: [p1.hash.toUpperCase()] }, { hashes: Array.from({ length: 501 }, () => p1.hash) }]) {
      const r = await ask(bad);
      expect(r.status).toBe(400);
      expect(r.body.error).toBeTruthy();
    }
    expect((await t({ method: 'POST', url: '/api/blobs/missing', json: { hashes: [p1.hash] } })).status).toBe(401);
  });

  it('refuses bad blobs: 422 hash mismatch, 415 not an image / wrong type, 413 too large; nothing stored', async () => {
    const state = await dealershipState(env.app, a.login.dealership.id);
    const photo = fakeJpeg();
    const other = fakeJpeg();
    const mismatch = await a.putBlob(other.hash, photo.bytes);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body).toMatchObject({ error: 'hash_mismatch' });
    const text = Buffer.from('hello, not an image');
    const textHash = createHash('sha256').update(text).digest('hex');
    expect((await a.putBlob(textHash, text, 'image/jpeg')).status).toBe(415);
    expect((await a.putBlob(textHash, text, 'text/plain')).status).toBe(415);
    expect((await a.putBlob(photo.hash, photo.bytes, 'image/png')).status).toBe(415); // declared png, bytes jpeg
    const big = fakeJpeg(MAX_BLOB_BYTES + 1);
    expect((await a.putBlob(big.hash, big.bytes)).status).toBe(413);
    expect((await a.req('HEAD', `/api/blobs/${photo.hash}`)).status).toBe(404);
    expect((await a.req('GET', `/api/blobs/not-a-hash`)).status).toBe(404);
    expect(await dealershipState(env.app, a.login.dealership.id)).toEqual(state);
  });

  it('malformed JSON is 400 with a reason; schema violations are 400 with zod issues; nothing changes', async () => {
    const state = await dealershipState(env.app, a.login.dealership.id);
    const bad = await t({ method: 'POST', url: '/api/sync/push', payload: '{"protocolVersion":1,"mutations":[', headers: a.headers({ 'content-type': 'application/json' }) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_json' });
    const schema = await a.req('POST', '/api/sync/push', { protocolVersion: 1, mutations: [] });
    expect(schema.status).toBe(400);
    expect(schema.body).toMatchObject({ error: 'invalid' });
    expect(Array.isArray((schema.body as { details: unknown[] }).details)).toBe(true);
    expect((await a.req('POST', '/api/sync/push', { protocolVersion: 1, mutations: [{ op: 'create' }] })).status).toBe(400);
    expect((await a.req('POST', '/api/sync/push', { protocolVersion: 99, mutations: [mCreate(draft())] })).status).toBe(400);
    expect((await t({ method: 'POST', url: '/api/auth/login', json: { dealership: 'demo' } })).status).toBe(400);
    expect((await a.req('GET', '/api/sync/pull?since=-5')).status).toBe(400);
    // One invalid mutation in a push: rejected with the issues, not recorded; the others apply.
    const good = mCreate(draft());
    const broken = { ...mCreate(draft()), intake: { id: 'nope' } } as unknown as ReturnType<typeof mCreate>;
    const mixed = await a.push([broken, good]);
    expect(mixed.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(mixed.results[0]?.reason).toMatch(/invalid mutation/);
    const after = await dealershipState(env.app, a.login.dealership.id);
    expect(after.mutations.length).toBe(state.mutations.length + 1);
    expect(after.intakes.length).toBe(state.intakes.length + 1);
  });

  it('answers 429 when a device exceeds its rate limit, and login is limited strictly', async () => {
    const strict = await startApp(backend, { rateLimit: { max: 5, loginMax: 2, timeWindow: 60_000, loginTimeWindow: 60_000 } });
    try {
      const st = injectTransport(strict.app);
      const tab = await loginAs(st, demo.advisor);
      await loginAs(st, demo.advisor);
      const third = await st({ method: 'POST', url: '/api/auth/login', json: { dealership: 'demo', username: 'advisor', password: 'demo-advisor-1', deviceName: 'x' } });
      expect(third.status).toBe(429);
      expect(third.body).toMatchObject({ error: 'rate_limited' });
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await tab.req('GET', '/api/sync/pull?since=0')).status);
      expect(codes.slice(0, 5).every((c) => c === 200)).toBe(true);
      expect(codes.at(-1)).toBe(429);
    } finally {
      await strict.close();
    }
  });
});
