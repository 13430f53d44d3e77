/**
 * Technician's checks and handovers through the real server: drafts stored and updated until
 * signed (last writer wins by updatedAt), signed ones hash verified by the server, bound to the
 * signed intake (and the handover to the signed check), frozen (a different record under the
 * same id is refused, a replay is a duplicate), and pulled by a second tablet. Pushes of the
 * previous protocol version (signed records only) are still accepted.
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
import type { VehicleDetail } from '../../src/model/vehicle/schema';

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
const mTechDraft = (tc: TechCheck): Mutation => ({ op: 'techCheckDraft', id: randomUUID(), intakeId: tc.intakeId, at: tc.updatedAt, techCheck: tc });
const mHoDraft = (h: Handover): Mutation => ({ op: 'handoverDraft', id: randomUUID(), intakeId: h.intakeId, at: h.updatedAt, handover: h });
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

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
    // The car's open damage (issue 11) now includes what the signed handover found.
    const cars = (await advisor.req<{ vehicles: VehicleDetail[] }>('GET', `/api/vehicles?vin=${intake.vehicle.vin}`)).body.vehicles;
    const damage = cars.find((c) => c.lastIntakeId === intake.id)?.openItems.damage ?? [];
    expect(damage.find((d) => d.findingId === 'hn1')).toMatchObject({ intakeId: intake.id, foundOn: signedHo.signedAt, itemId: 'r-boot' });
    const other = signHo({ ...h, note: 'x' });
    expect((await advisor.push([mHo(other)])).results[0]).toMatchObject({ status: 'rejected' });

    const after = await tech.pull(before.cursor, 1000);
    expect(after.handovers?.map((x) => x.handover.id)).toEqual([signedHo.id]);
    expect(after.handovers?.[0]?.handover.contentHash).toBe(signedHo.contentHash);
    expect(after.cursor).toBeGreaterThan(before.cursor);
  });

  it('stores drafts and their updates until signed: newer wins, older is superseded, a draft after the sign-off is refused', async () => {
    const intake = await serverIntake(advisor);
    const draft = newTechCheck({ id: randomUUID(), intake, technician: { id: 't1', name: '张师傅' } });
    const since = (await advisor.pull(0, 1000)).cursor;
    expect((await tech.push([mTechDraft(draft)])).results[0]?.status).toBe('applied');
    const v2 = { ...draft, note: '第二版', updatedAt: later(draft.updatedAt, 1000) };
    const m2 = mTechDraft(v2);
    expect((await tech.push([m2])).results[0]?.status).toBe('applied');
    expect((await tech.push([m2])).results[0]?.status).toBe('duplicate'); // replay
    // An older draft arriving late (another tablet's queue) changes nothing.
    const stale = await tech.push([mTechDraft({ ...draft, note: '旧版', updatedAt: later(draft.updatedAt, 500) })]);
    expect(stale.results[0]).toMatchObject({ status: 'duplicate', reason: expect.stringMatching(/superseded/) });
    let page = await advisor.pull(since, 1000);
    expect(page.techChecks?.filter((x) => x.techCheck.id === draft.id).map((x) => [x.techCheck.status, x.techCheck.note])).toEqual([['draft', '第二版']]);

    // A draft claiming to be signed is stored as a draft (the save mutator clears sign-off fields).
    const sneaky = { ...v2, updatedAt: later(draft.updatedAt, 2000), status: 'signed' as const, contentHash: techCheckHash(v2) };
    expect((await tech.push([mTechDraft(sneaky)])).results[0]?.status).toBe('applied');
    page = await advisor.pull(since, 1000);
    expect(page.techChecks?.find((x) => x.techCheck.id === draft.id)?.techCheck).toMatchObject({ status: 'draft', contentHash: null });

    // Signing replaces the draft (same id); afterwards drafts are refused, the record is frozen.
    const signedCheck = signCheck({ ...v2, updatedAt: later(draft.updatedAt, 3000) });
    expect((await tech.push([mTech(signedCheck)])).results[0]?.status).toBe('applied');
    const late = await tech.push([mTechDraft({ ...v2, note: '签字后', updatedAt: later(draft.updatedAt, 9000) })]);
    expect(late.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/frozen/) });
    page = await advisor.pull(since, 1000);
    expect(page.techChecks?.filter((x) => x.techCheck.id === draft.id).map((x) => x.techCheck.contentHash)).toEqual([signedCheck.contentHash]);
  });

  it('refuses drafts not bound to the signed intake, or carrying a different intake id', async () => {
    const intake = await serverIntake(advisor);
    const h = newHandover({ id: randomUUID(), intake, techCheck: null, advisor: { id: 'a1', name: '王芳' } });
    const wrong = await advisor.push([mHoDraft({ ...h, intakeHash: 'f'.repeat(64) })]);
    expect(wrong.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/intake hash/) });
    const other = await serverIntake(advisor);
    const moved = await advisor.push([{ ...mHoDraft(h), intakeId: other.id }]);
    expect(moved.results[0]?.status).toBe('rejected');
    expect((await advisor.push([mHoDraft(h)])).results[0]?.status).toBe('applied');
  });

  it('keeps accepting pushes of the previous protocol version (signed follow-up records only)', async () => {
    const intake = await serverIntake(advisor);
    const tc = signCheck(newTechCheck({ id: randomUUID(), intake, technician: { id: 't1', name: '张师傅' } }));
    const r = await tech.req<{ results: { status: string }[] }>('POST', '/api/sync/push', { protocolVersion: 1, mutations: [mTech(tc)] });
    expect(r.status).toBe(200);
    expect(r.body.results[0]?.status).toBe('applied');
  });
});
