import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { signTechCheck, startTechCheck, updateTechCheck } from '../../src/store/followUpWrites';
import { applyPulledRecord } from '../../src/store/applyPulled';
import type { TechCheck } from '../../src/model/techCheck/schema';
import { followUpFlagsOf } from '../../src/store/queries';
import { putIntakeRecord } from '../../src/store/summaries';
import { techCheckHash } from '../../src/model/techCheck/schema';
import { finding, HASH_B, signedIntake } from '../fixtures/followFixtures';

const tech = { id: 'tech-1', name: '张师傅' };

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

async function storedIntake() {
  const intake = signedIntake();
  await putIntakeRecord(getDb(), intake);
  return intake;
}

describe('technician check repository', () => {
  it('starts one draft per technician and intake, queued for sync as one draft, without touching the intake', async () => {
    const intake = await storedIntake();
    const a = await startTechCheck(intake.id, tech);
    const b = await startTechCheck(intake.id, tech);
    expect(b.id).toBe(a.id);
    expect(a.intakeHash).toBe(intake.contentHash);
    // Drafts reach the server before sign-off: one unsent draft entry, carrying the whole draft.
    const outbox = await getDb().outbox.toArray();
    expect(outbox.map((e) => [e.op, e.kind, e.recordId])).toEqual([['techCheckDraft', 'techCheck', a.id]]);
    expect(await getDb().intakes.get(intake.id)).toEqual(intake);
  });

  it('signs: record and outbox mutation together, bound to the shown hash, then frozen', async () => {
    const intake = await storedIntake();
    const draft = await startTechCheck(intake.id, tech);
    const edited = await updateTechCheck(draft.id, (c) => ({
      ...c,
      reviews: { ...c.reviews, 'fi-door': { verdict: 'disputed', note: '门板无划痕', photos: [HASH_B] } },
      newFindings: [finding({ id: 'n1', positionId: 'f', itemId: 'f-hood', foundAt: 'technician' })],
    }));
    const shown = techCheckHash(edited);
    const signed = await signTechCheck(draft.id, shown, { staffId: tech.id, name: tech.name });
    expect(signed).toMatchObject({ status: 'signed', contentHash: shown, signoff: { name: '张师傅', method: 'pin', contentHash: shown } });
    const outbox = await getDb().outbox.toArray();
    // The draft (start + edit coalesced into one unsent entry), then the signed record.
    expect(outbox.map((e) => e.op)).toEqual(['techCheckDraft', 'techCheck']);
    expect(outbox[0]?.mutation).toMatchObject({ op: 'techCheckDraft', techCheck: { id: draft.id, status: 'draft', note: edited.note, newFindings: edited.newFindings } });
    expect(outbox[1]?.mutation).toMatchObject({ op: 'techCheck', intakeId: intake.id, techCheck: { id: draft.id, contentHash: shown } });
    await expect(updateTechCheck(draft.id, (c) => c)).rejects.toMatchObject({ code: 'record.frozen' });
    await expect(signTechCheck(draft.id, shown, { staffId: tech.id, name: tech.name })).rejects.toMatchObject({ code: 'record.frozen' });
    expect(await getDb().outbox.count()).toBe(2); // refused changes queue nothing
    expect(await getDb().intakes.get(intake.id)).toEqual(intake); // the signed intake is never modified
    // a new check after signing is a new record
    expect((await startTechCheck(intake.id, tech)).id).not.toBe(draft.id);
  });

  it('refuses to sign when the record changed after it was shown', async () => {
    const intake = await storedIntake();
    const draft = await startTechCheck(intake.id, tech);
    const shown = techCheckHash(draft);
    await updateTechCheck(draft.id, (c) => ({ ...c, note: '路试后确认' }));
    await expect(signTechCheck(draft.id, shown, { staffId: tech.id, name: tech.name })).rejects.toMatchObject({ code: 'record.stale' });
    expect((await getDb().outbox.toArray()).map((e) => e.op)).toEqual(['techCheckDraft']); // no sign-off queued
  });

  it('accepts pulled signed checks only when their hash verifies, and never replaces a signed one', async () => {
    const intake = await storedIntake();
    const draft = await startTechCheck(intake.id, tech);
    const hash = techCheckHash(draft);
    const signed = { ...draft, status: 'signed' as const, contentHash: hash, signedAt: draft.createdAt, signoff: { role: 'technician' as const, staffId: 't', name: 't', method: 'pin' as const, signedAt: draft.createdAt, contentHash: hash } };
    const apply = (r: TechCheck) => applyPulledRecord(getDb(), 'techCheck', r);
    expect(await apply({ ...signed, note: 'tampered' })).toBe('refused');
    expect(await apply(signed)).toBe('stored');
    expect(await apply(signed)).toBe('unchanged');
    const other = { ...signed, note: 'x' };
    const otherHash = techCheckHash(other);
    expect(await apply({ ...other, contentHash: otherHash, signoff: { ...signed.signoff, contentHash: otherHash } })).toBe('refused');
    expect((await getDb().techChecks.get(draft.id))?.note).toBe('');
  });

  it('flags disputes and new damage of the latest signed check', async () => {
    const intake = await storedIntake();
    const draft = await startTechCheck(intake.id, tech);
    expect(followUpFlagsOf([draft], [])).toMatchObject({ checkInProgress: true, checkSigned: false, disputes: 0 });
    const edited = await updateTechCheck(draft.id, (c) => ({
      ...c,
      reviews: { ...c.reviews, 'fi-door': { verdict: 'disputed', note: 'x', photos: [] }, 'fi-bumper': { verdict: 'confirmed', note: '', photos: [] } },
      newFindings: [finding({ positionId: 'f', itemId: 'f-hood', foundAt: 'technician' })],
    }));
    const signed = await signTechCheck(draft.id, techCheckHash(edited), { staffId: tech.id, name: tech.name });
    expect(followUpFlagsOf([signed], [])).toMatchObject({ checkInProgress: false, checkSigned: true, disputes: 1, newAtTechnician: 1 });
  });
});
