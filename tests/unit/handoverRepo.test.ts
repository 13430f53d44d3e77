import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { signHandover, signTechCheck, startHandover, startTechCheck, updateHandover, updateTechCheck } from '../../src/store/followUpWrites';
import { applyPulledRecord } from '../../src/store/applyPulled';
import { putIntakeRecord } from '../../src/store/summaries';
import { handoverHash } from '../../src/model/handover/schema';
import { techCheckHash } from '../../src/model/techCheck/schema';
import { finding, signature, signedIntake } from '../fixtures/followFixtures';

const advisor = { id: 'adv-1', name: '李顾问' };

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

async function storedIntake() {
  const intake = signedIntake();
  await putIntakeRecord(getDb(), intake);
  return intake;
}

describe('handover repository', () => {
  it('one open draft per intake; the customer signs; record + outbox together; frozen after', async () => {
    const intake = await storedIntake();
    const h = await startHandover(intake.id, advisor);
    expect((await startHandover(intake.id, { id: 'adv-2', name: '周顾问' })).id).toBe(h.id);
    const edited = await updateHandover(h.id, (d) => ({ ...d, protectionRemoved: true, followUp: { date: '2026-01-05', slot: 'morning', note: '' } }));
    const hash = handoverHash(edited);
    await expect(signHandover(h.id, hash, [signature('advisor', hash)])).rejects.toMatchObject({ code: 'handover.customerSignature' });
    const signed = await signHandover(h.id, hash, [signature('customer', hash)]);
    expect(signed).toMatchObject({ status: 'signed', contentHash: hash });
    const outbox = await getDb().outbox.toArray();
    // The draft (start + edit coalesced into one unsent entry), then the signed record.
    expect(outbox.map((o) => o.mutation.op)).toEqual(['handoverDraft', 'handover']);
    await expect(updateHandover(h.id, (d) => d)).rejects.toMatchObject({ code: 'record.frozen' });
    expect(await getDb().intakes.get(intake.id)).toEqual(intake);
  });

  it('refuses a signature bound to another hash', async () => {
    const intake = await storedIntake();
    const h = await startHandover(intake.id, advisor);
    const hash = handoverHash(h);
    await expect(signHandover(h.id, hash, [signature('customer', 'e'.repeat(64))])).rejects.toMatchObject({ code: 'record.stale' });
    await updateHandover(h.id, (d) => ({ ...d, note: 'x' }));
    await expect(signHandover(h.id, hash, [signature('customer', hash)])).rejects.toMatchObject({ code: 'record.stale' });
    expect((await getDb().outbox.toArray()).map((e) => e.op)).toEqual(['handoverDraft']); // no signature queued
  });

  it('a technician check signed after the handover began is added to the comparison', async () => {
    const intake = await storedIntake();
    const h = await startHandover(intake.id, advisor);
    expect(h.techCheckId).toBeNull();
    const c = await startTechCheck(intake.id, { id: 't', name: '张师傅' });
    const edited = await updateTechCheck(c.id, (d) => ({ ...d, newFindings: [finding({ id: 'tn', positionId: 'f', itemId: 'f-hood', foundAt: 'technician' })] }));
    const tc = await signTechCheck(c.id, techCheckHash(edited), { staffId: 't', name: '张师傅' });
    const again = await startHandover(intake.id, advisor);
    expect(again.id).toBe(h.id);
    expect(again).toMatchObject({ techCheckId: tc.id, techCheckHash: tc.contentHash });
    expect(again.reviews.tn).toEqual({ status: null, note: '', photos: [] });
  });

  it('pulled handovers are verified by hash', async () => {
    const intake = await storedIntake();
    const h = await startHandover(intake.id, advisor);
    const hash = handoverHash(h);
    const signed = { ...h, status: 'signed' as const, contentHash: hash, signedAt: h.createdAt, signatures: [signature('customer', hash)] };
    const apply = (r: typeof signed) => applyPulledRecord(getDb(), 'handover', r);
    expect(await apply({ ...signed, protectionRemoved: true })).toBe('refused');
    expect(await apply(signed)).toBe('stored');
    expect(await apply(signed)).toBe('unchanged');
  });
});
