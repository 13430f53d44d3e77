import { describe, expect, it } from 'vitest';
import { compareChecklist, compareFindings, type CompareInput, type DifferenceKind } from '../../src/model/handover/compareFindings';
import { newHandover } from '../../src/model/handover/schema';
import type { TechReview } from '../../src/model/techCheck/schema';
import type { HandoverReview } from '../../src/model/handover/schema';
import { finding, HASH_B, HASH_C, signedIntake } from '../fixtures/followFixtures';

const door = finding({ id: 'door', positionId: 'lf', itemId: 'lf-door', type: 'scratch' });
const bumper = finding({ id: 'bumper', positionId: 'r', itemId: 'r-bumper', type: 'dent' });
const tv = (verdict: TechReview['verdict'], note = ''): TechReview => ({ verdict, note, photos: [] });
const hv = (status: HandoverReview['status'], note = ''): HandoverReview => ({ status, note, photos: [] });

describe('compareFindings: one intake finding through the technician and the handover', () => {
  const cases: {
    name: string;
    tech?: TechReview | null | 'noCheck';
    handover?: HandoverReview | null | 'noHandover';
    expectTech: string;
    expectHandover: string;
    expectDiff: DifferenceKind[];
  }[] = [
    { name: 'no check, no handover yet', tech: 'noCheck', handover: 'noHandover', expectTech: 'notApplicable', expectHandover: 'notApplicable', expectDiff: [] },
    { name: 'check started, finding not reviewed', tech: null, handover: 'noHandover', expectTech: 'unchecked', expectHandover: 'notApplicable', expectDiff: [] },
    { name: 'review exists with no verdict yet', tech: tv(null), handover: 'noHandover', expectTech: 'unchecked', expectHandover: 'notApplicable', expectDiff: [] },
    { name: 'confirmed by technician', tech: tv('confirmed'), handover: 'noHandover', expectTech: 'confirmed', expectHandover: 'notApplicable', expectDiff: [] },
    { name: 'disputed by technician', tech: tv('disputed', '无此划痕'), handover: 'noHandover', expectTech: 'disputed', expectHandover: 'notApplicable', expectDiff: ['disputed'] },
    { name: 'confirmed, unchanged at handover', tech: tv('confirmed'), handover: hv('unchanged'), expectTech: 'confirmed', expectHandover: 'unchanged', expectDiff: [] },
    { name: 'confirmed, changed at handover', tech: tv('confirmed'), handover: hv('changed', '划痕变长'), expectTech: 'confirmed', expectHandover: 'changed', expectDiff: ['changedAtHandover'] },
    { name: 'disputed and changed', tech: tv('disputed', 'x'), handover: hv('changed', 'y'), expectTech: 'disputed', expectHandover: 'changed', expectDiff: ['disputed', 'changedAtHandover'] },
    { name: 'handover started, not yet reviewed', tech: 'noCheck', handover: null, expectTech: 'notApplicable', expectHandover: 'unchecked', expectDiff: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const input: CompareInput = { intakeFindings: [door] };
      if (c.tech !== 'noCheck') input.techCheck = { reviews: c.tech ? { door: c.tech } : {}, newFindings: [] };
      if (c.handover !== 'noHandover') input.handover = { reviews: c.handover ? { door: c.handover } : {}, newFindings: [] };
      const { items } = compareFindings(input);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ origin: 'intake', technician: c.expectTech, handover: c.expectHandover, differences: c.expectDiff });
    });
  }
});

describe('compareFindings: new damage', () => {
  it('marks technician damage as new, with a possible duplicate only for the same item and type', () => {
    const sameItemSameType = finding({ id: 't1', positionId: 'lf', itemId: 'lf-door', type: 'scratch', foundAt: 'technician' });
    const sameItemOtherType = finding({ id: 't2', positionId: 'lf', itemId: 'lf-door', type: 'dent', foundAt: 'technician' });
    const elsewhere = finding({ id: 't3', positionId: 'rf', itemId: 'rf-door', type: 'scratch', foundAt: 'technician' });
    const { items, counts } = compareFindings({
      intakeFindings: [door, bumper],
      techCheck: { reviews: { door: tv('confirmed'), bumper: tv('confirmed') }, newFindings: [sameItemSameType, sameItemOtherType, elsewhere] },
    });
    const byId = Object.fromEntries(items.map((i) => [i.finding.id, i]));
    expect(byId.t1).toMatchObject({ origin: 'technician', possibleDuplicateOf: 'door', differences: ['newAtTechnician'] });
    expect(byId.t2?.possibleDuplicateOf).toBeNull();
    expect(byId.t3?.possibleDuplicateOf).toBeNull();
    expect(counts).toMatchObject({ total: 5, confirmed: 2, disputed: 0, newAtTechnician: 3, newAtHandover: 0, differences: 3 });
  });

  it('lets the handover review technician damage and compares handover damage against both earlier walks', () => {
    const tech = finding({ id: 't1', positionId: 'rf', itemId: 'rf-mirror', type: 'crack', foundAt: 'technician' });
    const hoSameAsTech = finding({ id: 'h1', positionId: 'rf', itemId: 'rf-mirror', type: 'crack', foundAt: 'handover' });
    const hoNew = finding({ id: 'h2', positionId: 'f', itemId: 'f-hood', type: 'chip', foundAt: 'handover' });
    const { items, counts } = compareFindings({
      intakeFindings: [door],
      techCheck: { reviews: { door: tv('confirmed') }, newFindings: [tech] },
      handover: { reviews: { door: hv('unchanged'), t1: hv('changed', '裂纹扩大') }, newFindings: [hoSameAsTech, hoNew] },
    });
    const byId = Object.fromEntries(items.map((i) => [i.finding.id, i]));
    expect(byId.t1).toMatchObject({ handover: 'changed', differences: ['newAtTechnician', 'changedAtHandover'] });
    expect(byId.h1).toMatchObject({ origin: 'handover', possibleDuplicateOf: 't1', differences: ['newAtHandover'] });
    expect(byId.h2).toMatchObject({ origin: 'handover', possibleDuplicateOf: null });
    expect(counts).toMatchObject({ newAtTechnician: 1, newAtHandover: 2, changedAtHandover: 1, handoverUnchecked: 0, differences: 3 });
  });

  it('never counts a "new" finding twice when it repeats an id already known', () => {
    const { items } = compareFindings({
      intakeFindings: [door],
      techCheck: { reviews: {}, newFindings: [door] },
      handover: { reviews: {}, newFindings: [door] },
    });
    expect(items).toHaveLength(1);
    expect(items[0]?.origin).toBe('intake');
  });

  it('ignores reviews of findings that do not exist', () => {
    const { items, counts } = compareFindings({ intakeFindings: [door], techCheck: { reviews: { ghost: tv('disputed', 'x') }, newFindings: [] } });
    expect(items.map((i) => i.finding.id)).toEqual(['door']);
    expect(counts.disputed).toBe(0);
    expect(counts.technicianUnchecked).toBe(1);
  });
});

describe('compareFindings: order and grouping', () => {
  it('orders by walking position, then intake → technician → handover, then time', () => {
    const rearTech = finding({ id: 'rt', positionId: 'r', itemId: 'r-boot', foundAt: 'technician', createdAt: '2026-01-01T07:00:00.000Z' });
    const frontHo = finding({ id: 'fh', positionId: 'f', itemId: 'f-hood', foundAt: 'handover' });
    const lfLater = finding({ id: 'lf2', positionId: 'lf', itemId: 'lf-mirror', createdAt: '2026-01-02T00:00:00.000Z' });
    const { items, byPosition } = compareFindings({
      intakeFindings: [bumper, lfLater, door],
      techCheck: { reviews: {}, newFindings: [rearTech] },
      handover: { reviews: {}, newFindings: [frontHo] },
    });
    expect(items.map((i) => i.finding.id)).toEqual(['door', 'lf2', 'fh', 'bumper', 'rt']);
    expect(Object.keys(byPosition).sort()).toEqual(['f', 'lf', 'r']);
    expect(byPosition.r?.map((i) => i.finding.id)).toEqual(['bumper', 'rt']);
  });

  it('honours a custom position order and puts unknown positions last', () => {
    const odd = finding({ id: 'odd', positionId: 'roof', itemId: 'roof-panel' });
    const { items } = compareFindings({ intakeFindings: [odd, door, bumper], positionOrder: ['r', 'lf'] });
    expect(items.map((i) => i.finding.id)).toEqual(['bumper', 'door', 'odd']);
  });

  it('keeps the photos and notes of each side for the side-by-side view', () => {
    const { items } = compareFindings({
      intakeFindings: [door],
      techCheck: { reviews: { door: { verdict: 'disputed', note: '漆面完好', photos: [HASH_B] } }, newFindings: [] },
      handover: { reviews: { door: { status: 'unchanged', note: '', photos: [HASH_C] } }, newFindings: [] },
    });
    expect(items[0]).toMatchObject({ technicianNote: '漆面完好', technicianPhotos: [HASH_B], handoverPhotos: [HASH_C] });
  });
});

describe('compareChecklist: what was received at intake against what was given back', () => {
  const intake = signedIntake();
  const base = newHandover({ id: crypto.randomUUID(), intake, techCheck: null, advisor: { id: 'adv-1', name: '李顾问' } });
  const cases: { name: string; patch: Partial<typeof base>; expect: string[] }[] = [
    { name: 'nothing returned yet', patch: {}, expect: ['valuableUnanswered', 'registrationNotReturned', 'serviceBookletNotReturned', 'keysShort', 'protectionNotRemoved'] },
    {
      name: 'everything returned',
      patch: { valuablesReturned: { phone: 'returned' }, documentsReturned: { registration: true, serviceBooklet: true, keys: 2 }, protectionRemoved: true },
      expect: [],
    },
    {
      name: 'phone missing, one key short',
      patch: { valuablesReturned: { phone: 'missing' }, documentsReturned: { registration: true, serviceBooklet: true, keys: 1 }, protectionRemoved: true },
      expect: ['valuableMissing', 'keysShort'],
    },
    {
      name: 'more keys than received is not a difference',
      patch: { valuablesReturned: { phone: 'returned' }, documentsReturned: { registration: true, serviceBooklet: true, keys: 3 }, protectionRemoved: true },
      expect: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(compareChecklist(intake, { ...base, ...c.patch }).map((d) => d.kind)).toEqual(c.expect);
    });
  }

  it('asks nothing back that was never received', () => {
    const bare = signedIntake((i) => {
      i.valuables.items = i.valuables.items.map((v) => ({ ...v, answer: 'taken' }));
      i.work.documents = { registration: false, serviceBooklet: false, keys: 0 };
      i.visit.protection = { seatCover: false, wheelCover: false, floorMat: false };
    });
    const h = newHandover({ id: crypto.randomUUID(), intake: bare, techCheck: null, advisor: { id: 'a', name: 'a' } });
    expect(compareChecklist(bare, h)).toEqual([]);
  });

  it('reports the number of keys received and returned', () => {
    const diff = compareChecklist(intake, { ...base, documentsReturned: { registration: true, serviceBooklet: true, keys: 1 } });
    expect(diff).toContainEqual({ kind: 'keysShort', received: 2, returned: 1 });
  });
});
