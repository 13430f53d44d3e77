/** Intakes, mutations and fake image bytes for integration tests. */
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { newIntake } from '../../../src/model/intake/newIntake';
import { contentHash, signedContent } from '../../../src/model/intake/signedContent';
import type { Intake, SectionName, Signature } from '../../../src/model/intake/schema';
import type { Mutation } from '../../../src/shared/protocol';
import { completeSections } from '../../fixtures/readyIntake';

/** A draft with every section filled in, so it may be signed (readiness is checked by the server). */
export function draft(advisor = { id: 'a1', name: '王芳' }, over: Partial<Intake> = {}): Intake {
  return { ...completeSections(newIntake({ advisor, now: new Date('2025-03-01T08:00:00Z') })), ...over };
}

/** A draft as "+ 新建接车" makes it: every section empty (not signable). */
export function emptyDraft(advisor = { id: 'a1', name: '王芳' }): Intake {
  return newIntake({ advisor, now: new Date('2025-03-01T08:00:00Z') });
}

const at = () => new Date().toISOString();

export const mCreate = (intake: Intake): Mutation => ({ op: 'create', id: randomUUID(), intakeId: intake.id, at: at(), intake });

export function mPatch<S extends SectionName>(intakeId: string, section: S, value: Intake[S], baseRev: number | null): Mutation {
  return { op: 'patch', id: randomUUID(), intakeId, at: at(), section, value, baseRev };
}

export function signature(hash: string): Signature {
  return { role: 'customer', name: '陈先生', strokes: [{ points: [{ x: 1, y: 2, time: 3 }, { x: 4, y: 5, time: 6 }] }], width: 300, height: 150, signedAt: at(), contentHash: hash };
}

export function mSign(intake: Intake, opts: { badHash?: boolean } = {}): Mutation {
  const content = signedContent(intake);
  const hash = contentHash(intake);
  const claimed = opts.badHash ? createHash('sha256').update('other').digest('hex') : hash;
  return { op: 'sign', id: randomUUID(), intakeId: intake.id, at: at(), content, contentHash: claimed, signatures: [signature(claimed)], signedAt: at() };
}

export function mAmend(intakeId: string, refersTo: string, text = '补充: 右后门把手轻微划痕'): Mutation {
  return { op: 'amend', id: randomUUID(), intakeId, at: at(), amendment: { id: randomUUID().slice(0, 8), at: at(), by: { id: 'a1', name: '王芳' }, text, refersTo } };
}

/** Fake JPEG: the JPEG magic bytes then random bytes (the server sniffs magic bytes only). */
export function fakeJpeg(size = 2048): { bytes: Buffer; hash: string } {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(Math.max(0, size - 4))]);
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}

export function fakePng(size = 1024): { bytes: Buffer; hash: string } {
  const bytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(Math.max(0, size - 8))]);
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}

export function withPhoto(intake: Intake, hash: string): Intake {
  return {
    ...intake,
    walkaround: {
      ...intake.walkaround,
      findings: [
        ...intake.walkaround.findings,
        { id: randomUUID().slice(0, 8), positionId: 'leftFront', itemId: 'panel', type: 'scratch', severity: 'minor', marker: null, photos: [hash], note: '', createdAt: at(), foundAt: 'intake' },
      ],
    },
  };
}
