import { describe, expect, it } from 'vitest';
import { reviewChange, withReview } from '../../src/features/technician/walk/FindingReview';
import type { TechReview } from '../../src/model/techCheck/schema';
import type { HandoverReview } from '../../src/model/handover/schema';

const blankTech: TechReview = { verdict: null, note: '', photos: [] };
const blankHandover: HandoverReview = { status: null, note: '', photos: [] };

describe('withReview (how a walk changes the review of one earlier finding)', () => {
  it('starts an untouched finding from the blank review and keeps the others as they are', () => {
    const other: TechReview = { verdict: 'confirmed', note: '', photos: ['h0'] };
    const before = { id: 'c1', reviews: { a: other } as Record<string, TechReview> };
    const after = withReview(before, 'b', blankTech, reviewChange.patch<TechReview>({ verdict: 'disputed' }));
    expect(after.reviews.b).toEqual({ verdict: 'disputed', note: '', photos: [] });
    expect(after.reviews.a).toBe(other);
    expect(after.id).toBe('c1');
    expect(before.reviews.b).toBeUndefined();
  });

  it('adds an evidence photo once, even when the same photo arrives twice, and removes it', () => {
    const start = { reviews: { f: { status: 'changed', note: '新划痕', photos: ['h1'] } } as Record<string, HandoverReview> };
    const one = withReview(start, 'f', blankHandover, reviewChange.addPhoto('h2'));
    expect(one.reviews.f).toEqual({ status: 'changed', note: '新划痕', photos: ['h1', 'h2'] });
    const again = withReview(one, 'f', blankHandover, reviewChange.addPhoto('h2'));
    expect(again).toBe(one);
    const removed = withReview(again, 'f', blankHandover, reviewChange.removePhoto('h1'));
    expect(removed.reviews.f).toEqual({ status: 'changed', note: '新划痕', photos: ['h2'] });
  });

  it('applies to the newest value: two photos that arrive one after the other both stay', () => {
    let rec = { reviews: {} as Record<string, TechReview> };
    for (const h of ['p1', 'p2']) rec = withReview(rec, 'x', blankTech, reviewChange.addPhoto(h));
    expect(rec.reviews.x?.photos).toEqual(['p1', 'p2']);
  });
});
