import { describe, expect, it } from 'vitest';
import { newIntake } from '../../src/model/intake/newIntake';
import { declinedSafetyItems, estimateTotals, positionComplete, readinessIssues, unmarkedEarlierDamage } from '../../src/model/intake/readiness';
import { defaultTemplate, positionAt, positionsInOrder } from '../../src/shared/template/template';
import { parseTemplate } from '../../src/shared/template/templateSchema';
import type { Finding, Intake } from '../../src/model/intake/schema';
import { readyIntake } from '../fixtures/readyIntake';
import { findingGaps, uncheckedItems } from '../../src/model/intake/findings';
import { intakeSchema } from '../../src/model/intake/schema';
import { contentHash } from '../../src/model/intake/signedContent';
import { intakeKind } from '../../src/model/intake/kind';
import { earlierDamage } from '../fixtures/previousDamage';

const T0 = '2026-11-24T08:00:00.000Z';

function complete(): Intake {
  return readyIntake({ advisor: { id: 'a', name: 'A' }, now: new Date(T0) });
}

const PHOTO = 'a'.repeat(64);
function finding(over: Partial<Finding> = {}): Finding {
  return { id: 'f1', positionId: 'f', itemId: 'f-bumper', type: 'scratch', severity: 'minor', marker: { x: 0.5, y: 0.05 }, photos: [PHOTO], note: '', createdAt: T0, foundAt: 'intake', ...over };
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

  it('a position is complete only when every item has an explicit result (OK or a finding)', () => {
    const i = complete();
    i.walkaround.positions.f = { items: {}, noDamage: false, completedAt: T0 };
    expect(positionComplete(i, 'f')).toBe(false);
    // One finding does not stand for the items nobody looked at.
    i.walkaround.findings.push(finding());
    expect(positionComplete(i, 'f')).toBe(false);
    const front = defaultTemplate.positions.find((p) => p.id === 'f')!;
    expect(uncheckedItems(i.walkaround, front)).toEqual(front.items.filter((x) => x !== 'f-bumper'));
    expect(readinessIssues(i)).toEqual([{ section: 'walkaround', key: 'ready.position', ref: 'f' }]);
    for (const item of front.items) if (item !== 'f-bumper') i.walkaround.positions.f.items[item] = 'ok';
    expect(positionComplete(i, 'f')).toBe(true);
    expect(readinessIssues(i)).toEqual([]);
  });

  it("earlier visits' damage must each be marked (still there, repaired, not found) before signing; one gap per position", () => {
    const i = complete();
    const earlier = (key: string, positionId: string) => earlierDamage(key, positionId, { foundOn: T0 });
    i.history = { vehicleId: 'veh', lastVisit: null, previous: [earlier('a', 'r'), earlier('b', 'r'), earlier('c', 'f')], carried: [] };
    expect(unmarkedEarlierDamage(i.history)).toEqual(new Map([['r', 2], ['f', 1]]));
    expect(readinessIssues(i)).toEqual([
      { section: 'walkaround', key: 'ready.previousDamage', ref: 'f' },
      { section: 'walkaround', key: 'ready.previousDamage', ref: 'r' },
    ]);
    i.history.previous = i.history.previous.map((d, n) => ({ ...d, status: (['present', 'repaired', 'notFound'] as const)[n]! }));
    expect(unmarkedEarlierDamage(i.history).size).toBe(0);
    expect(readinessIssues(i)).toEqual([]);
  });

  it('an empty or partial finding blocks signing and names the finding', () => {
    const i = complete();
    i.walkaround.findings.push(finding({ id: 'empty', itemId: '', type: '', severity: '', marker: null, photos: [] }));
    expect(readinessIssues(i)).toEqual([
      { section: 'walkaround', key: 'ready.finding', ref: 'empty' },
      { section: 'walkaround', key: 'ready.findingPhoto', ref: 'empty' },
    ]);
    i.walkaround.findings[0] = finding({ id: 'empty', severity: '' });
    expect(findingGaps(i.walkaround.findings[0], defaultTemplate)).toEqual(['severity']);
    expect(readinessIssues(i).map((x) => x.key)).toEqual(['ready.finding']);
  });

  it('a finding needs a photo or the reason there is none, unless the template relaxes it', () => {
    const i = complete();
    i.walkaround.findings.push(finding({ photos: [] }));
    for (const item of defaultTemplate.positions.find((p) => p.id === 'f')!.items) i.walkaround.positions.f!.items[item] = 'ok';
    expect(readinessIssues(i)).toEqual([{ section: 'walkaround', key: 'ready.findingPhoto', ref: 'f1' }]);
    i.walkaround.findings[0]!.noPhotoReason = '   ';
    expect(readinessIssues(i)).toHaveLength(1);
    i.walkaround.findings[0]!.noPhotoReason = '顾客不同意拍照';
    expect(readinessIssues(i)).toEqual([]);
    delete i.walkaround.findings[0]!.noPhotoReason;
    const relaxed = { ...defaultTemplate, findingPhotoRequired: false };
    expect(() => parseTemplate(relaxed)).not.toThrow();
    expect(readinessIssues(i, relaxed)).toEqual([]);
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

describe('records made before these rules', () => {
  it('a signed record of the old shape (no item results, no photo reason) keeps its hash and still verifies', () => {
    const i = complete();
    // as signed before issue 10: "no damage" positions without item results, a photo-less finding
    for (const p of Object.values(i.walkaround.positions)) p.items = {};
    i.walkaround.findings = [finding({ photos: [] })];
    const hash = contentHash(i);
    const signed: Intake = { ...i, status: 'signed', contentHash: hash, signedAt: T0, signatures: [] };
    const reread = intakeSchema.parse(JSON.parse(JSON.stringify(signed)));
    expect('noPhotoReason' in reread.walkaround.findings[0]!).toBe(false);
    expect(contentHash(reread)).toBe(hash);
    expect(intakeKind.hashVerifies(reread)).toBe(true);
    // it would not be signable today, but signed means frozen: nothing re-judges it
    expect(readinessIssues(reread).length).toBeGreaterThan(0);
  });
});
