/**
 * GET /api/sync/events over real HTTP: authenticated like every route, one dealership's hints
 * only, a hint only for a commit a pull returns (its seq is the pull's cursor), limits per device
 * and dealership, a revoked device's stream ends, close() ends streams instead of hanging, and
 * with two server processes on one PostgreSQL a commit on one reaches a stream on the other
 * (LISTEN/NOTIFY).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { backends, RELAXED_LIMITS, startApp, type TestApp } from './helpers/backends';
import { demo, httpTransport, loginAs, type Tablet } from './helpers/client';
import { draft, mCreate, mPatch } from './helpers/fixtures';
import { otherDealership } from './helpers/state';
import { openEvents, type EventReader } from './helpers/eventStream';
import { buildApp } from '../../src/server/app';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return `http://127.0.0.1:${addr.port}`;
}

const seqOf = (e: { data: unknown }) => (e.data as { seq: number }).seq;

describe.each(backends())('event stream on %s', (backend) => {
  let env: TestApp;
  let base: string;
  let a: Tablet;
  let b: Tablet;
  const open: EventReader[] = [];
  const events = async (t: Tablet, extra: Record<string, string> = {}) => {
    const r = await openEvents(base, { ...t.headers(), ...extra });
    open.push(r);
    return r;
  };

  beforeAll(async () => {
    env = await startApp(backend, { eventStreams: { perDevice: 2, perDealership: 6, heartbeatMs: 300 } });
    base = await listen(env.app);
    const t = httpTransport(base);
    a = await loginAs(t, demo.advisor, 'tablet A');
    b = await loginAs(t, demo.advisor, 'tablet B');
  });
  afterAll(async () => {
    for (const r of open) r.close();
    await env.close();
  });

  it('is refused without a session or with a staff member who has not unlocked the device', async () => {
    const none = await openEvents(base, {});
    expect(none.status).toBe(401);
    const stranger = await openEvents(base, { authorization: `Bearer ${a.token}`, 'x-acting-staff': '00000000-0000-4000-8000-000000000000' });
    expect(stranger.status).toBe(403);
  });

  it('says hello with the head, then one hint per visible commit whose seq is the pull cursor', async () => {
    const before = await b.pull(0, 1000);
    const s = await events(b);
    expect(s.status).toBe(200);
    const hello = await s.next((e) => e.event === 'hello');
    expect(seqOf(hello)).toBe(before.cursor);
    expect(hello.data).toMatchObject({ heartbeatMs: 300 });

    // A push that writes nothing a pull returns (a patch of an intake that does not exist:
    // refused) is no change; the next hint is the create's.
    await a.push([mPatch('00000000-0000-4000-8000-00000000abcd', 'visit', draft().visit, 0)]);
    const it0 = draft();
    const t0 = performance.now();
    await a.push([mCreate(it0)]);
    const hint = await s.next((e) => e.event === 'change');
    console.log(`[events] hint ${(hint.at - t0).toFixed(1)} ms after the push was sent (${backend})`);
    const after = await b.pull(before.cursor);
    expect(after.changes.map((c) => c.intake.id)).toEqual([it0.id]);
    expect(seqOf(hint)).toBe(after.cursor);
    expect(Object.keys(hint.data as object)).toEqual(['seq']); // a hint, never the record
    expect(s.events.filter((e) => e.event === 'change')).toHaveLength(1);
    // Heartbeats keep coming while nothing changes.
    const seen = s.bytes;
    await new Promise((r) => setTimeout(r, 800));
    expect(s.bytes).toBeGreaterThan(seen);
  });

  it('tells one dealership nothing of another', async () => {
    const other = await otherDealership(env.app);
    const o = await loginAs(httpTransport(base), other.advisor, 'other tablet');
    const mine = await events(a);
    const theirs = await events(o);
    await mine.next((e) => e.event === 'hello');
    await theirs.next((e) => e.event === 'hello');
    await o.push([mCreate(draft())]);
    await theirs.next((e) => e.event === 'change');
    await a.push([mCreate(draft())]);
    await mine.next((e) => e.event === 'change');
    expect(mine.events.filter((e) => e.event === 'change')).toHaveLength(1);
    expect(theirs.events.filter((e) => e.event === 'change')).toHaveLength(1);
    mine.close();
    theirs.close();
  });

  it('a device keeps at most perDevice streams (the oldest ends); a dealership at most perDealership (429)', async () => {
    const t = httpTransport(base);
    const c = await loginAs(t, demo.advisor, 'tablet C');
    const s1 = await events(c);
    await s1.next((e) => e.event === 'hello');
    const s2 = await events(c);
    await s2.next((e) => e.event === 'hello');
    const s3 = await events(c);
    await s3.next((e) => e.event === 'hello');
    const bye = await s1.next((e) => e.event === 'bye');
    expect(bye.data).toEqual({ reason: 'replaced' });
    await s1.ended;
    s2.close();
    s3.close();
    await new Promise((r) => setTimeout(r, 100));

    const many: EventReader[] = [];
    let refused: EventReader | null = null;
    for (let i = 0; i < 10 && !refused; i++) {
      const d = await loginAs(t, demo.advisor, `crowd ${i}`);
      const r = await events(d);
      if (r.status === 429) refused = r;
      else many.push(r);
    }
    expect(refused?.status).toBe(429);
    expect(env.app.wa.changes.count(a.login.dealership.id)).toBeLessThanOrEqual(6);
    for (const r of many) r.close();
    await new Promise((r) => setTimeout(r, 100));
  });

  it('a revoked device hears bye at once; a device revoked elsewhere at its next heartbeat', async () => {
    const t = httpTransport(base);
    const mgr = await loginAs(t, demo.manager, 'office');
    expect((await mgr.stepUp(demo.manager.password)).status).toBe(200);
    const d = await loginAs(t, demo.advisor, 'to revoke');
    const s = await events(d);
    await s.next((e) => e.event === 'hello');
    expect((await mgr.req('POST', `/api/devices/${d.login.device.id}/revoke`)).status).toBe(200);
    expect((await s.next((e) => e.event === 'bye')).data).toEqual({ reason: 'revoked' });

    // Revoked by "another process": only the database knows; the heartbeat's check finds it.
    const e2 = await loginAs(t, demo.advisor, 'revoked elsewhere');
    const s2 = await events(e2);
    await s2.next((e) => e.event === 'hello');
    await env.app.wa.database.query('UPDATE device_sessions SET revoked_at = now() WHERE id = $1', [e2.login.device.id]);
    env.app.wa.authCache.forgetSession(e2.login.device.id);
    expect((await s2.next((e) => e.event === 'bye', 5_000)).data).toEqual({ reason: 'unauthenticated' });
  });
});

describe('event stream shutdown', () => {
  it('close() ends open streams with bye instead of waiting for them', async () => {
    const env = await startApp('pglite');
    const base = await listen(env.app);
    const a = await loginAs(httpTransport(base), demo.advisor, 'tablet');
    const s = await openEvents(base, a.headers());
    await s.next((e) => e.event === 'hello');
    await env.close();
    await s.ended;
    expect(s.events.at(-1)).toMatchObject({ event: 'bye', data: { reason: 'shutdown' } });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('two server processes on one PostgreSQL', () => {
  const url = process.env.TEST_DATABASE_URL as string;
  const schema = `it_${randomBytes(6).toString('hex')}`;
  let one: FastifyInstance;
  let two: FastifyInstance;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const opts = { databaseUrl: url, pgSchema: schema, logger: false, announce: false, rateLimit: RELAXED_LIMITS, poolSize: 4 } as const;
    one = await buildApp(opts);
    two = await buildApp({ ...opts, seedDemo: false });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('a push committed by one process is hinted on a stream of the other (LISTEN/NOTIFY)', async () => {
    const b1 = await listen(one);
    const b2 = await listen(two);
    const writer = await loginAs(httpTransport(b1), demo.advisor, 'on process 1');
    const reader = await loginAs(httpTransport(b2), demo.advisor, 'on process 2');
    const s = await openEvents(b2, reader.headers());
    const hello = await s.next((e) => e.event === 'hello');
    // The LISTEN connection of process 2 may still be starting: push until a hint arrives.
    let hint = null;
    for (let i = 0; i < 20 && !hint; i++) {
      const t0 = performance.now();
      await writer.push([mCreate(draft())]);
      hint = await s.next((e) => e.event === 'change', 500).catch(() => null);
      if (hint) console.log(`[events] cross-process hint ${(hint.at - t0).toFixed(1)} ms after the push was sent`);
    }
    expect(hint).not.toBeNull();
    expect(seqOf(hint!)).toBeGreaterThan(seqOf(hello));
    expect(seqOf(hint!)).toBe((await reader.pull(seqOf(hello))).cursor);
    s.close();
  });
});
