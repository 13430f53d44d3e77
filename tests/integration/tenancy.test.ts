/**
 * Tenancy: dealership A's device, acting as advisor and as manager, tries every route against
 * dealership B's ids. Every answer must be exactly what a nonexistent id gets (404/403/rejected),
 * and B's data must be unchanged afterwards.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet, type Transport, type Res } from './helpers/client';
import { draft, fakeJpeg, mCreate, mPatch, mSign, withPhoto } from './helpers/fixtures';
import { dealershipState, otherDealership } from './helpers/state';

describe.each(backends())('tenancy on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let a: Tablet; // dealership A (demo), manager acting
  let b: Tablet; // dealership B
  let bIds: { intake: string; signed: string; photo: string; device: string; staff: string; mutation: string };
  let bId: string;

  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    a = await loginAs(t, demo.manager, 'A office');
    expect((await a.stepUp(demo.manager.password)).status).toBe(200); // manager routes need the password re-entered
    const other = await otherDealership(env.app);
    bId = other.dealership.id;
    b = await loginAs(t, other.advisor, 'B tablet');
    const photo = fakeJpeg();
    const intake = withPhoto(draft(), photo.hash);
    const signed = draft();
    const create = mCreate(intake);
    await b.push([create, mCreate(signed), mSign(signed)]);
    expect((await b.putBlob(photo.hash, photo.bytes)).status).toBe(201);
    bIds = { intake: intake.id, signed: signed.id, photo: photo.hash, device: b.login.device.id, staff: b.login.staff.id, mutation: create.id };
  });
  afterAll(() => env.close());

  const same = (x: Res, y: Res) => {
    expect(x.status).toBe(y.status);
    expect(x.body).toEqual(y.body);
  };

  it("answers B's ids exactly like nonexistent ones on every route", async () => {
    const before = await dealershipState(env.app, bId);
    const none = { intake: randomUUID(), photo: fakeJpeg().hash, device: randomUUID(), staff: randomUUID() };
    const pairs: [string, string, unknown?][] = [
      ['GET', '/api/intakes/:intake'],
      ['PATCH', '/api/intakes/:intake', { section: 'customer', value: { name: 'x', salutation: '', mobile: '' }, baseRev: 0 }],
      ['PUT', '/api/intakes/:intake', { section: 'customer', value: { name: 'x', salutation: '', mobile: '' }, baseRev: 0 }],
      ['HEAD', '/api/blobs/:photo'],
      ['GET', '/api/blobs/:photo'],
      ['POST', '/api/devices/:device/revoke'],
    ];
    for (const [m, url, body] of pairs) {
      const fill = (ids: Record<string, string>) => url.replace(/:(\w+)/, (_, k: string) => ids[k] ?? '');
      const forB = await a.req(m, fill({ ...bIds, intake: bIds.intake }), body);
      const forNone = await a.req(m, fill(none), body);
      expect([401, 403, 404]).toContain(forB.status);
      same(forB, forNone);
      // The signed intake too (a signed B intake must not answer 409 to A).
      if (url.includes(':intake')) same(await a.req(m, fill({ intake: bIds.signed }), body), forNone);
    }
    same(await a.req('POST', '/api/auth/pin', { staffId: bIds.staff, pin: '1111' }), await a.req('POST', '/api/auth/pin', { staffId: none.staff, pin: '1111' }));
    same(await a.req('GET', '/api/auth/me', undefined, { 'x-acting-staff': bIds.staff }), await a.req('GET', '/api/auth/me', undefined, { 'x-acting-staff': none.staff }));

    // Lists and pulls never show B's records.
    const list = await a.req<{ intakes: { id: string }[] }>('GET', '/api/intakes');
    expect(list.body.intakes.map((i) => i.id)).not.toContain(bIds.intake);
    const pulled = await a.pull(0);
    expect(pulled.changes.map((c) => c.intake.id)).not.toContain(bIds.intake);
    const devices = await a.req<{ devices: { id: string }[] }>('GET', '/api/devices');
    expect(devices.body.devices.map((d) => d.id)).not.toContain(bIds.device);
    const staff = await a.req<{ staff: { id: string }[] }>('GET', '/api/staff');
    expect(staff.body.staff.map((s) => s.id)).not.toContain(bIds.staff);

    // Push against B's intake and B's mutation id: like unknown ones; nothing of B changes.
    const patchB = await a.push([mPatch(bIds.intake, 'customer', { name: 'evil', salutation: '', mobile: '' }, 0)]);
    const patchNone = await a.push([mPatch(none.intake, 'customer', { name: 'evil', salutation: '', mobile: '' }, 0)]);
    expect(patchB.results[0]?.status).toBe('rejected');
    expect(patchB.results[0]?.reason).toBe(patchNone.results[0]?.reason);
    const replayB = await a.push([{ ...mCreate(draft()), id: bIds.mutation }]);
    expect(replayB.results[0]?.status).toBe('applied'); // B's mutation id means nothing to A
    // Same photo bytes uploaded by A: A's own copy; B's ownership untouched.
    expect(await dealershipState(env.app, bId)).toEqual(before);

    // A's credentials do not open B.
    const cross = await t({ method: 'POST', url: '/api/auth/login', json: { dealership: b.login.dealership.slug, username: 'manager', password: demo.manager.password, deviceName: 'x' } });
    expect(cross.status).toBe(401);
  });

  it('revoking works only inside the own dealership; B still works afterwards', async () => {
    expect((await a.req('POST', `/api/devices/${bIds.device}/revoke`)).status).toBe(404);
    expect((await b.req('GET', '/api/sync/pull?since=0')).status).toBe(200);
  });
});
