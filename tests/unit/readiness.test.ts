import { describe, expect, it } from 'vitest';
import { newIntake } from '../../src/model/intake/newIntake';
import { declinedSafetyItems, estimateTotals, positionComplete, readinessIssues } from '../../src/model/intake/readiness';
import { defaultTemplate, positionAt, positionsInOrder } from '../../src/shared/template/template';
import { parseTemplate } from '../../src/shared/template/templateSchema';
import type { Intake } from '../../src/model/intake/schema';
import { intakeSchema } from '../../src/model/intake/schema';

const T0 = '2026-11-24T08:00:00.000Z';

function complete(): Intake {
  const i = newIntake({ advisor: { id: 'a', name: 'A' }, now: new Date(T0) });
  i.customer = { name: '王五', salutation: '王先生', mobile: '13800138000' };
  i.vehicle = { plate: '京A12345', plateOther: false, vin: '1M8GDM9AXKP042788', make: '大众', model: '帕萨特', year: 2021, colour: '白' };
  i.visit = { ...i.visit, odometerKm: 42000, fuelEighths: 4 };
  i.valuables = { reminded: true, items: i.valuables.items.map((v) => ({ ...v, answer: 'taken' as const })) };
  for (const p of Object.values(i.walkaround.positions)) {
    p.noDamage = true;
    p.completedAt = T0;
  }
  i.work = { ...i.work, promisedAt: '2026-11-24T17:00', payment: 'wechat', oldParts: 'take', freeWash: true, documents: { ...i.work.documents, keys: 1 } };
  return i;
}

describe('template', () => {
  it('walks six positions clockwise starting at left front', () => {
    expect(positionsInOrder(defaultTemplate).map((p) => p.id)).toEqual(['lf', 'f', 'rf', 'rr', 'r', 'lr']);
  });
  it('maps a diagram point to its position', () => {
    expect(positionAt(defaultTemplate, 0.5, 0.05)?.id).toBe('f');
    expect(positionAt(defaultTemplate, 0.2, 0.3)?.id).toBe('lf');
    expect(positionAt(defaultTemplate, 0.8, 0.7)?.id).toBe('rr');
    expect(positionAt(defaultTemplate, 0.5, 0.95)?.id).toBe('r');
  });
  it('refuses a template whose position names an unknown item', () => {
    const bad = structuredClone(defaultTemplate) as unknown as { positions: { items: string[] }[] };
    bad.positions[0]!.items.push('no-such-item');
    expect(() => parseTemplate(bad)).toThrow(/unknown item/);
  });
});

describe('readiness before signing', () => {
  it('a new intake lists every gap', () => {
    const keys = new Set(readinessIssues(newIntake({ advisor: { id: 'a', name: 'A' } })).map((i) => i.key));
    for (const k of ['ready.customer', 'ready.vehicle', 'ready.odometer', 'ready.fuel', 'ready.valuablesReminder', 'ready.position', 'ready.promisedAt', 'ready.keys'])
      expect(keys).toContain(k);
  });

  it("a new intake starts from the dealership's delivery terms; a template without them leaves them as gaps", () => {
    const i = newIntake({ advisor: { id: 'a', name: 'A' } });
    expect(i.work).toMatchObject({ payment: 'wechat', oldParts: 'leave', freeWash: true, promisedAt: '', documents: { keys: 0 } });
    const { workDefaults: _none, ...bare } = defaultTemplate;
    const keys = readinessIssues(newIntake({ advisor: { id: 'a', name: 'A' }, template: bare }), bare).map((x) => x.key);
    expect(keys).toEqual(expect.arrayContaining(['ready.payment', 'ready.oldParts', 'ready.freeWash', 'ready.promisedAt', 'ready.keys']));
  });

  it('a complete intake is ready and valid against the stored schema', () => {
    const i = complete();
    expect(readinessIssues(i)).toEqual([]);
    expect(intakeSchema.safeParse(i).success).toBe(true);
  });

  it('a position needs findings or an explicit "no damage", and a completion time', () => {
    const i = complete();
    i.walkaround.positions.f = { items: {}, noDamage: false, completedAt: T0 };
    expect(positionComplete(i, 'f')).toBe(false);
    i.walkaround.findings.push({
      id: 'f1', positionId: 'f', itemId: 'f-bumper', type: 'scratch', severity: 'minor', marker: { x: 0.5, y: 0.05 }, photos: [], note: '', createdAt: T0, foundAt: 'intake',
    });
    expect(positionComplete(i, 'f')).toBe(true);
    i.walkaround.positions.f.completedAt = null;
    expect(positionComplete(i, 'f')).toBe(false);
  });

  it('items left in the car need a description; undecided recommendations block signing', () => {
    const i = complete();
    i.valuables.items[0] = { itemId: 'cash', answer: 'safekeeping', description: '' };
    i.work.recommendations.push({ id: 'r1', findingId: null, title: '更换雨刮', safety: true, decision: null, labour: 50, parts: 120 });
    const keys = readinessIssues(i).map((x) => x.key);
    expect(keys).toEqual(['ready.valuableDescription', 'ready.decision']);
  });

  it('cabin items are required only with the customer consent', () => {
    const i = complete();
    i.cabin.consent = true;
    expect(readinessIssues(i).filter((x) => x.section === 'cabin')).toHaveLength(defaultTemplate.cabinItems.length);
  });

  it('totals accepted work and added services; lists declined safety items', () => {
    const i = complete();
    i.work.recommendations = [
      { id: 'r1', findingId: null, title: '刹车片', safety: true, decision: 'later', labour: 100, parts: 400 },
      { id: 'r2', findingId: null, title: '雨刮', safety: false, decision: 'now', labour: 20, parts: 80 },
    ];
    i.work.addedServices = [{ id: 's1', title: '空调清洗', labour: 60, parts: null }];
    expect(estimateTotals(i)).toEqual({ labour: 80, parts: 80, total: 160 });
    expect(declinedSafetyItems(i).map((r) => r.id)).toEqual(['r1']);
  });
});

describe('built-in template data', () => {
  it('is valid against the template schema', () => {
    expect(() => parseTemplate(defaultTemplate)).not.toThrow();
  });
});
