import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { applyPulledHandover, FrozenFollowRecordError, signHandover, signTechCheck, StaleFollowSignatureError, startHandover, startTechCheck, updateHandover, updateTechCheck } from '../../src/db/followRepo';
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
    await expect(signHandover(h.id, hash, [signature('advisor', hash)])).rejects.toThrow(/customer/);
    const signed = await signHandover(h.id, hash, [signature('customer', hash)]);
    expect(signed).toMatchObject({ status: 'signed', contentHash: hash });
    const outbox = await getDb().outbox.toArray();
    expect(outbox.map((o) => o.mutation.op)).toEqual(['handover']);
    await expect(updateHandover(h.id, (d) => d)).rejects.toBeInstanceOf(FrozenFollowRecordError);
    expect(await getDb().intakes.get(intake.id)).toEqual(intake);
  });

  it('refuses a signature bound to another hash', async () => {
    const intake = await storedIntake();
    const h = await startHandover(intake.id, advisor);
    const hash = handoverHash(h);
    await expect(signHandover(h.id, hash, [signature('customer', 'e'.repeat(64))])).rejects.toBeInstanceOf(StaleFollowSignatureError);
    await updateHandover(h.id, (d) => ({ ...d, note: 'x' }));
    await expect(signHandover(h.id, hash, [signature('customer', hash)])).rejects.toBeInstanceOf(StaleFollowSignatureError);
    expect(await getDb().outbox.count()).toBe(0);
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
    expect(await applyPulledHandover({ ...signed, protectionRemoved: true })).toBe('refused');
    expect(await applyPulledHandover(signed)).toBe('stored');
    expect(await applyPulledHandover(signed)).toBe('unchanged');
  });
});
