import { describe, expect, it } from 'vitest';
import { handoverHash, handoverIssues, handoverSchema, newHandover, type Handover } from '../../src/model/handover/schema';
import { newTechCheck, techCheckHash, type TechCheck } from '../../src/model/techCheck/schema';
import { finding, signedIntake } from '../fixtures/followFixtures';

const advisor = { id: 'adv-1', name: '李顾问' };
const T0 = '2026-01-03T10:00:00.000Z';

function signedCheck(intake = signedIntake()): TechCheck {
  const c = newTechCheck({ id: crypto.randomUUID(), intake, technician: { id: 't', name: '张师傅' } });
  c.newFindings.push(finding({ id: 'tech-new', positionId: 'rf', itemId: 'rf-mirror', type: 'crack', foundAt: 'technician' }));
  const hash = techCheckHash(c);
  return { ...c, status: 'signed', contentHash: hash, signedAt: T0, signoff: { role: 'technician', staffId: 't', name: '张师傅', method: 'pin', signedAt: T0, contentHash: hash } };
}

function complete(intake = signedIntake(), tc: TechCheck | null = null): Handover {
  const h = newHandover({ id: crypto.randomUUID(), intake, techCheck: tc, advisor, now: new Date(T0) });
  for (const k of Object.keys(h.positions)) h.positions[k] = { checkedAt: T0 };
  for (const k of Object.keys(h.reviews)) h.reviews[k] = { status: 'unchanged', note: '', photos: [] };
  h.valuablesReturned = { phone: 'returned' };
  h.protectionRemoved = true;
  h.documentsReturned = { registration: true, serviceBooklet: true, keys: 2 };
  h.oldPartsShown = true;
  h.declinedSafety = { 'rec-brakes': { explained: true } };
  h.nextService = { date: '2026-07-01', mileageKm: 47000 };
  h.followUp = { date: '2026-01-06', slot: 'afternoon', note: '' };
  return h;
}

describe('handover record', () => {
  it('starts from the signed intake and the signed technician check, reviewing both sets of findings', () => {
    const intake = signedIntake();
    const tc = signedCheck(intake);
    const h = newHandover({ id: crypto.randomUUID(), intake, techCheck: tc, advisor });
    expect(h).toMatchObject({ intakeHash: intake.contentHash, techCheckId: tc.id, techCheckHash: tc.contentHash });
    expect(Object.keys(h.reviews).sort()).toEqual(['fi-bumper', 'fi-door', 'tech-new']);
    expect(h.valuablesReturned).toEqual({ phone: null });
    expect(h.declinedSafety).toEqual({ 'rec-brakes': { explained: false } }); // the wiper is not a safety item
    expect(handoverSchema.safeParse(h).success).toBe(true);
  });

  it('ignores an unsigned technician check', () => {
    const intake = signedIntake();
    const draft = newTechCheck({ id: crypto.randomUUID(), intake, technician: { id: 't', name: 't' } });
    const h = newHandover({ id: crypto.randomUUID(), intake, techCheck: draft, advisor });
    expect(h.techCheckId).toBeNull();
  });

  it('hash covers content only', () => {
    const h = complete();
    expect(handoverHash({ ...h, status: 'signed' })).toBe(handoverHash(h));
    expect(handoverHash({ ...h, followUp: { ...h.followUp, slot: 'morning' } })).not.toBe(handoverHash(h));
  });

  const cases: { name: string; edit: (h: Handover) => void; expect: string[] }[] = [
    { name: 'complete', edit: () => {}, expect: [] },
    { name: 'position not walked', edit: (h) => (h.positions.lf = { checkedAt: null }), expect: ['position:lf'] },
    { name: 'finding not reviewed', edit: (h) => (h.reviews['fi-bumper'] = { status: null, note: '', photos: [] }), expect: ['review:fi-bumper'] },
    { name: 'changed without note', edit: (h) => (h.reviews['fi-bumper'] = { status: 'changed', note: '', photos: [] }), expect: ['changeNote:fi-bumper'] },
    { name: 'valuable unanswered', edit: (h) => (h.valuablesReturned = { phone: null }), expect: ['valuable:phone'] },
    { name: 'valuable missing is an answer (listed as a difference)', edit: (h) => (h.valuablesReturned = { phone: 'missing' }), expect: [] },
    { name: 'three-piece set left in', edit: (h) => (h.protectionRemoved = false), expect: ['protection:'] },
    { name: 'booklet kept', edit: (h) => (h.documentsReturned.serviceBooklet = false), expect: ['documents:'] },
    { name: 'key short', edit: (h) => (h.documentsReturned.keys = 1), expect: ['keys:'] },
    { name: 'old parts not shown', edit: (h) => (h.oldPartsShown = false), expect: ['oldParts:'] },
    { name: 'declined safety not explained', edit: (h) => (h.declinedSafety = {}), expect: ['declinedSafety:rec-brakes'] },
    { name: 'no next service date', edit: (h) => (h.nextService.date = ''), expect: ['nextServiceDate:'] },
    { name: 'next service mileage below odometer', edit: (h) => (h.nextService.mileageKm = 41000), expect: ['nextServiceMileage:'] },
    { name: 'no follow-up slot', edit: (h) => (h.followUp.slot = ''), expect: ['followUp:'] },
  ];
  for (const c of cases) {
    it(`readiness: ${c.name}`, () => {
      const intake = signedIntake();
      const h = complete(intake);
      c.edit(h);
      expect(handoverIssues(h, intake, null).map((i) => `${i.key}:${i.ref ?? ''}`)).toEqual(c.expect);
    });
  }

  it('requires the technician’s new damage to be reviewed too', () => {
    const intake = signedIntake();
    const tc = signedCheck(intake);
    const h = complete(intake, tc);
    h.reviews['tech-new'] = { status: null, note: '', photos: [] };
    expect(handoverIssues(h, intake, tc).map((i) => `${i.key}:${i.ref ?? ''}`)).toEqual(['review:tech-new']);
  });
});
