/**
 * The intake mutations: create, patch (section merge with per-section revisions), sign (server
 * recomputes the content hash; frozen afterwards) and amend (must refer to the signed hash).
 * Rows live in `intakes` (read and written through the push's IntakeCache): `data` is the whole
 * protocol record, `section_revs` the per-section revision counters, `seq` the change sequence
 * number of the latest change (what pulls order by).
 */
import { z } from 'zod';
import { canonicalJson } from '../../shared/canonicalJson';
import { contentHash } from '../../model/intake/signedContent';
import { intakeContentSchema, SECTIONS, type Intake, type SectionName } from '../../model/intake/schema';
import type { Mutation, MutationResult } from '../../shared/protocol';
import type { IntakeRow } from './intakeCache';
import type { OpContext, Outcome } from './apply';
import { isFrozen } from '../../model/frozen';
import { MAX_RECORD_JSON_BYTES, recordJsonBytes } from '../../model/text';
import { readinessDetail, readinessIssues } from '../../model/intake/readiness';

type M<Op extends Mutation['op']> = Extract<Mutation, { op: Op }>;

export const SIGNED_REASON = 'intake is signed and frozen: corrections are amendments that refer to the signed hash';
/** The start of the reason for a record over MAX_RECORD_JSON_BYTES (REST answers it with 413). */
export const TOO_LARGE_REASON = 'record too large';

const applied = (m: Mutation, seq: number, extra: Partial<MutationResult> = {}): Outcome => ({ result: { mutationId: m.id, status: 'applied', ...extra }, seq });
export const refused = (m: Mutation, reason: string): Outcome => ({ result: { mutationId: m.id, status: 'rejected', reason }, seq: null });
/** A refusal that can become valid later: answered, not recorded, sent again by the tablet. */
export const notYet = (m: Mutation, reason: string): Outcome => ({ result: { mutationId: m.id, status: 'rejected', reason, retry: true }, seq: null });

/** The reason a record is refused for its size, or null when it fits. */
export function sizeProblem(record: unknown): string | null {
  const bytes = recordJsonBytes(record);
  return bytes > MAX_RECORD_JSON_BYTES ? `${TOO_LARGE_REASON}: ${bytes} bytes of JSON, at most ${MAX_RECORD_JSON_BYTES}` : null;
}
const same = (m: Mutation, reason: string): Outcome => ({ result: { mutationId: m.id, status: 'duplicate', reason }, seq: null });

export const intakeOf = (row: IntakeRow): Intake => row.data;

const later = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? b : a);
const zeroRevs = () => Object.fromEntries(SECTIONS.map((s) => [s, 0]));

/** The start of the reason for a signature over an incomplete record (the model's readiness). */
export const INCOMPLETE_REASON = 'record.incomplete';

/**
 * The same readiness the tablet checks before it signs (src/model/intake/readiness.ts): a
 * tablet that skips it (an old client, a hostile one) gets a final refusal naming the gaps, and
 * nothing is stored. The content never becomes complete by waiting, so this is not `retry`.
 */
function incompleteProblem(content: Parameters<typeof readinessIssues>[0]): string | null {
  const gaps = readinessIssues(content);
  return gaps.length ? `${INCOMPLETE_REASON}: signing needs a complete record; missing ${readinessDetail(gaps)}` : null;
}

function signatureProblem(hash: string, claimed: string | null, signatures: { contentHash: string }[]): string | null {
  if (claimed !== hash) return `hash mismatch: the server computes ${hash} for this content, the tablet sent ${claimed ?? 'none'}`;
  if (signatures.some((s) => s.contentHash !== hash)) return 'hash mismatch: a signature is bound to a different content hash';
  return null;
}

/**
 * A staff signature (advisor, technician) must carry the acting staff member's name as the staff
 * table has it. A different name may be a colleague's signature waiting for them to sync on this
 * tablet: not yet (retry), never stored under someone else.
 */
function staffSignatureProblem(ctx: OpContext, m: Mutation, signatures: { role: string; name: string }[]): Outcome | null {
  const other = signatures.find((s) => s.role !== 'customer' && s.name !== ctx.author.staffName);
  return other ? notYet(m, `the ${other.role} signature must carry the acting staff member's name (${ctx.author.staffName}), not ${other.name}`) : null;
}

async function update(ctx: OpContext, row: IntakeRow, data: Intake, revs: Record<string, number>): Promise<number> {
  const rel = ctx.nextSeq();
  ctx.intakes.put({ ...row, data, sectionRevs: revs, rel });
  return rel;
}

async function insert(ctx: OpContext, data: Intake, revs: Record<string, number>): Promise<number> {
  const rel = ctx.nextSeq();
  ctx.intakes.put({ id: data.id, data, sectionRevs: revs, readSeq: null, rel });
  return rel;
}

export async function applyCreate(ctx: OpContext, m: M<'create'>): Promise<Outcome> {
  const given = m.intake;
  if (given.id !== m.intakeId) return refused(m, 'intakeId does not match the record id');
  const row = await ctx.intakes.get(m.intakeId);
  if (row) {
    const cur = intakeOf(row);
    if (contentHash(cur) === contentHash(given)) return same(m, 'intake already exists with this content');
    return refused(m, isFrozen(cur) ? SIGNED_REASON : 'an intake with this id already exists with different content');
  }
  if (isFrozen(given)) {
    const hash = contentHash(given);
    const problem = signatureProblem(hash, given.contentHash, given.signatures);
    if (problem) return refused(m, problem);
    if (!given.signatures.length || !given.signedAt) return refused(m, 'a signed intake needs its signatures and signedAt');
    const signer = staffSignatureProblem(ctx, m, given.signatures);
    if (signer) return signer;
    const incomplete = incompleteProblem(given);
    if (incomplete) return refused(m, incomplete);
    if (given.amendments.some((a) => a.refersTo !== hash)) return refused(m, 'an amendment refers to a different hash');
    const big = sizeProblem(given);
    if (big) return refused(m, big);
    return applied(m, await insert(ctx, given, zeroRevs()));
  }
  const draft: Intake = { ...given, contentHash: null, signedAt: null, signatures: [], amendments: [] };
  const big = sizeProblem(draft);
  if (big) return refused(m, big);
  return applied(m, await insert(ctx, draft, zeroRevs()));
}

function issuesText(e: z.ZodError): string {
  return e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`)
    .join('; ');
}

export async function applyPatch(ctx: OpContext, m: M<'patch'>): Promise<Outcome> {
  const row = await ctx.intakes.get(m.intakeId);
  if (!row) return notYet(m, 'unknown intake: push its create first');
  const cur = intakeOf(row);
  if (isFrozen(cur)) return refused(m, SIGNED_REASON);
  const section: SectionName = m.section;
  const parsed = intakeContentSchema.shape[section].safeParse(m.value);
  if (!parsed.success) return refused(m, `invalid value for section ${section}: ${issuesText(parsed.error)}`);
  const revs = { ...zeroRevs(), ...row.sectionRevs };
  const rev = revs[section] ?? 0;
  if ((m.baseRev ?? 0) !== rev) {
    return { result: { mutationId: m.id, status: 'conflict', reason: `section ${section} changed on the server (revision ${rev}, based on ${m.baseRev ?? 'none'})`, sectionRev: rev, serverValue: cur[section] }, seq: null };
  }
  const next: Intake = { ...cur, [section]: parsed.data, updatedAt: later(cur.updatedAt, m.at) };
  const big = sizeProblem(next);
  if (big) return refused(m, big);
  revs[section] = rev + 1;
  return applied(m, await update(ctx, row, next, revs), { sectionRev: rev + 1 });
}

export async function applySign(ctx: OpContext, m: M<'sign'>): Promise<Outcome> {
  if (m.content.id !== m.intakeId) return refused(m, 'intakeId does not match the content id');
  const hash = contentHash(m.content);
  const problem = signatureProblem(hash, m.contentHash, m.signatures);
  if (problem) return refused(m, problem);
  const signer = staffSignatureProblem(ctx, m, m.signatures);
  if (signer) return signer;
  const row = await ctx.intakes.get(m.intakeId);
  const cur = row ? intakeOf(row) : null;
  if (cur && isFrozen(cur)) {
    return cur.contentHash === hash ? same(m, 'already signed with this content') : refused(m, 'intake is already signed with a different content hash');
  }
  const content = intakeContentSchema.parse(m.content); // exactly the content keys
  const incomplete = incompleteProblem(content);
  if (incomplete) return refused(m, incomplete);
  const data: Intake = {
    ...content,
    status: 'signed',
    updatedAt: cur ? later(cur.updatedAt, m.at) : m.at,
    contentHash: hash,
    signedAt: m.signedAt,
    signatures: m.signatures,
    amendments: [],
  };
  const big = sizeProblem(data);
  if (big) return refused(m, big);
  if (!row || !cur) return applied(m, await insert(ctx, data, zeroRevs()));
  const revs = { ...zeroRevs(), ...row.sectionRevs };
  // ?? null: a section an older intake lacks (history) compares as empty, never as a crash
  for (const s of SECTIONS) if (canonicalJson(cur[s] ?? null) !== canonicalJson(data[s] ?? null)) revs[s] = (revs[s] ?? 0) + 1;
  return applied(m, await update(ctx, row, data, revs));
}

export async function applyAmend(ctx: OpContext, m: M<'amend'>): Promise<Outcome> {
  const row = await ctx.intakes.get(m.intakeId);
  if (!row) return notYet(m, 'unknown intake: push its create first');
  const cur = intakeOf(row);
  if (!isFrozen(cur) || !cur.contentHash) return notYet(m, 'the intake is not signed yet: only a signed intake can be amended');
  if (m.amendment.refersTo !== cur.contentHash) return refused(m, 'the amendment must refer to the signed content hash');
  const existing = cur.amendments.find((a) => a.id === m.amendment.id);
  if (existing) {
    return canonicalJson(existing) === canonicalJson(m.amendment) ? same(m, 'amendment already stored') : refused(m, 'an amendment with this id already exists');
  }
  const data: Intake = { ...cur, amendments: [...cur.amendments, m.amendment], updatedAt: later(cur.updatedAt, m.at) };
  const big = sizeProblem(data);
  if (big) return refused(m, big);
  return applied(m, await update(ctx, row, data, { ...row.sectionRevs }));
}
