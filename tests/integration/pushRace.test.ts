/**
 * A push reads and decides without a lock and writes in one statement that refuses (40001) if
 * anything it decided on changed meanwhile (src/server/sync/apply.ts, wa_commit_push). These tests
 * make that happen on purpose and check that no update is lost and every answer stays true:
 *  - a competing push lands between a push's read and its commit, again and again (so the push
 *    is redone, and after three lost races finishes under the lock);
 *  - many tablets patch different sections of the same intake at the same moment over HTTP;
 *  - the same mutation arrives twice at the same moment (a tablet retrying a slow request);
 *  - another tablet's save of the same handover draft lands between a push's read and
 *    its commit (the draft's old_seq guard): redone, the newer draft wins either way.
 */
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, httpTransport, injectTransport, loginAs, type Tablet } from './helpers/client';
import { draft, mCreate, mPatch, mSign } from './helpers/fixtures';
import { signedIntake } from '../fixtures/followFixtures';
import { newHandover, type Handover } from '../../src/model/handover/schema';
import type { Mutation } from '../../src/shared/protocol';
import { interfering } from './helpers/interfere';
import { applyPush, type Author } from '../../src/server/sync/apply';
import type { Database } from '../../src/server/db/client';
import type { Intake } from '../../src/model/intake/schema';

describe.each(backends())('push races on %s', (backend) => {
  let env: TestApp;
  let db: Database;
  let a: Tablet;
  let author: Author;
  beforeAll(async () => {
    env = await startApp(backend);
    db = env.app.wa.database;
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    a = await loginAs(injectTransport(env.app), demo.advisor, 'tablet A');
    author = { dealershipId: a.login.dealership.id, deviceId: a.login.device.id, staffId: a.login.staff.id, role: a.login.staff.role, staffName: a.login.staff.name };
  });
  afterAll(() => env.close());

  const get = async (id: string) => (await a.req<{ intake: Intake; sectionRevs: Record<string, number> }>('GET', `/api/intakes/${id}`)).body;

  it('redoes a push whose rows changed between its read and its commit, and finally takes the lock', async () => {
    const it0 = draft();
    await a.push([mCreate(it0)]);
    // A database whose commit statement first lets another tablet change the same intake.
    let interfered = 0;
    const racing = interfering(db, 'wa_commit_pushes', async (n) => {
      interfered = n;
      const other = await applyPush(db, null, author, [mPatch(it0.id, 'complaint', { ...it0.complaint, symptom: `other ${n}` }, n - 1)]);
      expect(other[0]?.status).toBe('applied');
    });
    const mine = mPatch(it0.id, 'customer', { name: '陈先生', salutation: '先生', mobile: '' }, 0);
    const [res] = await applyPush(racing, null, author, [mine]);
    expect(res).toMatchObject({ mutationId: mine.id, status: 'applied', sectionRev: 1 });
    expect(interfered).toBe(3); // three optimistic attempts lost; the fourth ran under the lock
    const now = await get(it0.id);
    expect(now.intake.customer.name).toBe('陈先生');
    expect(now.intake.complaint.symptom).toBe('other 3');
    expect(now.sectionRevs).toMatchObject({ customer: 1, complaint: 3 });
    // Recorded once: a replay is a duplicate and changes nothing.
    const [again] = await applyPush(db, null, author, [mine]);
    expect(again?.status).toBe('duplicate');
    expect((await get(it0.id)).sectionRevs).toMatchObject({ customer: 1, complaint: 3 });
  });

  it('a revision conflict decided on stale data is decided again', async () => {
    const it0 = draft();
    await a.push([mCreate(it0)]);
    const racing = interfering(db, 'wa_commit_pushes', async () => {
      await applyPush(db, null, author, [mPatch(it0.id, 'customer', { name: '别人', salutation: '', mobile: '' }, 0)]);
      return false; // once
    });
    // Based on revision 0 too: after the other patch it must be a conflict, not applied over it.
    const [res] = await applyPush(racing, null, author, [mPatch(it0.id, 'customer', { name: '我', salutation: '', mobile: '' }, 0)]);
    expect(res).toMatchObject({ status: 'conflict', sectionRev: 1, serverValue: { name: '别人' } });
    expect((await get(it0.id)).intake.customer.name).toBe('别人');
  });

  it('tablets patching different sections of one intake at the same moment lose nothing', async () => {
    const base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    const it0 = draft();
    await a.push([mCreate(it0)]);
    const ROUNDS = 6;
    const editors: { section: 'customer' | 'complaint' | 'visit' | 'cabin'; value: (r: number) => unknown }[] = [
      { section: 'customer', value: (r) => ({ name: `客户 ${r}`, salutation: '', mobile: '' }) },
      { section: 'complaint', value: (r) => ({ ...it0.complaint, symptom: `异响 ${r}` }) },
      { section: 'visit', value: (r) => ({ ...it0.visit, odometerKm: 1000 + r }) },
      { section: 'cabin', value: (r) => ({ ...it0.cabin, consent: r % 2 === 1 }) },
    ];
    const tablets = await Promise.all(editors.map((_, i) => loginAs(httpTransport(base), demo.advisor, `editor ${i}`)));
    await Promise.all(
      editors.map(async (e, i) => {
        let rev = 0;
        for (let r = 1; r <= ROUNDS; r++) {
          const m = { op: 'patch' as const, id: randomUUID(), intakeId: it0.id, at: new Date().toISOString(), section: e.section, value: e.value(r), baseRev: rev };
          const [res] = (await tablets[i]!.push([m])).results;
          expect(res).toMatchObject({ status: 'applied', sectionRev: rev + 1 });
          rev = res?.sectionRev ?? rev;
        }
      }),
    );
    const now = await get(it0.id);
    expect(now.sectionRevs).toMatchObject({ customer: ROUNDS, complaint: ROUNDS, visit: ROUNDS, cabin: ROUNDS });
    expect(now.intake.customer.name).toBe(`客户 ${ROUNDS}`);
    expect(now.intake.complaint.symptom).toBe(`异响 ${ROUNDS}`);
    expect(now.intake.visit.odometerKm).toBe(1000 + ROUNDS);
    expect(now.intake.cabin.consent).toBe(ROUNDS % 2 === 1);
  });

  it('the same mutation arriving twice at once is applied once', async () => {
    const it0 = draft();
    await a.push([mCreate(it0)]);
    const m = mPatch(it0.id, 'customer', { name: '同一个', salutation: '', mobile: '' }, 0);
    const answers = await Promise.all([applyPush(db, null, author, [m]), applyPush(db, null, author, [m]), applyPush(db, null, author, [m])]);
    const statuses = answers.map((r) => r[0]?.status).sort();
    expect(statuses).toEqual(['applied', 'duplicate', 'duplicate']);
    expect((await get(it0.id)).sectionRevs).toMatchObject({ customer: 1 });
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM mutations WHERE id = $1', [m.id]);
    expect(count?.n).toBe(1);
  });
  it('a draft replaced by another push between read and commit is decided again: the newer draft wins', async () => {
    const d = { ...signedIntake(), id: randomUUID(), status: 'draft' as const, contentHash: null, signedAt: null, signatures: [] };
    await a.push([mCreate(d), mSign(d)]);
    const intake = (await get(d.id)).intake;
    const handover = newHandover({ id: randomUUID(), intake, techCheck: null, advisor: { id: 'a1', name: '王芳' } }); // the advisor's own kind
    const save = (note: string, ms: number): Mutation => {
      const h: Handover = { ...handover, note, updatedAt: new Date(Date.parse(handover.updatedAt) + ms).toISOString() };
      return { op: 'handoverDraft', id: randomUUID(), intakeId: h.intakeId, at: h.updatedAt, handover: h };
    };
    expect((await applyPush(db, null, author, [save('v1', 1)]))[0]?.status).toBe('applied');
    const stored = async () => (await db.query<{ data: Handover }>('SELECT data FROM handovers WHERE id = $1', [handover.id]))[0]?.data.note;

    // An older save from another tablet commits first: mine is redone on fresh data and applied.
    const olderFirst = interfering(db, 'wa_commit_pushes', async () => {
      expect((await applyPush(db, null, author, [save('v2 other tablet', 2)]))[0]?.status).toBe('applied');
      return false;
    });
    expect((await applyPush(olderFirst, null, author, [save('v3 mine', 3)]))[0]?.status).toBe('applied');
    expect(await stored()).toBe('v3 mine');

    // A newer save commits first: mine, redone, is superseded and changes nothing.
    const newerFirst = interfering(db, 'wa_commit_pushes', async () => {
      expect((await applyPush(db, null, author, [save('v5 other tablet', 5)]))[0]?.status).toBe('applied');
      return false;
    });
    expect((await applyPush(newerFirst, null, author, [save('v4 mine', 4)]))[0]).toMatchObject({ status: 'duplicate', reason: expect.stringMatching(/superseded/) });
    expect(await stored()).toBe('v5 other tablet');
  });
});
