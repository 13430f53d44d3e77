/**
 * Issue 9: a hostile client or a stolen tablet gets a 4xx, never a 500, a wedged outbox or more
 * rights. One block per finding, each against the real server on PGlite and PostgreSQL; a
 * refusal is checked to change no table (dealershipState before = after).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet, type Transport } from './helpers/client';
import { dealershipState, otherDealership } from './helpers/state';
import { draft, fakeJpeg, mAmend, mCreate, mPatch, mSign } from './helpers/fixtures';
import { signedIntake } from '../fixtures/followFixtures';
import { contentHash } from '../../src/model/intake/signedContent';
import type { Intake } from '../../src/model/intake/schema';
import type { Mutation, MutationResult } from '../../src/shared/protocol';
import { newTechCheck, techCheckHash, type TechCheck } from '../../src/model/techCheck/schema';
import { LIMITS } from '../../src/model/text';
import { openApiDocument } from '../../src/server/openapi';

const at = () => new Date().toISOString();
const mTech = (tc: TechCheck): Mutation => ({ op: 'techCheck', id: randomUUID(), intakeId: tc.intakeId, at: at(), techCheck: tc });

function signCheck(c: TechCheck, by: { id: string; name: string }): TechCheck {
  const hash = techCheckHash(c);
  return { ...c, status: 'signed', contentHash: hash, signedAt: at(), signoff: { role: 'technician', staffId: by.id, name: by.name, method: 'pin', signedAt: at(), contentHash: hash } };
}

describe.each(backends())('hostile clients on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let adv: Tablet;
  let tech: Tablet;
  const state = () => dealershipState(env.app, adv.login.dealership.id);

  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    adv = await loginAs(t, demo.advisor, 'lane tablet');
    tech = await loginAs(t, demo.technician, 'workshop tablet');
  });
  afterAll(() => env.close());

  /** Push raw JSON text (so lone surrogates arrive as they would from a broken client). */
  async function pushRaw(tab: Tablet, mutations: unknown[]): Promise<{ status: number; results: MutationResult[] }> {
    const r = await tab.t({ method: 'POST', url: '/api/sync/push', payload: JSON.stringify({ protocolVersion: 1, mutations }), headers: tab.headers({ 'content-type': 'application/json' }) });
    return { status: r.status, results: (r.body as { results?: MutationResult[] }).results ?? [] };
  }

  /** A signed intake on the server, pushed by the advisor. */
  async function serverSigned(): Promise<Intake> {
    const s = signedIntake();
    const d: Intake = { ...s, id: randomUUID(), status: 'draft', contentHash: null, signedAt: null, signatures: [] };
    const r = await adv.push([mCreate(d), mSign(d)]);
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied']);
    return (await adv.req<{ intake: Intake }>('GET', `/api/intakes/${d.id}`)).body.intake;
  }

  describe('finding 1: NUL and lone surrogates are refused by the schema, the rest of the batch applies', () => {
    for (const [label, bad] of [
      ['NUL', '王\u0000芳'],
      ['lone surrogate', 'ab\ud83d'],
      ['lone low surrogate', '\udc00x'],
    ] as const) {
      it(`push create with ${label} in a text and in a record key`, async () => {
        const before = await state();
        const inName = draft(undefined, { customer: { name: bad, salutation: '', mobile: '' } });
        const base = draft();
        const inKey: Intake = { ...base, cabin: { consent: true, items: { [`a${bad}b`]: { status: 'ok', note: '', photos: [] } } } };
        const r = await pushRaw(adv, [mCreate(inName), mCreate(inKey)]);
        expect(r.status).toBe(200);
        expect(r.results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
        expect(r.results[0]?.reason).toMatch(/text\.unstorable/);
        expect(await state()).toEqual(before);
      });
    }

    it('a batch [valid create, NUL create] stores the valid one and refuses the other', async () => {
      const good = draft();
      const r = await pushRaw(adv, [mCreate(good), mCreate(draft(undefined, { customer: { name: '王\u0000芳', salutation: '', mobile: '' } }))]);
      expect(r.status).toBe(200);
      expect(r.results.map((x) => x.status)).toEqual(['applied', 'rejected']);
      expect((await adv.req('GET', `/api/intakes/${good.id}`)).status).toBe(200);
    });

    it('patch values, amendment text and PATCH /api/intakes/:id refuse them; a hostile record key in a patch is a stored, readable refusal', async () => {
      const d = draft();
      await adv.push([mCreate(d)]);
      const signed = await serverSigned();
      const before = await state();
      const bad = [
        mPatch(d.id, 'customer', { name: 'x\u0000', salutation: '', mobile: '' }, 0),
        mAmend(signed.id, signed.contentHash as string, '补充\u0000'),
      ];
      const r = await pushRaw(adv, bad);
      expect(r.status).toBe(200);
      expect(r.results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
      expect(await state()).toEqual(before);
      const rest = await adv.req('PATCH', `/api/intakes/${d.id}`, { section: 'customer', value: { name: 'ab\ud83d', salutation: '', mobile: '' }, baseRev: 0 });
      expect(rest.status).toBe(400);
      expect(await state()).toEqual(before);
    });

    it('login fields and POST /api/staff refuse them with 400', async () => {
      for (const body of [
        { dealership: 'demo\u0000', username: 'advisor', password: 'demo-advisor-1', deviceName: 'x' },
        { dealership: 'demo', username: 'adv\ud800', password: 'demo-advisor-1', deviceName: 'x' },
        { dealership: 'demo', username: 'advisor', password: 'demo-advisor-1', deviceName: 'pad\u0000' },
      ]) {
        expect((await t({ method: 'POST', url: '/api/auth/login', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } })).status).toBe(400);
      }
      const mgr = await loginAs(t, demo.manager, 'office');
      expect((await mgr.stepUp(demo.manager.password)).status).toBe(200);
      const r = await mgr.req('POST', '/api/staff', { username: 'nul1', name: '王\u0000', role: 'advisor', password: 'long-enough-1', pin: '4321' });
      expect(r.status).toBe(400);
    });
  });

  describe('finding 2: ids are normalised to lower case', () => {
    it('an upper-cased replay is a duplicate; an upper-case intakeId is the same intake', async () => {
      const d = draft();
      const create = mCreate(d);
      expect((await adv.push([create])).results[0]?.status).toBe('applied');
      const patch = mPatch(d.id, 'customer', { name: '李雷', salutation: '', mobile: '' }, 0);
      expect((await adv.push([patch])).results[0]?.status).toBe('applied');
      const before = await state();
      const replay = await adv.push([{ ...patch, id: patch.id.toUpperCase() }]);
      expect(replay.results[0]?.status).toBe('duplicate');
      expect(await state()).toEqual(before);
      // The same id upper-cased is the same intake: refused as "exists with different content", not a second row.
      const upperCreate = await adv.push([{ ...mCreate(d), intakeId: d.id.toUpperCase(), intake: { ...d, id: d.id.toUpperCase() } } as Mutation]);
      expect(upperCreate.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/already exists/) });
      expect((await state()).intakes).toEqual(before.intakes);
      const both = mPatch(d.id, 'complaint', { ...d.complaint, symptom: '异响' }, 0);
      const twice = await adv.push([both, { ...both, id: both.id.toUpperCase() }]);
      expect(twice.results.map((x) => x.status)).toEqual(['applied', 'duplicate']);
      const upperIntake = await adv.push([{ ...mPatch(d.id, 'visit', { ...d.visit, odometerKm: 12 }, 0), intakeId: d.id.toUpperCase() }]);
      expect(upperIntake.results[0]?.status).toBe('applied');
      expect((await adv.req('GET', `/api/intakes/${d.id.toUpperCase()}`)).status).toBe(200);
    });
  });

  describe('finding 3 and the login lockout: attempts are counted atomically', () => {
    const failuresOf = async (id: string) =>
      (await env.app.wa.database.query<{ f: number; locked: boolean }>('SELECT pin_failures AS f, pin_locked_until > now() AS locked FROM staff WHERE id = $1', [id]))[0];

    it('30 parallel wrong PINs: exactly 5 are checked (4 x 401, the 5th locks: 423), the rest are 423 unchecked', async () => {
      const o = await otherDealership(env.app);
      const tab = await loginAs(t, o.advisor, 'race tablet');
      const mgrId = o.staff.find((s) => s.username === 'mgr')?.id as string;
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => tab.req<{ lockedUntil?: string }>('POST', '/api/auth/pin', { staffId: mgrId, pin: String(3000 + i) })));
      const codes = answers.map((a) => a.status);
      expect(codes.filter((c) => c === 401)).toHaveLength(4);
      expect(codes.filter((c) => c === 423)).toHaveLength(26);
      expect(await failuresOf(mgrId)).toEqual({ f: 5, locked: true });
      const locked = answers.find((a) => a.status === 423);
      expect(typeof locked?.body.lockedUntil).toBe('string'); // at the top level, as lockedSchema says
      expect((await tab.req('POST', '/api/auth/pin', { staffId: mgrId, pin: '2222' })).status).toBe(423);
    });

    it('30 parallel PINs with the right one 15th: at most 5 are checked, the rest are 423', async () => {
      const o = await otherDealership(env.app);
      const tab = await loginAs(t, o.advisor, 'race tablet');
      const mgrId = o.staff.find((s) => s.username === 'mgr')?.id as string;
      const pins = Array.from({ length: 30 }, (_, i) => (i === 14 ? '2222' : String(3000 + i)));
      const codes = (await Promise.all(pins.map((pin) => tab.req('POST', '/api/auth/pin', { staffId: mgrId, pin })))).map((a) => a.status);
      // Before the fix: 23 x 401, 6 x 423, 1 x 200.
      expect(codes.filter((c) => c === 401 || c === 200).length).toBeLessThanOrEqual(5);
      expect(codes.filter((c) => c === 423).length).toBeGreaterThanOrEqual(25);
    });

    it('parallel wrong passwords lock the account after exactly the limit; then the right one is 423 too', async () => {
      const o = await otherDealership(env.app);
      const wrong = Array.from({ length: 15 }, (_, i) => t({ method: 'POST', url: '/api/auth/login', json: { ...o.advisor, password: `guess-${i}`, deviceName: 'x' } }));
      const codes = (await Promise.all(wrong)).map((r) => r.status);
      // 10 checked: 9 answered 401, the 10th locks the account (423); 5 more never checked.
      expect(codes.filter((c) => c === 401)).toHaveLength(9);
      expect(codes.filter((c) => c === 423)).toHaveLength(6);
      const right = await t({ method: 'POST', url: '/api/auth/login', json: { ...o.advisor, deviceName: 'x' } });
      expect(right.status).toBe(423);
      expect(right.body).toMatchObject({ error: 'login_locked' });
      // Another account of the same dealership is not affected.
      expect((await t({ method: 'POST', url: '/api/auth/login', json: { ...o.manager, deviceName: 'x' } })).status).toBe(201);
    });
  });

  describe('finding 4: nothing a tablet holds gains a right its session lacks', () => {
    it("the manager's PIN switches the acting staff, but staff and devices need the manager's password (step-up)", async () => {
      const o = await otherDealership(env.app);
      const lane = await loginAs(t, o.advisor, 'advisor tablet');
      const staffBefore = (await env.app.wa.database.query<{ n: number }>('SELECT count(*)::int AS n FROM staff WHERE dealership_id = $1', [o.dealership.id]))[0]?.n;
      const mgrId = o.staff.find((s) => s.username === 'mgr')?.id as string;
      // The verifier a tablet holds is enough to find the PIN offline; assume the attacker did.
      expect((await lane.pin(mgrId, '2222')).status).toBe(200);
      const add = await lane.req('POST', '/api/staff', { username: 'evil', name: 'Evil', role: 'manager', password: 'attacker-pass-1', pin: '1212' });
      expect(add.status).toBe(403);
      expect(add.body).toMatchObject({ error: 'step_up_required' });
      expect((await lane.req('GET', '/api/devices')).status).toBe(403);
      expect((await lane.req('GET', '/api/staff')).status).toBe(403);
      expect((await lane.stepUp('2222')).status).toBe(401); // the PIN is not the password
      const staffAfter = (await env.app.wa.database.query<{ n: number }>('SELECT count(*)::int AS n FROM staff WHERE dealership_id = $1', [o.dealership.id]))[0]?.n;
      expect(staffAfter).toBe(staffBefore);
      expect((await t({ method: 'POST', url: '/api/auth/login', json: { dealership: o.dealership.slug, username: 'evil', password: 'attacker-pass-1', deviceName: 'x' } })).status).toBe(401);
    });

    it('a step-up runs out, and a PIN switch ends it', async () => {
      const short = await startApp(backend, { stepUpMs: 300 });
      try {
        const st = injectTransport(short.app);
        const mgr = await loginAs(st, demo.manager, 'office');
        expect((await mgr.stepUp(demo.manager.password)).status).toBe(200);
        expect((await mgr.req('GET', '/api/devices')).status).toBe(200);
        await new Promise((ok) => setTimeout(ok, 400));
        expect((await mgr.req('GET', '/api/devices')).body).toMatchObject({ error: 'step_up_required' });
        expect((await mgr.stepUp(demo.manager.password)).status).toBe(200);
        const advId = mgr.login.staffList.find((s) => s.username === 'advisor')?.id as string;
        expect((await mgr.pin(advId, demo.advisor.pin)).status).toBe(200);
        expect((await mgr.pin(mgr.login.staff.id, demo.manager.pin)).status).toBe(200);
        expect((await mgr.req('GET', '/api/devices')).body).toMatchObject({ error: 'step_up_required' });
      } finally {
        await short.close();
      }
    });
  });

  describe('finding 5: a REST refusal writes nothing', () => {
    it('PATCH with an invalid value is 400 and a stale baseRev is 409, neither leaves a row', async () => {
      const d = draft();
      await adv.push([mCreate(d)]);
      expect((await adv.req('PATCH', `/api/intakes/${d.id}`, { section: 'customer', value: { ...d.customer, name: '韩梅梅' }, baseRev: 0 })).status).toBe(200);
      const before = await state();
      const bad = await adv.req('PATCH', `/api/intakes/${d.id}`, { section: 'customer', value: { name: 123 }, baseRev: 1 });
      expect(bad.status).toBe(400);
      const stale = await adv.req('PATCH', `/api/intakes/${d.id}`, { section: 'customer', value: { ...d.customer, name: '旧' }, baseRev: 0 });
      expect(stale.status).toBe(409);
      expect(await state()).toEqual(before);
    });
  });

  describe('finding 6: a refusal that can become valid is not stored', () => {
    it('a patch pushed before its create is applied when replayed after the create', async () => {
      const d = draft();
      const patch = mPatch(d.id, 'customer', { name: '先到', salutation: '', mobile: '' }, 0);
      const before = await state();
      const early = await adv.push([patch]);
      expect(early.results[0]).toMatchObject({ status: 'rejected', retry: true });
      expect(await state()).toEqual(before);
      await adv.push([mCreate(d)]);
      expect((await adv.push([patch])).results[0]?.status).toBe('applied');
    });

    it('a technician check pushed before its intake is signed is applied once it is', async () => {
      const s = signedIntake();
      const d: Intake = { ...s, id: randomUUID(), status: 'draft', contentHash: null, signedAt: null, signatures: [] };
      await adv.push([mCreate(d)]);
      const willSign: Intake = { ...d, status: 'signed', contentHash: contentHash(d) };
      const techStaff = { id: tech.login.staff.id, name: tech.login.staff.name };
      const tc = signCheck(newTechCheck({ id: randomUUID(), intake: willSign, technician: techStaff }), techStaff);
      const m = mTech(tc);
      const early = await tech.push([m]);
      expect(early.results[0]).toMatchObject({ status: 'rejected', retry: true });
      const sign = mSign(d);
      expect((await adv.push([sign])).results[0]?.status).toBe('applied');
      const signedHash = (await adv.req<{ intake: Intake }>('GET', `/api/intakes/${d.id}`)).body.intake.contentHash;
      expect(signedHash).toBe(willSign.contentHash);
      expect((await tech.push([m])).results[0]?.status).toBe('applied');
    });
  });

  describe('finding 7: roles per mutation and sign-offs by the acting staff', () => {
    it('refuses a check pushed by an advisor, one signed by a stranger, and intakes from a technician', async () => {
      const intake = await serverSigned();
      const techStaff = { id: tech.login.staff.id, name: tech.login.staff.name };
      const before = await state();
      const byAdvisor = await adv.push([mTech(signCheck(newTechCheck({ id: randomUUID(), intake, technician: techStaff }), techStaff))]);
      expect(byAdvisor.results[0]).toMatchObject({ status: 'rejected', retry: true });
      const ghost = await tech.push([mTech(signCheck(newTechCheck({ id: randomUUID(), intake, technician: techStaff }), { id: randomUUID(), name: 'Ghost' }))]);
      expect(ghost.results[0]?.status).toBe('rejected');
      const renamed = await tech.push([mTech(signCheck(newTechCheck({ id: randomUUID(), intake, technician: techStaff }), { id: techStaff.id, name: 'Ghost' }))]);
      expect(renamed.results[0]?.status).toBe('rejected');
      expect(renamed.results[0]?.reason).toMatch(/name/);
      const d = draft();
      const techCreates = await tech.push([mCreate(d), mSign(d)]);
      expect(techCreates.results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
      const after = await state();
      expect(after.intakes).toEqual(before.intakes);
      expect(after.techChecks).toEqual(before.techChecks);
      expect(after.changeSeq).toBe(before.changeSeq);
      // An advisor signature must carry the acting staff member's registered name.
      const d2 = draft();
      await adv.push([mCreate(d2)]);
      const sign = mSign(d2) as Extract<Mutation, { op: 'sign' }>;
      const ghostSig = { ...sign, signatures: [...sign.signatures, { ...sign.signatures[0]!, role: 'advisor' as const, name: 'Ghost' }] };
      expect((await adv.push([ghostSig])).results[0]).toMatchObject({ status: 'rejected', retry: true });
      const ownSig = { ...sign, id: randomUUID(), signatures: [...sign.signatures, { ...sign.signatures[0]!, role: 'advisor' as const, name: adv.login.staff.name }] };
      expect((await adv.push([ownSig])).results[0]?.status).toBe('applied');
      // The technician's own, correctly signed check is stored.
      expect((await tech.push([mTech(signCheck(newTechCheck({ id: randomUUID(), intake, technician: techStaff }), techStaff))])).results[0]?.status).toBe('applied');
    });
  });

  describe('finding 8: size limits', () => {
    it('refuses too many valuables, too many map keys, and a record over 1 MB (413 over REST)', async () => {
      const d = draft();
      await adv.push([mCreate(d)]);
      const before = await state();
      const item = (i: number) => ({ itemId: `v${i}`, answer: 'taken' as const, description: '' });
      const many = await adv.push([mPatch(d.id, 'valuables', { reminded: true, items: Array.from({ length: LIMITS.valuables + 1 }, (_, i) => item(i)) }, 0)]);
      expect(many.results[0]?.status).toBe('rejected');
      const keys = Object.fromEntries(Array.from({ length: LIMITS.mapKeys + 1 }, (_, i) => [`k${i}`, { status: 'ok' as const, note: '', photos: [] }]));
      const wide = await adv.push([mPatch(d.id, 'cabin', { consent: true, items: keys }, 0)]);
      expect(wide.results[0]?.status).toBe('rejected');
      // 150 positions x 200 items is within every per-field limit and well over 1 MB as a whole.
      const items = Object.fromEntries(Array.from({ length: LIMITS.mapKeys }, (_, i) => [`item-${'x'.repeat(30)}-${i}`, 'ok' as const]));
      const positions = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, { items, noDamage: false, completedAt: null }]));
      const huge = { positions, findings: [] };
      const pushed = await adv.push([mPatch(d.id, 'walkaround', huge, 0)]);
      expect(pushed.results[0]?.status).toBe('rejected');
      expect(pushed.results[0]?.reason).toMatch(/too large/);
      const rest = await adv.req('PATCH', `/api/intakes/${d.id}`, { section: 'walkaround', value: huge, baseRev: 0 });
      expect(rest.status).toBe(413);
      const after = await state();
      expect(after.intakes).toEqual(before.intakes);
      expect(after.changeSeq).toBe(before.changeSeq);
    });
  });

  describe('smaller points', () => {
    it('query numbers are decimal only; dates are bounded', async () => {
      for (const q of ['since=', 'since=0x10', 'since=1e3', 'since=-1', 'since=%205', 'limit=0', 'limit=abc']) {
        const r = await adv.req('GET', `/api/sync/pull?${q}`);
        expect(r.status, q).toBe(400);
      }
      expect((await adv.req('GET', '/api/sync/pull?since=0&limit=5')).status).toBe(200);
      expect((await adv.req('GET', '/api/intakes?limit=0x10')).status).toBe(400);
      const far = draft(undefined, { createdAt: '9999-12-31T00:00:00Z' });
      expect((await adv.push([mCreate(far)])).results[0]?.status).toBe('rejected');
      const early = { ...mCreate(draft()), at: '1900-01-01T00:00:00Z' };
      expect((await adv.push([early])).results[0]?.status).toBe('rejected');
    });

    it('every answer says nosniff; blobs carry a CSP that runs nothing', async () => {
      expect((await t({ method: 'GET', url: '/api/health' })).headers['x-content-type-options']).toBe('nosniff');
      expect((await adv.req('GET', '/api/intakes/not-a-uuid')).headers['x-content-type-options']).toBe('nosniff');
      const img = fakeJpeg();
      expect((await adv.putBlob(img.hash, img.bytes)).status).toBe(201);
      const got = await adv.req('GET', `/api/blobs/${img.hash}`);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['content-security-policy']).toBe("default-src 'none'");
    });

    it('the OpenAPI document lists every registered /api route', async () => {
      const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
      const missing: string[] = [];
      for (const r of env.app.wa.routes) {
        if (!r.url.startsWith('/api/')) continue;
        const path = r.url.replace(/:(\w+)/g, '{$1}');
        const ops = doc.paths[path] ?? {};
        const method = r.method.toLowerCase();
        if (!(method in ops) && !(method === 'head' && 'get' in ops)) missing.push(`${r.method} ${r.url}`);
      }
      expect(missing).toEqual([]);
      expect(doc.paths['/api/auth/pin']?.post).toMatchObject({ responses: { '423': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Locked' } } } } } });
    });
  });
});
