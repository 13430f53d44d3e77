/**
 * Technician's checks and handovers through the real server: pushed once signed, hash verified
 * by the server, bound to the signed intake (and the handover to the signed check), frozen
 * (a different record under the same id is refused, a replay is a duplicate), and pulled by a
 * second tablet.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet } from './helpers/client';
import { mCreate, mSign } from './helpers/fixtures';
import { finding, signature, signedIntake } from '../fixtures/followFixtures';
import type { Mutation } from '../../src/shared/protocol';
import type { Intake } from '../../src/model/intake/schema';
import { newTechCheck, techCheckHash, type TechCheck } from '../../src/model/techCheck/schema';
import { handoverHash, newHandover, type Handover } from '../../src/model/handover/schema';

const at = () => new Date().toISOString();

/** The sign-off names the technician tablet's acting staff member as the server knows them. */
let signer = { id: '', name: '' };
function signCheck(c: TechCheck): TechCheck {
  const hash = techCheckHash(c);
  return { ...c, status: 'signed', contentHash: hash, signedAt: at(), signoff: { role: 'technician', staffId: signer.id, name: signer.name, method: 'pin', signedAt: at(), contentHash: hash } };
}
function signHo(h: Handover): Handover {
  const hash = handoverHash(h);
  return { ...h, status: 'signed', contentHash: hash, signedAt: at(), signatures: [signature('customer', hash)] };
}
const mTech = (tc: TechCheck): Mutation => ({ op: 'techCheck', id: randomUUID(), intakeId: tc.intakeId, at: at(), techCheck: tc });
const mHo = (h: Handover): Mutation => ({ op: 'handover', id: randomUUID(), intakeId: h.intakeId, at: at(), handover: h });

/** A signed intake on the server: created as a draft, then signed with the server-computed hash. */
async function serverIntake(tablet: Tablet): Promise<Intake> {
  const signed = signedIntake();
  const draft: Intake = { ...signed, id: randomUUID(), status: 'draft', contentHash: null, signedAt: null, signatures: [] };
  const r = await tablet.push([mCreate(draft), mSign(draft)]);
  expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied']);
  const got = await tablet.req<{ intake: Intake }>('GET', `/api/intakes/${draft.id}`);
  expect(got.body.intake.status).toBe('signed');
  return got.body.intake;
}

describe.each(backends())('follow-up records on %s', (backend) => {
  let env: TestApp;
  let advisor: Tablet;
  let tech: Tablet;
  beforeAll(async () => {
    env = await startApp(backend);
    const t = injectTransport(env.app);
    advisor = await loginAs(t, demo.advisor, 'advisor tablet');
    tech = await loginAs(t, demo.technician, 'workshop tablet');
    signer = { id: tech.login.staff.id, name: tech.login.staff.name };
  });
  afterAll(() => env.close());

  it('stores a signed technician check once, refuses tampering and changes after signing, and the advisor pulls it', async () => {
    const intake = await serverIntake(advisor);
    const draft = newTechCheck({ id: randomUUID(), intake, technician: { id: 't1', name: '张师傅' } });
    draft.reviews['fi-door'] = { verdict: 'disputed', note: '门板无划痕', photos: [] };
    draft.newFindings.push(finding({ id: 'tn1', positionId: 'f', itemId: 'f-hood', foundAt: 'technician' }));
    const tc = signCheck(draft);

    const tampered = await tech.push([mTech({ ...tc, note: '改过' })]);
    expect(tampered.results[0]).toMatchObject({ status: 'rejected' });
    expect(tampered.results[0]?.reason).toMatch(/hash mismatch/);

    const unsignedPush = await tech.push([mTech({ ...draft })]);
    expect(unsignedPush.results[0]?.status).toBe('rejected');

    const m = mTech(tc);
    expect((await tech.push([m])).results[0]?.status).toBe('applied');
    expect((await tech.push([m])).results[0]?.status).toBe('duplicate'); // same mutation replayed
    expect((await tech.push([mTech(tc)])).results[0]?.status).toBe('duplicate'); // same record, new mutation id

    const changed = signCheck({ ...draft, note: '补充说明' });
    const refused = await tech.push([mTech(changed)]);
    expect(refused.results[0]).toMatchObject({ status: 'rejected' });
    expect(refused.results[0]?.reason).toMatch(/frozen/);

    const page = await advisor.pull(0, 1000);
    const pulled = page.techChecks?.find((x) => x.techCheck.id === tc.id);
    expect(pulled?.techCheck).toMatchObject({ contentHash: tc.contentHash, intakeHash: intake.contentHash });
    expect(techCheckHash(pulled!.techCheck)).toBe(tc.contentHash);
  });

  it('refuses a check bound to another intake hash, or to an unsigned intake', async () => {
    const intake = await serverIntake(advisor);
    const wrong = signCheck({ ...newTechCheck({ id: randomUUID(), intake, technician: { id: 't1', name: '张师傅' } }), intakeHash: 'f'.repeat(64) });
    const r = await tech.push([mTech(wrong)]);
    expect(r.results[0]).toMatchObject({ status: 'rejected' });
    expect(r.results[0]?.reason).toMatch(/intake hash/);

    const signed = signedIntake();
    const draft: Intake = { ...signed, id: randomUUID(), status: 'draft', contentHash: null, signedAt: null, signatures: [] };
    await advisor.push([mCreate(draft)]);
    const early = signCheck(newTechCheck({ id: randomUUID(), intake: { ...signed, id: draft.id }, technician: { id: 't1', name: '张师傅' } }));
    const r2 = await tech.push([mTech(early)]);
    expect(r2.results[0]).toMatchObject({ status: 'rejected' });
    expect(r2.results[0]?.reason).toMatch(/not signed/);
  });

  it('stores the handover bound to intake and check; a second tablet pulls both; a different handover under the same id is refused', async () => {
    const intake = await serverIntake(advisor);
    const tc = signCheck(newTechCheck({ id: randomUUID(), intake, technician: { id: 't1', name: '张师傅' } }));
    expect((await tech.push([mTech(tc)])).results[0]?.status).toBe('applied');

    const before = await tech.pull(0, 1000);
    const h = newHandover({ id: randomUUID(), intake, techCheck: tc, advisor: { id: 'a1', name: '王芳' } });
    h.newFindings.push(finding({ id: 'hn1', positionId: 'r', itemId: 'r-boot', foundAt: 'handover' }));
    h.followUp = { date: '2026-01-06', slot: 'afternoon', note: '' };

    const badBinding = await advisor.push([mHo(signHo({ ...h, techCheckHash: 'e'.repeat(64) }))]);
    expect(badBinding.results[0]).toMatchObject({ status: 'rejected' });

    const signedHo = signHo(h);
    expect((await advisor.push([mHo(signedHo)])).results[0]?.status).toBe('applied');
    const other = signHo({ ...h, note: 'x' });
    expect((await advisor.push([mHo(other)])).results[0]).toMatchObject({ status: 'rejected' });

    const after = await tech.pull(before.cursor, 1000);
    expect(after.handovers?.map((x) => x.handover.id)).toEqual([signedHo.id]);
    expect(after.handovers?.[0]?.handover.contentHash).toBe(signedHo.contentHash);
    expect(after.cursor).toBeGreaterThan(before.cursor);
  });
});
