/**
 * The record kinds' definitions (src/model/<kind>/kind.ts, src/model/registry.ts) as pure
 * functions: every wire op has a kind, a mutator and roles; freeze, stale-hash and clock rules.
 */
import { describe, expect, it } from 'vitest';
import { kinds, mutatorOfOp, rolesOfOp } from '../../src/model/registry';
import { nextStamp } from '../../src/model/kind';
import { ROLES } from '../../src/shared/auth';
import { mutationSchema } from '../../src/shared/protocol';
import { newTechCheck, techCheckHash } from '../../src/model/techCheck/schema';
import { newIntake } from '../../src/model/intake/newIntake';
import { newHandover } from '../../src/model/handover/schema';
import { signedIntake } from '../fixtures/followFixtures';

const env = { now: '2026-01-02T08:00:00.000Z', actor: null, openConflicts: 0 };
const OPS = mutationSchema.options.map((o) => o.shape.op.value);

describe('record kinds', () => {
  it('every wire op belongs to one kind and mutator, with roles from the shared role list', () => {
    for (const op of OPS) {
      const found = mutatorOfOp(op);
      expect(found, op).not.toBeNull();
      expect(Object.keys(kinds[found!.kind].mutators)).toContain(found!.mutator);
      expect(rolesOfOp(op).length, op).toBeGreaterThan(0);
      for (const r of rolesOfOp(op)) expect(ROLES).toContain(r);
    }
    expect(rolesOfOp('techCheckDraft')).toEqual(rolesOfOp('techCheck'));
  });

  it('signed means frozen for every kind; only the intake amendment runs on a frozen record', () => {
    const signed = signedIntake();
    for (const def of Object.values(kinds)) {
      expect(def.isFrozen({ ...signed, status: 'signed' } as never)).toBe(true);
      expect(def.isFrozen({ ...signed, status: 'draft' } as never)).toBe(false);
    }
    const allowed = Object.entries(kinds).flatMap(([k, def]) => Object.entries(def.mutators as Record<string, { allowsFrozen?: boolean }>).filter(([, m]) => m.allowsFrozen).map(([n]) => `${k}.${n}`));
    expect(allowed).toEqual(['intake.amend']);
  });

  it('a sign-off is refused when the content no longer hashes to what was shown', () => {
    const check = newTechCheck({ id: crypto.randomUUID(), intake: signedIntake(), technician: { id: 't', name: '张师傅' } });
    const sign = kinds.techCheck.mutators.sign;
    const args = { shownHash: techCheckHash(check), by: { staffId: 't', name: '张师傅' } };
    expect(() => sign.prepare?.({ ...check, note: '改了' }, args)).toThrow(expect.objectContaining({ code: 'record.stale' }));
    const hash = sign.prepare!(check, args);
    const out = sign.run(check, args, env, hash);
    expect(out).toMatchObject({ status: 'signed', contentHash: hash, signedAt: env.now, signoff: { contentHash: hash, name: '张师傅' } });
    expect(kinds.techCheck.hashVerifies(out)).toBe(true);
    expect(kinds.techCheck.hashVerifies({ ...out, note: 'x' })).toBe(false);
  });

  it('an intake with a section waiting for a person cannot be signed; amendments only after signing', () => {
    const intake = newIntake({ advisor: { id: 'a', name: '李顾问' } });
    const { sign, amend } = kinds.intake.mutators;
    expect(() => sign.run(intake, { shownHash: '', signatures: [] }, { ...env, openConflicts: 1 }, 'h')).toThrow(expect.objectContaining({ code: 'record.openConflicts' }));
    expect(() => amend.run(intake, { id: 'am1', by: { id: 'a', name: '李顾问' }, text: '补充' }, env, undefined)).toThrow(expect.objectContaining({ code: 'record.notSigned' }));
    const signed = signedIntake();
    expect(amend.run(signed, { id: 'am1', by: { id: 'a', name: '李顾问' }, text: '补充' }, env, undefined).amendments.at(-1)).toMatchObject({ refersTo: signed.contentHash, at: env.now });
  });

  it('the outbox mutations the follow-up mutators build are valid wire mutations, and the server reads them back', () => {
    const check = newTechCheck({ id: crypto.randomUUID(), intake: signedIntake(), technician: { id: 't', name: '张师傅' } });
    const { create, sign } = kinds.techCheck.mutators;
    const base = { mutationId: crypto.randomUUID(), before: undefined, env, mergeBase: {} };
    const draftWire = mutationSchema.parse(create.wire({ ...base, after: check, args: { record: check } }));
    expect(draftWire).toMatchObject({ op: 'techCheckDraft', intakeId: check.intakeId, at: check.updatedAt, techCheck: check });
    expect(kinds.techCheck.wireIn.techCheckDraft?.read(draftWire)).toMatchObject({ recordId: check.id, claimed: check, createWith: 'create' });
    const args = { shownHash: techCheckHash(check), by: { staffId: 't', name: '张师傅' } };
    const signed = sign.run(check, args, env, sign.prepare!(check, args));
    const signedWire = mutationSchema.parse(sign.wire({ ...base, after: signed, args }));
    expect(signedWire).toMatchObject({ op: 'techCheck', at: env.now, techCheck: signed });
    expect(kinds.techCheck.wireIn.techCheck?.read(signedWire)).toMatchObject({ recordId: check.id, args, base: { ...check, updatedAt: env.now } }); // the draft content it was signed from
    expect(kinds.techCheck.wireIn.techCheck?.read(draftWire)).toBeNull();
    const handover = newHandover({ id: crypto.randomUUID(), intake: signedIntake(), techCheck: null, advisor: { id: 'a', name: '李顾问' } });
    expect(mutationSchema.parse(kinds.handover.mutators.save.wire({ ...base, after: handover, args: { draft: handover } }))).toMatchObject({ op: 'handoverDraft', handover });
  });

  it('a draft save always moves updatedAt forward, even on a tablet whose clock is behind', () => {
    expect(nextStamp('2026-01-02T08:00:00.000Z', undefined)).toBe('2026-01-02T08:00:00.000Z');
    expect(nextStamp('2026-01-02T08:00:00.000Z', '2026-01-01T08:00:00.000Z')).toBe('2026-01-02T08:00:00.000Z');
    expect(nextStamp('2026-01-02T08:00:00.000Z', '2026-01-03T08:00:00.000Z')).toBe('2026-01-03T08:00:00.001Z');
    const check = newTechCheck({ id: crypto.randomUUID(), intake: signedIntake(), technician: { id: 't', name: '张师傅' } });
    const ahead = { ...check, updatedAt: '2030-01-01T00:00:00.000Z' };
    expect(kinds.techCheck.mutators.save.run(ahead, { draft: { ...ahead, note: 'x' } }, env, undefined).updatedAt).toBe('2030-01-01T00:00:00.001Z');
  });
});
