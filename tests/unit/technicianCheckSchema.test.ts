import { describe, expect, it } from 'vitest';
import { newTechCheck, techCheckHash, techCheckIssues, techCheckSchema, type TechCheck } from '../../src/model/techCheck/schema';
import { finding, HASH_B, signedIntake } from '../fixtures/followFixtures';
import { newIntake } from '../../src/model/intake/newIntake';

const tech = { id: 'tech-1', name: '张师傅' };
const T0 = '2026-01-01T10:00:00.000Z';

function complete(intake = signedIntake()): TechCheck {
  const c = newTechCheck({ id: crypto.randomUUID(), intake, technician: tech, now: new Date(T0) });
  for (const k of Object.keys(c.positions)) c.positions[k] = { checkedAt: T0 };
  for (const k of Object.keys(c.reviews)) c.reviews[k] = { verdict: 'confirmed', note: '', photos: [] };
  c.complaint = { verdict: 'confirmed', roadTest: true, note: '' };
  return c;
}

describe('technician check record', () => {
  it('starts from a signed intake, bound to its hash, one review per intake finding', () => {
    const intake = signedIntake();
    const c = newTechCheck({ id: crypto.randomUUID(), intake, technician: tech });
    expect(c.intakeHash).toBe(intake.contentHash);
    expect(Object.keys(c.reviews).sort()).toEqual(['fi-bumper', 'fi-door']);
    expect(Object.keys(c.positions)).toEqual(['lf', 'f', 'rf', 'rr', 'r', 'lr']);
    expect(techCheckSchema.safeParse(c).success).toBe(true);
  });

  it('refuses to start on a draft intake', () => {
    expect(() => newTechCheck({ id: crypto.randomUUID(), intake: newIntake({ advisor: tech }), technician: tech })).toThrow();
  });

  it('hashes only the content: status and sign-off do not move the hash, any finding verdict does', () => {
    const c = complete();
    const h = techCheckHash(c);
    expect(techCheckHash({ ...c, status: 'signed', updatedAt: '2030-01-01T00:00:00.000Z' })).toBe(h);
    expect(techCheckHash({ ...c, reviews: { ...c.reviews, 'fi-door': { verdict: 'disputed', note: 'x', photos: [] } } })).not.toBe(h);
    expect(techCheckHash({ ...c, newFindings: [finding({ positionId: 'f', itemId: 'f-hood', foundAt: 'technician' })] })).not.toBe(h);
  });

  const cases: { name: string; edit: (c: TechCheck) => void; expect: string[] }[] = [
    { name: 'complete check is ready', edit: () => {}, expect: [] },
    { name: 'a position not walked', edit: (c) => (c.positions.rr = { checkedAt: null }), expect: ['position:rr'] },
    { name: 'a finding without verdict', edit: (c) => (c.reviews['fi-door'] = { verdict: null, note: '', photos: [] }), expect: ['verdict:fi-door'] },
    { name: 'a dispute without a reason', edit: (c) => (c.reviews['fi-door'] = { verdict: 'disputed', note: '  ', photos: [] }), expect: ['disputeNote:fi-door'] },
    { name: 'a dispute with a reason', edit: (c) => (c.reviews['fi-door'] = { verdict: 'disputed', note: '未见划痕', photos: [] }), expect: [] },
    {
      name: 'new damage without photo',
      edit: (c) => c.newFindings.push(finding({ id: 'n1', positionId: 'f', itemId: 'f-hood', photos: [], foundAt: 'technician' })),
      expect: ['newFindingPhoto:n1'],
    },
    {
      name: 'new damage on an item of another position',
      edit: (c) => c.newFindings.push(finding({ id: 'n2', positionId: 'f', itemId: 'lf-door', photos: [HASH_B], foundAt: 'technician' })),
      expect: ['newFindingIncomplete:n2'],
    },
    { name: 'complaint not answered', edit: (c) => (c.complaint.verdict = null), expect: ['complaint:'] },
    { name: 'intake hash mismatch', edit: (c) => (c.intakeHash = 'f'.repeat(64)), expect: ['intakeChanged:'] },
  ];
  for (const c of cases) {
    it(`readiness: ${c.name}`, () => {
      const intake = signedIntake();
      const check = complete(intake);
      c.edit(check);
      expect(techCheckIssues(check, intake).map((i) => `${i.key}:${i.ref ?? ''}`)).toEqual(c.expect);
    });
  }

  it('does not ask about the complaint when the customer described none', () => {
    const intake = signedIntake((i) => (i.complaint.symptom = ''));
    const check = complete(intake);
    check.complaint.verdict = null;
    expect(techCheckIssues(check, intake)).toEqual([]);
  });
});
