/**
 * The car's history on the server (issue 11): vehicles derived from signed intakes in the push's
 * own transaction (migrations/0005), the tablet's vehicle index by cursor, and the vehicle routes
 * with their tenancy. Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet, type Transport } from './helpers/client';
import { draft, mAmend, mCreate, mSign } from './helpers/fixtures';
import { otherDealership } from './helpers/state';
import type { Intake } from '../../src/model/intake/schema';
import type { VehicleDetail, VehiclePullResponse } from '../../src/model/vehicle/schema';
import { historyFor } from '../../src/model/vehicle/history';
import { contentHash } from '../../src/model/intake/signedContent';

const VIN = '1M8GDM9AXKP042788';
let plateN = 10000;
const nextPlate = () => `沪B${++plateN}`;

function visit(over: { plate: string; vin?: string; at: string; odometerKm?: number; findings?: string[]; declined?: { title: string; safety: boolean }[] }): Intake {
  const base = draft(undefined, { createdAt: over.at, updatedAt: over.at });
  return {
    ...base,
    customer: { name: '钱女士', salutation: '钱女士', mobile: '13900139000' },
    vehicle: { plate: over.plate, plateOther: false, vin: over.vin ?? '', make: '大众', model: '帕萨特', year: 2021, colour: '白' },
    visit: { ...base.visit, odometerKm: over.odometerKm ?? 42000 },
    complaint: { ...base.complaint, symptom: '冷车启动异响' },
    walkaround: {
      ...base.walkaround,
      findings: (over.findings ?? []).map((id, i) => ({ id, positionId: i ? 'rear' : 'leftFront', itemId: 'panel', type: 'scratch', severity: 'minor', marker: { x: 0.2, y: 0.3 }, photos: [], noPhotoReason: '雨天，顾客赶时间', note: '', createdAt: over.at, foundAt: 'intake' as const })),
    },
    work: { ...base.work, recommendations: (over.declined ?? []).map((r, i) => ({ id: `r${i}`, findingId: null, title: r.title, safety: r.safety, decision: 'later' as const, labour: null, parts: null })) },
  };
}

function signedAt(m: ReturnType<typeof mSign>, at: string) {
  if (m.op !== 'sign') throw new Error('not a sign');
  return { ...m, signedAt: at, at };
}

describe.each(backends())('vehicles on %s', (backend) => {
  let env: TestApp;
  let t: Transport;
  let a: Tablet;

  beforeAll(async () => {
    env = await startApp(backend);
    t = injectTransport(env.app);
    a = await loginAs(t, demo.advisor, 'lane 1');
  });
  afterAll(() => env.close());

  async function sign(i: Intake, at: string) {
    const r = await a.push([mCreate(i), signedAt(mSign(i), at)]);
    expect(r.results.map((x) => (x.status === 'applied' ? x.status : JSON.stringify(x)))).toEqual(['applied', 'applied']);
  }
  const byPlate = async (plate: string) => (await a.req<{ vehicles: VehicleDetail[] }>('GET', `/api/vehicles?plate=${encodeURIComponent(plate)}`)).body.vehicles;

  it('a signed intake makes the vehicle, with its visit and open items; a draft makes none', async () => {
    const plate = nextPlate();
    const d = visit({ plate, vin: VIN, at: '2026-09-01T08:00:00.000Z' });
    await a.push([mCreate(d)]);
    expect(await byPlate(plate)).toEqual([]);

    const v1 = visit({ plate, vin: VIN, at: '2026-09-02T08:00:00.000Z', findings: ['f1', 'f2'], declined: [{ title: '更换前刹车片', safety: true }, { title: '清洗空调', safety: false }] });
    await sign(v1, '2026-09-02T09:00:00.000Z');
    const [car, ...rest] = await byPlate(plate);
    expect(rest).toEqual([]);
    expect(car).toMatchObject({ vin: VIN, plate, plates: [plate], make: '大众', customer: { name: '钱女士', mobile: '13900139000' }, lastOdometerKm: 42000, lastIntakeId: v1.id, visits: 1, lastVisitAt: '2026-09-02T09:00:00.000Z' });
    expect(car?.visitList).toEqual([{ intakeId: v1.id, at: '2026-09-02T09:00:00.000Z', odometerKm: 42000, status: 'signed', contentHash: contentHash(v1) }]);
    expect(car?.openItems.damage.map((x) => x.findingId)).toEqual(['f1', 'f2']);
    expect(car?.openItems.declined.map((x) => [x.title, x.safety, x.firstFoundAt])).toEqual([
      ['更换前刹车片', true, '2026-09-02T09:00:00.000Z'],
      ['清洗空调', false, '2026-09-02T09:00:00.000Z'],
    ]);
    const byVin = (await a.req<{ vehicles: VehicleDetail[] }>('GET', `/api/vehicles?vin=${VIN.toLowerCase()}`)).body.vehicles;
    expect(byVin.map((v) => v.id)).toEqual([car?.id]);
    const one = await a.req<VehicleDetail>('GET', `/api/vehicles/${car?.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(car);

    // The next visit: a new plate on the same VIN, one old damage repaired, the other still there.
    const plate2 = nextPlate();
    const history = historyFor(car?.id ?? '', [{ ...v1, status: 'signed', signedAt: '2026-09-02T09:00:00.000Z' }]);
    const v2base = visit({ plate: plate2, vin: VIN, at: '2026-10-01T08:00:00.000Z', odometerKm: 45000, findings: ['g1'] });
    const v2: Intake = { ...v2base, history: { ...history, previous: history.previous.map((p, i) => ({ ...p, status: i === 0 ? 'repaired' : 'present' })) } };
    await sign(v2, '2026-10-01T09:00:00.000Z');
    const [again] = await byPlate(plate); // found by the plate it carried before
    expect(again).toMatchObject({ id: car?.id, plate: plate2, plates: [plate, plate2], visits: 2, lastIntakeId: v2.id, lastOdometerKm: 45000 });
    expect(again?.visitList.map((x) => x.intakeId)).toEqual([v2.id, v1.id]);
    expect(again?.openItems.damage.map((x) => [x.findingId, x.foundOn])).toEqual([
      ['f2', '2026-09-02T09:00:00.000Z'],
      ['g1', '2026-10-01T09:00:00.000Z'],
    ]);
    // Declined at visit 1 and neither taken nor done at visit 2: still open, with its first date.
    expect(again?.openItems.declined.map((x) => [x.title, x.source, x.firstFoundAt])).toEqual([
      ['更换前刹车片', 'notCorrected', '2026-09-02T09:00:00.000Z'],
      ['清洗空调', 'notCorrected', '2026-09-02T09:00:00.000Z'],
    ]);

    // An amendment and a replayed sign are not visits.
    await a.push([mAmend(v2.id, contentHash(v2))]);
    expect((await byPlate(plate2))[0]?.visits).toBe(2);
  });

  it('a car keeps every plate it carried (one vehicle by VIN); an older visit signed late counts but does not replace the newest data', async () => {
    // Signing needs a valid VIN (readiness, on the tablet and the server), so every vehicle signed
    // now has one; plate-only vehicles come only from records signed before that rule.
    const vin = 'LSVAU033612345678';
    const first = nextPlate();
    await sign(visit({ plate: first, vin, at: '2026-08-01T08:00:00.000Z' }), '2026-08-01T09:00:00.000Z');
    const [v1] = await byPlate(first);
    expect(v1).toMatchObject({ vin, visits: 1 });
    const second = nextPlate();
    await sign(visit({ plate: second, vin, at: '2026-08-05T08:00:00.000Z' }), '2026-08-05T09:00:00.000Z');
    const [byNew] = await byPlate(second);
    const [byOld] = await byPlate(first);
    expect(byNew?.id).toBe(v1?.id);
    expect(byOld?.id).toBe(v1?.id);
    expect(byNew).toMatchObject({ plate: second, visits: 2 });
    expect(byNew?.plates).toEqual(expect.arrayContaining([first, second]));
    const late = visit({ plate: second, vin, at: '2026-07-01T08:00:00.000Z', odometerKm: 1000 });
    await sign(late, '2026-07-01T09:00:00.000Z');
    const [v] = await byPlate(second);
    expect(v).toMatchObject({ visits: 3, lastVisitAt: '2026-08-05T09:00:00.000Z', lastOdometerKm: 42000 });
    expect(v?.visitList.at(-1)?.intakeId).toBe(late.id);
  });

  it('the vehicle index is pulled by cursor, in change order, page by page, without skipping', async () => {
    const all: VehiclePullResponse['vehicles'] = [];
    let cursor = 0;
    for (let i = 0; i < 100; i++) {
      const r = await a.req<VehiclePullResponse>('GET', `/api/sync/vehicles?since=${cursor}&limit=1`);
      expect(r.status).toBe(200);
      all.push(...r.body.vehicles);
      expect(r.body.cursor).toBeGreaterThanOrEqual(cursor);
      cursor = r.body.cursor;
      if (!r.body.more) break;
    }
    const seqs = all.map((v) => v.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    const whole = (await a.req<VehiclePullResponse>('GET', '/api/sync/vehicles?since=0')).body;
    expect(whole.more).toBe(false);
    expect(new Set(all.map((v) => v.id))).toEqual(new Set(whole.vehicles.map((v) => v.id)));
    expect((await a.req<VehiclePullResponse>('GET', `/api/sync/vehicles?since=${whole.cursor}`)).body.vehicles).toEqual([]);
    // A new visit moves its vehicle to the end of the order.
    const [first] = whole.vehicles;
    await sign(visit({ plate: first?.plate ?? '', vin: first?.vin ?? '', at: '2026-11-01T08:00:00.000Z' }), '2026-11-01T09:00:00.000Z');
    const next = (await a.req<VehiclePullResponse>('GET', `/api/sync/vehicles?since=${whole.cursor}`)).body;
    expect(next.vehicles.map((v) => [v.id, v.visits])).toEqual([[first?.id, (first?.visits ?? 0) + 1]]);
    expect((await a.req('GET', '/api/sync/vehicles?since=0x1')).status).toBe(400);
  });

  it('bad queries are 400 with a reason', async () => {
    for (const q of ['', '?plate=%E6%B2%AAB1&vin=1M8GDM9AXKP042788', '?plate=A', '?vin=123']) {
      const r = await a.req<{ error: string }>('GET', `/api/vehicles${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error).toBe('invalid');
    }
  });

  it("another dealership's vehicles are answered like nonexistent ones", async () => {
    const other = await otherDealership(env.app);
    const b = await loginAs(t, other.advisor, 'B tablet');
    const plate = nextPlate();
    const i = visit({ plate, vin: 'WVWZZZ3CZWE123456', at: '2026-09-10T08:00:00.000Z' });
    await b.push([mCreate(i), mSign(i)]);
    const bCar = (await b.req<{ vehicles: VehicleDetail[] }>('GET', `/api/vehicles?plate=${encodeURIComponent(plate)}`)).body.vehicles[0];
    expect(bCar?.plate).toBe(plate);
    const forB = await a.req('GET', `/api/vehicles/${bCar?.id}`);
    const forNone = await a.req('GET', `/api/vehicles/${randomUUID()}`);
    expect(forB.status).toBe(404);
    expect(forB.body).toEqual(forNone.body);
    expect((await a.req('GET', '/api/vehicles/not-a-uuid')).status).toBe(404);
    expect(await byPlate(plate)).toEqual([]);
    expect((await a.req<{ vehicles: unknown[] }>('GET', '/api/vehicles?vin=WVWZZZ3CZWE123456')).body.vehicles).toEqual([]);
    const index = (await a.req<VehiclePullResponse>('GET', '/api/sync/vehicles?since=0')).body.vehicles;
    expect(index.map((v) => v.id)).not.toContain(bCar?.id);
    expect((await t({ method: 'GET', url: '/api/sync/vehicles', headers: {} })).status).toBe(401);
  });
});
