/**
 * Issue 10: the signed record must be complete. A tablet that skips readiness (an old client or
 * a hostile one) pushes the signature of an incomplete intake: the server runs the same model
 * rule (src/model/intake/readiness.ts), refuses it with the gaps named, stores nothing, and the
 * draft stays a draft. Pushed as a sign of a draft and as a create of an already "signed" record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { backends, startApp, type TestApp } from './helpers/backends';
import { demo, injectTransport, loginAs, type Tablet } from './helpers/client';
import { draft, emptyDraft, mCreate, mSign, signature } from './helpers/fixtures';
import { contentHash } from '../../src/model/intake/signedContent';
import type { Finding, Intake } from '../../src/model/intake/schema';
import type { Mutation } from '../../src/shared/protocol';

const PHOTO = 'b'.repeat(64);
const emptyFinding = (): Finding => ({ id: randomUUID().slice(0, 8), positionId: 'lf', itemId: '', type: '', severity: '', marker: { x: 0.2, y: 0.3 }, photos: [], note: '', createdAt: '2025-03-01T08:05:00.000Z', foundAt: 'intake' });

function withFindings(i: Intake, findings: Finding[], items: Record<string, 'ok' | 'finding'> | null = null): Intake {
  const positions = items ? { ...i.walkaround.positions, lf: { items, noDamage: false, completedAt: null } } : i.walkaround.positions;
  return { ...i, walkaround: { positions, findings } };
}

describe.each(backends())('server refuses to sign an incomplete intake on %s', (backend) => {
  let env: TestApp;
  let a: Tablet;
  beforeAll(async () => {
    env = await startApp(backend);
    a = await loginAs(injectTransport(env.app), demo.advisor, 'hostile tablet');
  });
  afterAll(() => env.close());

  async function serverCopy(id: string): Promise<Intake> {
    const got = await a.req<{ intake: Intake }>('GET', `/api/intakes/${id}`);
    expect(got.status).toBe(200);
    return got.body.intake;
  }

  it('an empty damage entry: rejected with the finding named, the draft stays a draft', async () => {
    const d = draft();
    const f = emptyFinding();
    const bad = withFindings(d, [f]);
    const r = await a.push([mCreate(bad), mSign(bad)]);
    expect(r.results[0]?.status).toBe('applied');
    expect(r.results[1]).toMatchObject({ status: 'rejected' });
    expect(r.results[1]?.retry).toBeUndefined();
    expect(r.results[1]?.reason).toMatch(/^record\.incomplete/);
    expect(r.results[1]?.reason).toContain(`ready.finding:${f.id}`);
    expect(r.results[1]?.reason).toContain(`ready.findingPhoto:${f.id}`);
    const stored = await serverCopy(d.id);
    expect(stored.status).toBe('draft');
    expect(stored.contentHash).toBeNull();
    expect(stored.signatures).toEqual([]);
  });

  it('a position with one finding and unlooked-at items: rejected naming the position', async () => {
    const d = draft();
    const f: Finding = { ...emptyFinding(), itemId: 'lf-door', type: 'scratch', severity: 'minor', photos: [PHOTO] };
    const bad = withFindings(d, [f], { 'lf-door': 'finding' });
    const r = await a.push([mCreate(bad), mSign(bad)]);
    expect(r.results[1]?.status).toBe('rejected');
    expect(r.results[1]?.reason).toContain('ready.position:lf');
    expect((await serverCopy(d.id)).status).toBe('draft');
    // "其余项目正常": every other item OK, and the photo-less reason rule met by the photo: accepted.
    const good = withFindings(d, [f], { 'lf-door': 'finding', 'lf-fender': 'ok', 'lf-mirror': 'ok', 'lf-window': 'ok', 'lf-wheel': 'ok' });
    const ok = await a.push([mSign(good)]);
    expect(ok.results[0]?.status).toBe('applied');
    const signed = await serverCopy(d.id);
    expect(signed.status).toBe('signed');
    expect(signed.contentHash).toBe(contentHash(good));
  });

  it('a finding without photo needs the reason; with it the signature is accepted', async () => {
    const d = draft();
    const f: Finding = { ...emptyFinding(), itemId: 'lf-door', type: 'dent', severity: 'moderate' };
    const items = { 'lf-door': 'finding', 'lf-fender': 'ok', 'lf-mirror': 'ok', 'lf-window': 'ok', 'lf-wheel': 'ok' } as const;
    const noPhoto = withFindings(d, [f], { ...items });
    const r = await a.push([mCreate(noPhoto), mSign(noPhoto)]);
    expect(r.results[1]?.reason).toContain(`ready.findingPhoto:${f.id}`);
    const withReason = withFindings(d, [{ ...f, noPhotoReason: '顾客不同意拍照' }], { ...items });
    expect((await a.push([mSign(withReason)])).results[0]?.status).toBe('applied');
    expect((await serverCopy(d.id)).walkaround.findings[0]?.noPhotoReason).toBe('顾客不同意拍照');
  });

  it('an empty draft pushed as an already signed create: rejected, nothing stored', async () => {
    const e = emptyDraft();
    const hash = contentHash(e);
    const signedEmpty: Intake = { ...e, status: 'signed', contentHash: hash, signedAt: '2025-03-01T09:00:00.000Z', signatures: [{ ...signature(hash) }] };
    const m: Mutation = mCreate(signedEmpty);
    const r = await a.push([m]);
    expect(r.results[0]?.status).toBe('rejected');
    expect(r.results[0]?.reason).toMatch(/^record\.incomplete/);
    const got = await a.req('GET', `/api/intakes/${e.id}`);
    expect(got.status).toBe(404);
  });
});
