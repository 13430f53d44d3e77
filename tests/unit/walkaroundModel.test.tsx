import { describe, expect, it } from 'vitest';
import { newIntake } from '../../src/model/intake/newIntake';
import { positionComplete } from '../../src/model/intake/readiness';
import { defaultTemplate, positionAt } from '../../src/shared/template/template';
import {
  addFinding,
  addPhoto,
  deleteFinding,
  firstIncomplete,
  isComplete,
  newFinding,
  nextPosition,
  removePhoto,
  itemsLeft,
  setItemOk,
  setNoDamage,
  setRestOk,
  updateFinding,
  MAX_PHOTOS_PER_FINDING,
  type WalkaroundSection,
} from '../../src/features/walkaround/walkaroundModel';
import { clientToDiagram, markerInPosition, positionNear, regionCentre, DIAGRAM_H, DIAGRAM_W } from '../../src/features/walkaround/diagramGeometry';

const T0 = '2026-01-05T09:00:00.000Z';
const T1 = '2026-01-05T09:05:00.000Z';
const fresh = (): WalkaroundSection => newIntake({ advisor: { id: 'a', name: 'A' } }).walkaround;
const pos = (id: string) => defaultTemplate.positions.find((p) => p.id === id)!;
const intakeWith = (s: WalkaroundSection) => ({ ...newIntake({ advisor: { id: 'a', name: 'A' } }), walkaround: s });
const H = 'a'.repeat(64);

describe('position completion', () => {
  it('a fresh position is not complete', () => {
    expect(isComplete(fresh(), 'lf')).toBe(false);
  });

  it('"no damage here" completes it, stamps completedAt and marks unchecked items OK', () => {
    let s = setItemOk(fresh(), 'lf', 'lf-door', true);
    s = setNoDamage(s, pos('lf'), true, T0);
    expect(s.positions.lf).toMatchObject({ noDamage: true, completedAt: T0 });
    expect(Object.keys(s.positions.lf!.items).sort()).toEqual([...pos('lf').items].sort());
    expect(Object.values(s.positions.lf!.items).every((v) => v === 'ok')).toBe(true);
    expect(isComplete(s, 'lf')).toBe(true);
    expect(positionComplete(intakeWith(s), 'lf')).toBe(true);
  });

  it('unticking "no damage" with no findings makes it incomplete again and clears completedAt', () => {
    let s = setNoDamage(fresh(), pos('f'), true, T0);
    s = setNoDamage(s, pos('f'), false, T1);
    expect(s.positions.f).toMatchObject({ noDamage: false, completedAt: null });
    expect(positionComplete(intakeWith(s), 'f')).toBe(false);
  });

  it('a finding completes the position, marks its item and clears "no damage"', () => {
    let s = setNoDamage(fresh(), pos('lf'), true, T0);
    s = addFinding(s, newFinding({ id: 'f1', positionId: 'lf', itemId: 'lf-door', now: T1 }), T1);
    expect(s.positions.lf!.noDamage).toBe(false);
    expect(s.positions.lf!.items['lf-door']).toBe('finding');
    // completion is kept from the first time it was reached
    expect(s.positions.lf!.completedAt).toBe(T0);
    expect(positionComplete(intakeWith(s), 'lf')).toBe(true);
  });

  it('"no damage" cannot be ticked while findings exist', () => {
    let s = addFinding(fresh(), newFinding({ id: 'f1', positionId: 'rf', itemId: 'rf-door', now: T0 }), T0);
    const before = s;
    s = setNoDamage(s, pos('rf'), true, T1);
    expect(s).toBe(before);
    expect(s.positions.rf!.noDamage).toBe(false);
  });

  it('deleting the last finding makes the position incomplete, its item unchecked', () => {
    let s = addFinding(fresh(), newFinding({ id: 'f1', positionId: 'rr', itemId: 'rr-door', now: T0 }), T0);
    s = addFinding(s, newFinding({ id: 'f2', positionId: 'rr', itemId: 'rr-door', now: T0 }), T0);
    s = deleteFinding(s, 'f1', T1);
    expect(s.positions.rr!.items['rr-door']).toBe('finding');
    expect(isComplete(s, 'rr')).toBe(false); // the other items were never looked at
    s = deleteFinding(s, 'f2', T1);
    expect(s.positions.rr).toEqual({ items: {}, noDamage: false, completedAt: null });
    expect(positionComplete(intakeWith(s), 'rr')).toBe(false);
  });

  it('"the rest are OK" sets only the items without a result; completion follows every item', () => {
    let s = addFinding(fresh(), newFinding({ id: 'f1', positionId: 'lf', itemId: 'lf-door', now: T0 }), T0);
    s = setItemOk(s, 'lf', 'lf-mirror', true, T0);
    expect(itemsLeft(s, pos('lf'))).toEqual(['lf-fender', 'lf-window', 'lf-wheel']);
    expect(s.positions.lf!.completedAt).toBeNull();
    s = setRestOk(s, pos('lf'), T1);
    expect(s.positions.lf).toEqual({ items: { 'lf-door': 'finding', 'lf-mirror': 'ok', 'lf-fender': 'ok', 'lf-window': 'ok', 'lf-wheel': 'ok' }, noDamage: false, completedAt: T1 });
    expect(isComplete(s, 'lf')).toBe(true);
    expect(setRestOk(s, pos('lf'), T1)).toBe(s);
    // taking one item back makes it incomplete again
    s = setItemOk(s, 'lf', 'lf-wheel', false, T1);
    expect(isComplete(s, 'lf')).toBe(false);
    expect(s.positions.lf!.completedAt).toBeNull();
  });

  it('unticking "no damage" takes back the OKs it stood for', () => {
    let s = setNoDamage(fresh(), pos('rr'), true, T0);
    s = setNoDamage(s, pos('rr'), false, T1);
    expect(s.positions.rr).toEqual({ items: {}, noDamage: false, completedAt: null });
  });

  it('an empty "why no photo" is left out of the record (old signed findings have no such key)', () => {
    let s = addFinding(fresh(), newFinding({ id: 'f1', positionId: 'lf', itemId: 'lf-door', now: T0 }), T0);
    s = updateFinding(s, 'f1', { noPhotoReason: '顾客不同意' }, T1);
    expect(s.findings[0]!.noPhotoReason).toBe('顾客不同意');
    s = updateFinding(s, 'f1', { noPhotoReason: '' }, T1);
    expect('noPhotoReason' in s.findings[0]!).toBe(false);
  });

  it('an item with a finding cannot be set OK', () => {
    const s = addFinding(fresh(), newFinding({ id: 'f1', positionId: 'r', itemId: 'r-bumper', now: T0 }), T0);
    expect(setItemOk(s, 'r', 'r-bumper', true)).toBe(s);
  });

  it('changing a finding\'s part moves the item status', () => {
    let s = addFinding(fresh(), newFinding({ id: 'f1', positionId: 'lr', itemId: 'lr-door', now: T0 }), T0);
    s = updateFinding(s, 'f1', { itemId: 'lr-wheel', type: 'scratch' }, T1);
    expect(s.positions.lr!.items).toEqual({ 'lr-wheel': 'finding' });
    expect(s.findings[0]).toMatchObject({ itemId: 'lr-wheel', type: 'scratch', createdAt: T0, foundAt: 'intake' });
  });

  it('photos: no duplicates, removable, capped', () => {
    let s = addFinding(fresh(), newFinding({ id: 'f1', positionId: 'lf', now: T0 }), T0);
    s = addPhoto(s, 'f1', H);
    s = addPhoto(s, 'f1', H);
    expect(s.findings[0]!.photos).toEqual([H]);
    s = removePhoto(s, 'f1', H);
    expect(s.findings[0]!.photos).toEqual([]);
    for (let i = 0; i < MAX_PHOTOS_PER_FINDING + 3; i++) s = addPhoto(s, 'f1', i.toString(16).padStart(64, '0'));
    expect(s.findings[0]!.photos).toHaveLength(MAX_PHOTOS_PER_FINDING);
  });

  it('walking order: starts at the first incomplete position, next follows the template order', () => {
    let s = fresh();
    expect(firstIncomplete(defaultTemplate, s)).toBe('lf');
    s = setNoDamage(s, pos('lf'), true, T0);
    s = setNoDamage(s, pos('f'), true, T0);
    expect(firstIncomplete(defaultTemplate, s)).toBe('rf');
    expect(['lf', 'f', 'rf', 'rr', 'r'].map((id) => nextPosition(defaultTemplate, id)?.id)).toEqual(['f', 'rf', 'rr', 'r', 'lr']);
    expect(nextPosition(defaultTemplate, 'lr')).toBeNull();
  });
});

describe('diagram geometry: a tap → 0..1 coordinates → a position', () => {
  const rect = { left: 100, top: 50, width: DIAGRAM_W, height: DIAGRAM_H };

  it('maps the corners and the centre', () => {
    expect(clientToDiagram(rect, 100, 50)).toEqual({ x: 0, y: 0 });
    expect(clientToDiagram(rect, 100 + DIAGRAM_W, 50 + DIAGRAM_H)).toEqual({ x: 1, y: 1 });
    expect(clientToDiagram(rect, 100 + DIAGRAM_W / 2, 50 + DIAGRAM_H / 2)).toEqual({ x: 0.5, y: 0.5 });
  });

  it('scales with the rendered size', () => {
    const half = { left: 0, top: 0, width: DIAGRAM_W / 2, height: DIAGRAM_H / 2 };
    expect(clientToDiagram(half, DIAGRAM_W / 8, DIAGRAM_H / 4)).toEqual({ x: 0.25, y: 0.5 });
  });

  it('honours letter-boxing (preserveAspectRatio meet) and clamps taps outside the drawing', () => {
    // twice as wide as the drawing's aspect: drawing centred horizontally
    const wide = { left: 0, top: 0, width: DIAGRAM_W * 2, height: DIAGRAM_H };
    expect(clientToDiagram(wide, DIAGRAM_W / 2, 0)).toEqual({ x: 0, y: 0 });
    expect(clientToDiagram(wide, DIAGRAM_W, DIAGRAM_H / 2)).toEqual({ x: 0.5, y: 0.5 });
    expect(clientToDiagram(wide, 5, 28)).toEqual({ x: 0, y: 0.05 });
  });

  it.each([
    // a tap on the driver's door → left front; bonnet tip → front; boot → rear
    [0.2, 0.3, 'lf'],
    [0.5, 0.05, 'f'],
    [0.8, 0.3, 'rf'],
    [0.8, 0.7, 'rr'],
    [0.5, 0.95, 'r'],
    [0.2, 0.7, 'lr'],
  ])('(%f, %f) is in %s', (x, y, id) => {
    expect(positionAt(defaultTemplate, x, y)?.id).toBe(id);
    expect(positionNear(defaultTemplate, x, y)?.id).toBe(id);
  });

  it('each region centre lies in its own position (the keyboard alternative places it there)', () => {
    for (const p of defaultTemplate.positions) {
      const c = regionCentre(p);
      expect(markerInPosition(p, c)).toBe(true);
      expect(positionAt(defaultTemplate, c.x, c.y)?.id).toBe(p.id);
    }
  });
});
