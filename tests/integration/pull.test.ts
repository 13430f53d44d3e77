/**
 * The pull answer (built by the database as one JSON text, src/server/sync/pull.ts): pages in
 * change order with a small limit, each change exactly once, an empty page keeps the cursor, and
 * missingPhotos lists each referenced photo (cabin items and findings) once until its bytes arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet } from './helpers/client';
import { draft, fakeJpeg, mCreate, mPatch, withPhoto } from './helpers/fixtures';
import { interfering } from './helpers/interfere';
import { pullResponseSchema } from '../../src/shared/protocol';
import { pullJson } from '../../src/server/sync/pull';
import { applyPush } from '../../src/server/sync/apply';
import type { Intake } from '../../src/model/intake/schema';

describe.each(backends())('pull on %s', (backend) => {
  let env: TestApp;
  let a: Tablet;
  let b: Tablet;
  beforeAll(async () => {
    env = await startApp(backend);
    const t = injectTransport(env.app);
    a = await loginAs(t, demo.advisor, 'tablet A');
    b = await loginAs(t, demo.advisor, 'tablet B');
  });
  afterAll(() => env.close());

  it('pages through every change once, in order, and an empty page keeps the cursor', async () => {
    const head = (await b.pull(0, 1000)).cursor;
    const made: Intake[] = [];
    for (let i = 0; i < 7; i++) {
      const it0 = draft();
      made.push(it0);
      await a.push([mCreate(it0), mPatch(it0.id, 'visit', { ...it0.visit, odometerKm: 100 + i }, 0)]);
    }
    let cursor = head;
    const seen: { id: string; seq: number; km: number | null }[] = [];
    for (let pages = 0; pages < 20; pages++) {
      const raw = await b.req('GET', `/api/sync/pull?since=${cursor}&limit=3`);
      expect(raw.status).toBe(200);
      expect(String(raw.headers['content-type'])).toMatch(/^application\/json/);
      const page = pullResponseSchema.parse(raw.body);
      expect(page.changes.length).toBeLessThanOrEqual(3);
      for (const c of page.changes) seen.push({ id: c.intake.id, seq: c.seq, km: c.intake.visit.odometerKm });
      expect(page.cursor).toBeGreaterThanOrEqual(cursor);
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen.map((s) => s.id)).toEqual(made.map((m) => m.id));
    expect(seen.map((s) => s.km)).toEqual([100, 101, 102, 103, 104, 105, 106]);
    const seqs = seen.map((s) => s.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(cursor).toBe(seqs[seqs.length - 1]);

    const empty = await b.pull(cursor);
    expect(empty).toEqual({ changes: [], techChecks: [], handovers: [], appointments: [], cursor, more: false });
  });

  it('lists each missing photo once (cabin and findings) until its bytes are uploaded', async () => {
    const p1 = fakeJpeg();
    const p2 = fakeJpeg();
    const base = withPhoto(withPhoto(draft(), p1.hash), p1.hash);
    const cabinItem = Object.keys(base.cabin.items)[0] as string;
    const it0: Intake = {
      ...base,
      cabin: { ...base.cabin, items: { ...base.cabin.items, [cabinItem]: { status: 'issue', note: '座椅污渍', photos: [p2.hash] } } },
    };
    const since = (await b.pull(0, 1000)).cursor;
    await a.push([mCreate(it0)]);
    env.app.wa.versions.clear(); // this time from the database: photo hashes found by SQL
    const before = await b.pull(since);
    expect(before.changes.map((c) => c.intake.id)).toEqual([it0.id]);
    expect([...(before.changes[0]?.missingPhotos ?? [])].sort()).toEqual([p1.hash, p2.hash].sort());
    expect((await a.putBlob(p2.hash, p2.bytes)).status).toBe(201);
    expect((await b.pull(since)).changes[0]?.missingPhotos).toEqual([p1.hash]);
    expect((await a.putBlob(p1.hash, p1.bytes)).status).toBe(201);
    expect((await b.pull(since)).changes[0]?.missingPhotos).toEqual([]);
  });

  it('sends the same answer whether record versions come from pushes or from the database', async () => {
    const it0 = withPhoto(draft(), fakeJpeg().hash);
    await a.push([mCreate(it0), mPatch(it0.id, 'customer', { name: '缓存', salutation: '', mobile: '' }, 0)]);
    const fromPushes = await b.pull(0, 1000);
    env.app.wa.versions.clear();
    const fromDb = await b.pull(0, 1000);
    expect(fromDb).toEqual(fromPushes);
    expect(fromDb.changes.find((c) => c.intake.id === it0.id)?.intake.customer.name).toBe('缓存');
  });

  it('leaves out a record changed between listing and fetching; it comes with the next pull', async () => {
    const head = (await b.pull(0, 1000)).cursor;
    const x = draft();
    const y = draft();
    await a.push([mCreate(x), mCreate(y)]);
    env.app.wa.versions.clear();
    const db = env.app.wa.database;
    const author = { dealershipId: a.login.dealership.id, deviceId: a.login.device.id, staffId: a.login.staff.id, role: a.login.staff.role, staffName: a.login.staff.name };
    let interfered = false;
    const racing = interfering(db, 'wa_pull_fetch', async () => {
      interfered = true;
      await applyPush(db, null, author, [mPatch(x.id, 'customer', { name: '改了', salutation: '', mobile: '' }, 0)]);
      return false; // once
    });
    const page = pullResponseSchema.parse(JSON.parse(await pullJson(racing, env.app.wa.versions, author.dealershipId, head, 100)));
    expect(interfered).toBe(true);
    expect(page.changes.map((c) => c.intake.id)).toEqual([y.id]);
    const next = await b.pull(page.cursor);
    expect(next.changes.map((c) => c.intake.id)).toEqual([x.id]);
    expect(next.changes[0]?.intake.customer.name).toBe('改了');
  });

  it('answers a bad cursor or limit with 400 and a reason', async () => {
    for (const q of ['since=-1', 'since=abc', 'limit=0', 'limit=100000']) {
      const r = await b.req<{ error: string; message: string }>('GET', `/api/sync/pull?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.message, q).toBeTruthy();
    }
  });
});
