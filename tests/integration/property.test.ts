/**
 * Issue 9, property test: random strings (NUL, lone surrogates, emoji, RTL, 100k characters),
 * numbers and shapes thrown at every write route of the real server, on PGlite and PostgreSQL.
 * For every request: never a 5xx; a refusal changes no table (the dealership's whole state is
 * the same before and after); an accepted record reads back equal to what the shared schema
 * made of the input.
 */
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet, type Transport } from './helpers/client';
import { dealershipState } from './helpers/state';
import { draft, mCreate } from './helpers/fixtures';
import { intakeContentSchema, intakeSchema, SECTIONS, type Intake } from '../../src/model/intake/schema';
import type { MutationResult } from '../../src/shared/protocol';
import { storableCopy } from '../../src/model/text';

const RUNS = 25;

/** Any UTF-16 code unit, so lone surrogates and NUL come up, plus the hostile classics. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const hostileString = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('王\u0000芳', 'ab\ud83d', '\udc00x', '👩‍🔧🚗', 'مرحبا\u202eabc', '\u200f\u202b', 'x'.repeat(100_000), '', ' ', '王芳'),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53, 3_000_001));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }));

/** What the server received: the value as JSON carries it (-0 arrives as 0). */
const sent = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Raw JSON text, so a lone surrogate reaches the server exactly as a broken client sends it. */
function call(tab: Tablet | null, t: Transport, method: string, url: string, body: unknown) {
  const headers = { ...(tab ? tab.headers() : {}), 'content-type': 'application/json' };
  return t({ method, url, payload: JSON.stringify(body), headers });
}

describe.each(backends())('every write route under random input on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let adv: Tablet;
  let mgr: Tablet;
  let target: Intake;
  const state = () => dealershipState(env.app, adv.login.dealership.id);
  const staffCount = async () => (await env.app.wa.database.query<{ n: number }>('SELECT count(*)::int AS n FROM staff', []))[0]?.n;
  const sessionCount = async () => (await env.app.wa.database.query<{ n: number }>('SELECT count(*)::int AS n FROM device_sessions', []))[0]?.n;

  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    adv = await loginAs(t, demo.advisor, 'property tablet');
    mgr = await loginAs(t, demo.manager, 'property office');
    expect((await mgr.stepUp(demo.manager.password)).status).toBe(200); // so POST /api/staff reaches its schema
    target = draft();
    expect((await adv.push([mCreate(target)])).results[0]?.status).toBe('applied');
  });
  afterAll(() => env.close());

  /** The server's current section revision of the target intake (patches never conflict here). */
  async function revOf(section: string): Promise<number> {
    const r = await adv.req<{ sectionRevs: Record<string, number> }>('GET', `/api/intakes/${target.id}`);
    return r.body.sectionRevs[section] ?? 0;
  }

  it('push create: random texts, numbers and keys', async () => {
    let accepted = 0;
    const km = fc.oneof(hostileNumber, fc.integer({ min: 0, max: 3_000_000 }), fc.constant(null));
    const shortText = fc.oneof(hostileString, fc.string({ unit: 'grapheme', maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(shortText, shortText, hostileString, km, shortText, async (name, plate, symptom, km, key) => {
        const base = draft();
        const intake = {
          ...base,
          customer: { ...base.customer, name },
          vehicle: { ...base.vehicle, plate },
          complaint: { ...base.complaint, symptom },
          visit: { ...base.visit, odometerKm: km },
          cabin: { consent: true, items: { [key]: { status: 'ok', note: symptom, photos: [] } } },
        };
        const before = await state();
        const r = await call(adv, t, 'POST', '/api/sync/push', { protocolVersion: 1, mutations: [{ op: 'create', id: randomUUID(), intakeId: base.id, at: new Date().toISOString(), intake }] });
        expect(r.status).toBeLessThan(500);
        const result = (r.body as { results?: MutationResult[] }).results?.[0];
        if (r.status !== 200 || result?.status !== 'applied') {
          expect(await state()).toEqual(before);
          return;
        }
        accepted++;
        const back = await adv.req<{ intake: Intake }>('GET', `/api/intakes/${base.id}`);
        expect(back.body.intake).toEqual(intakeSchema.parse(sent({ ...intake, status: 'draft', contentHash: null, signedAt: null, signatures: [], amendments: [] })));
      }),
      { numRuns: RUNS * 2 },
    );
    expect(accepted).toBeGreaterThan(0); // the read-back branch ran
  });

  /** A section value of the right shape with one hostile text in it, or any value at all. */
  const TEXT_FIELD: Partial<Record<(typeof SECTIONS)[number], string>> = { customer: 'name', vehicle: 'model', visit: 'appointmentRef', complaint: 'symptom', work: 'estimateNote' };
  const sectionValue = (section: (typeof SECTIONS)[number]) =>
    fc.oneof(
      hostileValue,
      hostileString.map((text) => {
        const field = TEXT_FIELD[section];
        return field ? { ...(target[section] as object), [field]: text } : target[section];
      }),
    );

  it('push and REST patch: random values and shapes for every section', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SECTIONS).chain((section) => fc.tuple(fc.constant(section), sectionValue(section), fc.boolean())), async ([section, value, rest]) => {
        const baseRev = await revOf(section);
        const before = await state();
        const r = rest
          ? await call(adv, t, 'PATCH', `/api/intakes/${target.id}`, { section, value, baseRev })
          : await call(adv, t, 'POST', '/api/sync/push', { protocolVersion: 1, mutations: [{ op: 'patch', id: randomUUID(), intakeId: target.id, at: new Date().toISOString(), section, value, baseRev }] });
        expect(r.status).toBeLessThan(500);
        const applied = r.status === 200 && (rest || (r.body as { results: MutationResult[] }).results[0]?.status === 'applied');
        if (!applied) {
          expect(await state()).toEqual(before);
          return;
        }
        accepted++;
        const back = await adv.req<{ intake: Intake }>('GET', `/api/intakes/${target.id}`);
        expect(back.body.intake[section]).toEqual(intakeContentSchema.shape[section].parse(sent(value)));
      }),
      { numRuns: RUNS * 2 },
    );
    expect(accepted).toBeGreaterThan(0);
  });

  it('push: random mutation shapes and envelopes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.record({ protocolVersion: hostileValue, mutations: fc.array(fc.record({ id: fc.oneof(fc.uuid(), hostileString), op: fc.constantFrom('create', 'patch', 'sign', 'amend', 'techCheck', 'handover', 'x'), intakeId: fc.oneof(fc.uuid(), hostileString), at: hostileString }), { maxLength: 3 }) })), async (body) => {
        const before = await state();
        const r = await call(adv, t, 'POST', '/api/sync/push', body);
        expect(r.status).toBeLessThan(500);
        expect(await state()).toEqual(before); // none of these is a valid mutation
      }),
      { numRuns: RUNS },
    );
  });

  it('login, PIN, step-up, staff, revoke and blob uploads', async () => {
    const staffBefore = await staffCount();
    await fc.assert(
      fc.asyncProperty(hostileString, hostileString, hostileValue, hostileString, fc.uint8Array({ maxLength: 64 }), async (a, b, v, c, bytes) => {
        const sessions = await sessionCount();
        const before = await state();
        const answers = [
          await call(null, t, 'POST', '/api/auth/login', { dealership: a, username: b, password: c, deviceName: a }),
          await call(adv, t, 'POST', '/api/auth/pin', { staffId: a, pin: v }),
          await call(adv, t, 'POST', '/api/auth/step-up', { password: v }),
          await call(mgr, t, 'POST', '/api/staff', { username: a, name: b, role: c, password: v, pin: c }),
          await call(mgr, t, 'POST', `/api/devices/${encodeURIComponent(storableCopy(a))}/revoke`, {}),
          await adv.putBlob(createHash('sha256').update(bytes).digest('hex'), Buffer.from(bytes), 'image/jpeg'),
        ];
        for (const r of answers) expect(r.status).toBeLessThan(500);
        // All of them are refusals: no session, no staff member, no blob, no record.
        for (const r of answers) expect(r.status).toBeGreaterThanOrEqual(400);
        expect(await sessionCount()).toBe(sessions);
        expect(await state()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    expect(await staffCount()).toBe(staffBefore);
  });
});
