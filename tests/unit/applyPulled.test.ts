/**
 * Pulled follow-up drafts meet the tablet's copy (src/store/applyPulled.ts): a newer draft from
 * another tablet is taken; a local draft with unsent changes is never overwritten; a signed
 * record replaces a draft and is never replaced itself.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, useDatabase, WalkaroundDB } from '../../src/store/db';
import { putIntakeRecord } from '../../src/store/summaries';
import { signTechCheck, startTechCheck, updateTechCheck } from '../../src/store/followUpWrites';
import { applyPulledRecord } from '../../src/store/applyPulled';
import { techCheckHash, type TechCheck } from '../../src/model/techCheck/schema';
import { signedIntake } from '../fixtures/followFixtures';

const tech = { id: 'tech-1', name: '张师傅' };
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const apply = (r: TechCheck) => applyPulledRecord(getDb(), 'techCheck', r);

beforeEach(() => {
  useDatabase(new WalkaroundDB(`t-${crypto.randomUUID()}`));
});

async function draftWithNothingUnsent(): Promise<TechCheck> {
  const intake = signedIntake();
  await putIntakeRecord(getDb(), intake);
  const draft = await startTechCheck(intake.id, tech);
  await getDb().outbox.clear(); // as after a sync: the draft is on the server
  return draft;
}

describe('pulled follow-up drafts', () => {
  it('takes a newer draft from another tablet, keeps a copy at least as new', async () => {
    const draft = await draftWithNothingUnsent();
    const theirs = { ...draft, note: '另一台平板', updatedAt: later(draft.updatedAt, 1000) };
    expect(await apply(theirs)).toBe('stored');
    expect((await getDb().techChecks.get(draft.id))?.note).toBe('另一台平板');
    expect(await apply(theirs)).toBe('unchanged');
    expect(await apply({ ...draft, note: '旧的' })).toBe('kept');
    expect((await getDb().techChecks.get(draft.id))?.note).toBe('另一台平板');
  });

  it('never overwrites a local draft with unsent changes, even with a newer one', async () => {
    const draft = await draftWithNothingUnsent();
    await updateTechCheck(draft.id, (c) => ({ ...c, note: '本机未发送' }));
    expect(await apply({ ...draft, note: '服务器', updatedAt: later(draft.updatedAt, 60_000) })).toBe('kept');
    expect((await getDb().techChecks.get(draft.id))?.note).toBe('本机未发送');
  });

  it('a signed record replaces a draft; a draft never replaces a signed record', async () => {
    const draft = await draftWithNothingUnsent();
    const hash = techCheckHash(draft);
    const signed: TechCheck = { ...draft, status: 'signed', contentHash: hash, signedAt: draft.updatedAt, signoff: { role: 'technician', staffId: 't', name: '张师傅', method: 'pin', signedAt: draft.updatedAt, contentHash: hash } };
    expect(await apply(signed)).toBe('stored');
    expect(await apply({ ...draft, note: '晚到的草稿', updatedAt: later(draft.updatedAt, 5000) })).toBe('kept');
    expect(await getDb().techChecks.get(draft.id)).toEqual(signed);
  });

  it('a pulled draft of a check signed here (sign-off not yet sent) leaves the signed record', async () => {
    const draft = await draftWithNothingUnsent();
    const signed = await signTechCheck(draft.id, techCheckHash(draft), { staffId: tech.id, name: tech.name });
    expect(await apply({ ...draft, updatedAt: later(signed.updatedAt, 1000) })).toBe('kept');
    expect(await getDb().techChecks.get(draft.id)).toEqual(signed);
  });
});
