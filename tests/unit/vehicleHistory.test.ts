/**
 * The car's history: the shared rules (src/model/vehicle/history.ts) as tables, and the tablet's
 * lookups (src/store/vehicleHistory.ts) on a real IndexedDB (fake-indexeddb): plate prefix, VIN,
 * cars signed on this tablet and not in the index yet, the prefill and the repeat flag.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { newIntake } from '../../src/model/intake/newIntake';
import type { Intake } from '../../src/model/intake/schema';
import type { VehicleIndexEntry } from '../../src/model/vehicle/schema';
import { carriedWork, historyFor, odometerLower, openDamage, repeatMatches, sameWork } from '../../src/model/vehicle/history';
import { applyHistoryPrefill, findVehicles, historyPrefill, loadRepeatMatches, localVisits, putVehiclePage } from '../../src/store/vehicleHistory';
import { putIntakeRecord } from '../../src/store/summaries';
import { createIntake } from '../../src/store/intakeWrites';
import { readDevice, writeDevice } from '../../src/store/device';
import { finding } from '../fixtures/followFixtures';
import { newHandover } from '../../src/model/handover/schema';

const VIN = '1M8GDM9AXKP042788';
const advisor = { id: 'adv-1', name: '李顾问' };

function signedVisit(at: string, over: Partial<Intake> = {}): Intake {
  const base = newIntake({ advisor, now: new Date(at) });
  return {
    ...base,
    customer: { name: '钱女士', salutation: '钱女士', mobile: '13900139000' },
    vehicle: { plate: '沪A12345', plateOther: false, vin: VIN, make: '大众', model: '帕萨特', year: 2021, colour: '白' },
    visit: { ...base.visit, odometerKm: 42000 },
    complaint: { ...base.complaint, symptom: '冷车启动时发动机异响' },
    status: 'signed',
    signedAt: at,
    contentHash: 'a'.repeat(64),
    ...over,
  };
}

function entry(over: Partial<VehicleIndexEntry> = {}): VehicleIndexEntry {
  return {
    id: crypto.randomUUID(),
    seq: 1,
    vin: VIN,
    plate: '沪A12345',
    plates: ['沪A12345'],
    make: '大众',
    model: '帕萨特',
    year: 2021,
    colour: '白',
    customer: { name: '钱女士', salutation: '钱女士', mobile: '13900139000' },
    lastVisitAt: '2026-09-01T09:00:00.000Z',
    lastOdometerKm: 42000,
    lastIntakeId: crypto.randomUUID(),
    visits: 1,
    ...over,
  };
}

describe('history rules', () => {
  const v1 = signedVisit('2026-09-01T09:00:00.000Z', {});
  const withWork: Intake = {
    ...v1,
    walkaround: { ...v1.walkaround, findings: [finding({ id: 'f1', positionId: 'leftFront', itemId: 'panel' }), finding({ id: 'f2', positionId: 'rear', itemId: 'bumper' })] },
    work: {
      ...v1.work,
      recommendations: [
        { id: 'r1', findingId: null, title: '清洗空调', safety: false, decision: 'later', labour: null, parts: null },
        { id: 'r2', findingId: null, title: '更换前刹车片', safety: true, decision: 'later', labour: null, parts: null },
        { id: 'r3', findingId: null, title: '更换机油', safety: false, decision: 'now', labour: null, parts: null },
      ],
    },
  };

  it('open damage: every finding of the newest visit, and earlier damage still there; repaired, not found and linked ones drop out', () => {
    expect(openDamage(withWork).map((d) => [d.key, d.foundOn])).toEqual([
      [`${v1.id}/f1`, v1.signedAt],
      [`${v1.id}/f2`, v1.signedAt],
    ]);
    const h = historyFor('veh', [withWork]);
    const v2 = signedVisit('2026-10-01T09:00:00.000Z');
    const marked: Intake = {
      ...v2,
      walkaround: { ...v2.walkaround, findings: [finding({ id: 'g1', positionId: 'rear', itemId: 'bumper' }), finding({ id: 'g2', positionId: 'front', itemId: 'glass' })] },
      history: { ...h, previous: h.previous.map((p) => (p.findingId === 'f1' ? { ...p, status: 'repaired' } : { ...p, status: 'present', linkedFindingId: 'g1' })) },
    };
    // f2 is recorded again as g1: one damage, carried on by g1 with the date it was first found.
    expect(openDamage(marked).map((d) => [d.key, d.findingId, d.foundOn])).toEqual([
      [`${v1.id}/f2`, 'g1', v1.signedAt],
      [`${v2.id}/g2`, 'g2', v2.signedAt],
    ]);
    const notFound: Intake = { ...marked, walkaround: { ...marked.walkaround, findings: [] }, history: { ...h, previous: h.previous.map((p) => ({ ...p, status: p.findingId === 'f1' ? 'notFound' : null })) } };
    expect(openDamage(notFound).map((d) => d.findingId)).toEqual(['f2']);
  });

  it("open damage includes new damage from the visit's signed technician check and handover, found on the day they were signed; a draft's waits", () => {
    const tc = { status: 'signed' as const, signedAt: '2026-09-01T11:00:00.000Z', newFindings: [finding({ id: 't1', positionId: 'front', itemId: 'bumper', foundAt: 'technician' })] };
    const ho = { status: 'signed' as const, signedAt: '2026-09-02T16:00:00.000Z', newFindings: [finding({ id: 'h1', positionId: 'rear', itemId: 'glass', foundAt: 'handover' })] };
    const draft = { status: 'draft' as const, signedAt: null, newFindings: [finding({ id: 'd1', positionId: 'rear', itemId: 'bumper', foundAt: 'handover' })] };
    expect(openDamage(withWork, [tc, ho, draft]).map((d) => [d.key, d.foundOn])).toEqual([
      [`${v1.id}/f1`, v1.signedAt],
      [`${v1.id}/f2`, v1.signedAt],
      [`${v1.id}/t1`, tc.signedAt],
      [`${v1.id}/h1`, ho.signedAt],
    ]);
    // The next intake starts from them; a later visit carries them on like any other damage.
    const h = historyFor('veh', [withWork], (id) => (id === withWork.id ? [tc, ho, draft] : []));
    expect(h.previous.map((d) => d.findingId)).toEqual(['f1', 'f2', 't1', 'h1']);
  });

  it('carried work: declined items, safety first, keeping when they were first found; taken and done ones drop out', () => {
    expect(carriedWork(withWork).map((c) => [c.title, c.safety, c.source])).toEqual([
      ['更换前刹车片', true, 'declined'],
      ['清洗空调', false, 'declined'],
    ]);
    const h = historyFor('veh', [withWork]);
    const v2 = signedVisit('2026-10-01T09:00:00.000Z');
    const next: Intake = {
      ...v2,
      work: { ...v2.work, recommendations: [{ id: 'n1', findingId: null, title: '更换前刹车片', safety: true, decision: 'now', labour: 300, parts: 500 }] },
      history: { ...h, carried: h.carried.map((c) => (c.safety ? { ...c, recommendationId: 'n1' } : c)) },
    };
    // The brake pads were done this time; the A/C cleaning was offered and left.
    expect(carriedWork(next).map((c) => [c.title, c.source, c.firstFoundAt])).toEqual([['清洗空调', 'notCorrected', v1.signedAt]]);
    const declinedAgain: Intake = { ...next, work: { ...next.work, recommendations: [{ ...next.work.recommendations[0]!, decision: 'later' }] } };
    expect(carriedWork(declinedAgain).map((c) => [c.title, c.source, c.firstFoundAt])).toEqual([
      ['更换前刹车片', 'declined', v1.signedAt],
      ['清洗空调', 'notCorrected', v1.signedAt],
    ]);
  });

  it('the history section of a new intake comes from the newest signed visit; no visit, no history', () => {
    const older = signedVisit('2026-01-01T09:00:00.000Z', { visit: { ...v1.visit, odometerKm: 30000 } });
    expect(historyFor('veh', [older, withWork]).lastVisit).toEqual({ intakeId: v1.id, at: v1.signedAt, odometerKm: 42000 });
    expect(historyFor('veh', [])).toEqual({ vehicleId: 'veh', lastVisit: null, previous: [], carried: [] });
    expect(historyFor('veh', [{ ...withWork, status: 'draft' }]).previous).toEqual([]);
  });

  it.each([
    [41000, 42000, true],
    [42000, 42000, false],
    [null, 42000, false],
    [100, null, false],
  ])('odometer %s now after %s last time: lower %s', (now, last, lower) => {
    expect(odometerLower(last, now)).toBe(lower);
  });

  it.each([
    ['冷车启动时发动机异响', '冷车启动 发动机异响', true],
    ['发动机异响', '冷车启动时发动机异响', true],
    ['刹车异响', '空调不制冷', false],
    ['刹车时异响', '刹车异响', true],
    ['刹车异响', '空调异响', false],
    ['更换前刹车片', '更换前刹车片。', true],
    ['a', 'a', false],
  ])('"%s" and "%s" are the same work: %s', (a, b, same) => {
    expect(sameWork(a, b)).toBe(same);
  });

  it('repeat repair: the same complaint or work within the window, not outside it', () => {
    const now = { ...newIntake({ advisor, now: new Date('2026-10-15T08:00:00.000Z') }), complaint: { ...v1.complaint, symptom: '发动机异响，冷车启动时' } };
    expect(repeatMatches(now, [withWork]).map((m) => [m.intakeId, m.what])).toEqual([[v1.id, 'complaint']]);
    expect(repeatMatches(now, [withWork], 30)).toEqual([]);
    const byWork = { ...now, complaint: { ...now.complaint, symptom: '' }, work: { ...now.work, addedServices: [{ id: 's1', title: '更换机油', labour: null, parts: null }] } };
    expect(repeatMatches(byWork, [withWork]).map((m) => [m.what, m.text])).toEqual([['work', '更换机油']]);
    expect(repeatMatches({ ...now, complaint: { ...now.complaint, symptom: '雨刮器不回位' } }, [withWork])).toEqual([]);
  });
});

describe('the tablet vehicle index', () => {
  beforeEach(() => {
    useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
  });

  it('finds a car by plate prefix (any plate it carried) or VIN prefix; a page replaces only older rows', async () => {
    const a = entry({ plate: '沪A12345', plates: ['苏E88888', '沪A12345'], seq: 5 });
    const b = entry({ vin: null, plate: '沪A19999', plates: ['沪A19999'], lastVisitAt: '2026-10-01T09:00:00.000Z', seq: 6 });
    await putVehiclePage(getDb(), [a, b], 6);
    expect(await readDevice('vehicleCursor')).toBe(6);
    expect((await findVehicles('沪a1')).map((v) => v.id)).toEqual([b.id, a.id]);
    expect((await findVehicles('苏E 88')).map((v) => v.id)).toEqual([a.id]);
    expect((await findVehicles('1m8gdm')).map((v) => v.id)).toEqual([a.id]);
    expect(await findVehicles('沪')).toEqual([]);
    await putVehiclePage(getDb(), [{ ...a, seq: 4, visits: 99 }], 6); // an old page again
    expect((await findVehicles('沪A12345'))[0]?.visits).toBe(1);
  });

  it('stores each page as one packed chunk; many small pages are merged into one, newest version of each car kept', async () => {
    const cars = Array.from({ length: 70 }, (_, i) => entry({ plate: `浙C${String(10000 + i)}`, plates: [`浙C${String(10000 + i)}`], vin: null, seq: i + 1 }));
    for (const [i, c] of cars.entries()) await putVehiclePage(getDb(), [c], i + 1);
    await putVehiclePage(getDb(), [{ ...cars[0]!, seq: 100, visits: 7 }], 100);
    const chunks = await getDb().vehicleChunks.toArray();
    expect(chunks.length).toBeLessThan(10);
    expect(chunks.every((c) => c.gz === (typeof CompressionStream === 'function'))).toBe(true);
    expect((await findVehicles('浙C', 100)).length).toBe(70);
    expect((await findVehicles('浙C')).length).toBe(8);
    expect((await findVehicles('浙C10000'))[0]?.visits).toBe(7);
    expect((await findVehicles('浙C10069')).map((v) => v.id)).toEqual([cars[69]!.id]);
    expect(await readDevice('vehicleCursor')).toBe(100);
  });

  it('a car signed on this tablet is found before the index knows it, and becomes the last visit', async () => {
    const e = entry({ lastVisitAt: '2026-09-01T09:00:00.000Z' });
    await putVehiclePage(getDb(), [e], 1);
    const local = signedVisit('2026-11-01T09:00:00.000Z', { customer: { name: '孙先生', salutation: '', mobile: '13700137000' }, visit: { ...newIntake({ advisor }).visit, odometerKm: 50000 } });
    await putIntakeRecord(getDb(), local);
    const [car] = await findVehicles('沪A123');
    expect(car).toMatchObject({ id: e.id, customer: { name: '孙先生' }, lastOdometerKm: 50000, lastIntakeId: local.id, visits: 2, fromIndex: true });
    const stranger = signedVisit('2026-11-02T09:00:00.000Z', { vehicle: { ...local.vehicle, plate: '京N55555', vin: '' } });
    await putIntakeRecord(getDb(), stranger);
    expect(await findVehicles('京N5')).toMatchObject([{ id: '', plate: '京N55555', fromIndex: false }]);
    expect((await localVisits(e)).map((i) => i.id)).toEqual([local.id]);
  });

  it('historyPrefill offers the last customer and vehicle and the open items; applying it fills the draft through mutate', async () => {
    const v1 = signedVisit('2026-09-01T09:00:00.000Z', {
      walkaround: { ...newIntake({ advisor }).walkaround, findings: [finding({ id: 'f1', positionId: 'leftFront', itemId: 'panel' })] },
      work: { ...newIntake({ advisor }).work, recommendations: [{ id: 'r1', findingId: null, title: '更换前刹车片', safety: true, decision: 'later', labour: null, parts: null }] },
    });
    await putIntakeRecord(getDb(), v1);
    const e = entry({ lastIntakeId: v1.id });
    await putVehiclePage(getDb(), [e], 1);
    expect(await historyPrefill('京A00000')).toBeNull();
    const p = await historyPrefill('沪a 12345');
    expect(p?.customer).toEqual({ name: '钱女士', salutation: '钱女士', mobile: '13900139000' });
    expect(p?.vehicleSection).toEqual({ plate: '沪A12345', plateOther: false, vin: VIN, make: '大众', model: '帕萨特', year: 2021, colour: '白' });
    expect(p?.history.vehicleId).toBe(e.id);
    expect(p?.history.previous.map((d) => d.findingId)).toEqual(['f1']);
    expect(p?.history.carried.map((c) => c.title)).toEqual(['更换前刹车片']);
    // Damage the signed handover of that visit found is carried too (read from this tablet's handovers).
    const ho = { ...newHandover({ id: crypto.randomUUID(), intake: v1, techCheck: null, advisor }), status: 'signed' as const, signedAt: '2026-09-02T16:00:00.000Z' };
    ho.newFindings.push(finding({ id: 'h1', positionId: 'rear', itemId: 'glass', foundAt: 'handover' }));
    await getDb().handovers.put(ho);
    expect((await historyPrefill('沪A12345'))?.history.previous.map((d) => [d.findingId, d.foundOn])).toEqual([
      ['f1', v1.signedAt],
      ['h1', '2026-09-02T16:00:00.000Z'],
    ]);
    await getDb().handovers.delete(ho.id);

    const draft = await createIntake(advisor);
    const noCustomer = await applyHistoryPrefill(draft.id, p!, { customer: false });
    expect(noCustomer.customer.name).toBe('');
    const filled = await applyHistoryPrefill(draft.id, p!);
    expect(filled).toMatchObject({ customer: { name: '钱女士' }, vehicle: { plate: '沪A12345', vin: VIN }, history: { vehicleId: e.id } });
    const ops = (await getDb().outbox.toArray()).map((o) => (o.mutation.op === 'patch' ? o.mutation.section : o.op));
    expect(ops).toEqual(['create', 'vehicle', 'history', 'customer']);

    // The repeat flag, with the tablet's window.
    const again = await import('../../src/store/intakeWrites').then((m) => m.updateSection(draft.id, 'complaint', { ...draft.complaint, symptom: '发动机冷车启动时异响' }));
    expect((await loadRepeatMatches({ ...again, createdAt: '2026-10-01T08:00:00.000Z' })).map((m) => m.intakeId)).toEqual([v1.id]);
    await writeDevice('repeatWindowDays', 10);
    expect(await loadRepeatMatches({ ...again, createdAt: '2026-10-01T08:00:00.000Z' })).toEqual([]);
  });
});
