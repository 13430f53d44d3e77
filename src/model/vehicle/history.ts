/**
 * The car's history as pure rules, run by the tablet (offline, on the intakes it holds) and by the
 * server (GET /api/vehicles: open items) alike. Every rule reads only SIGNED visits.
 *
 * Carrying forward works visit to visit: a new intake copies the open items of the car's newest
 * signed visit into its `history` section, the advisor marks them, the customer signs, and the
 * next visit starts from that one. So the open items of a car are always those of its newest visit:
 * - damage: the earlier damage that visit copied in and marked still there (or left unmarked),
 *   except what a new finding of that visit links to (the new finding carries it on, keeping the
 *   date it was first found), plus every finding that visit recorded: at the intake, and new
 *   damage the technician's signed check or the signed handover of that visit added;
 * - work: its recommendations declined ('later'), and work carried to it and declined again or
 *   not taken onto that order; safety items first, then oldest first.
 */
import type { Finding, Intake } from '../intake/schema';
import { LIMITS } from '../text';
import type { CarriedWork, HistorySection, PreviousDamage } from './historySection';

/** The repeat-repair window (重复维修): a visit of the same car within this many days. */
export const REPEAT_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

const signedAtOf = (i: Intake): string => i.signedAt ?? i.updatedAt;

/** Signed visits, newest first. */
export function visitsNewestFirst(visits: readonly Intake[]): Intake[] {
  return visits.filter((v) => v.status === 'signed').sort((a, b) => signedAtOf(b).localeCompare(signedAtOf(a)));
}

/** A visit's follow-up records, as far as the history reads them (the technician's check, the handover). */
export interface FollowUpFindings {
  status: 'draft' | 'signed';
  signedAt: string | null;
  newFindings: readonly Finding[];
}

/**
 * Damage of this signed visit that the next visit must show as pre-existing. `later`: the visit's
 * technician checks and handovers; the new damage of the signed ones counts, found on the day it
 * was signed (a draft's may still change, so it waits).
 */
export function openDamage(visit: Intake, later: readonly FollowUpFindings[] = []): PreviousDamage[] {
  const at = signedAtOf(visit);
  const previous = visit.history?.previous ?? [];
  const linked = new Map(previous.filter((p) => p.linkedFindingId).map((p) => [p.linkedFindingId as string, p]));
  const out: PreviousDamage[] = previous
    .filter((p) => !p.linkedFindingId && (p.status === 'present' || p.status === null))
    .map((p) => ({ ...p, status: null, linkedFindingId: null }));
  /** A finding of this visit as damage the next visit shows: under the key and date it was first recorded. */
  const damage = (f: Finding, key: string, foundOn: string): PreviousDamage => ({
    key,
    intakeId: visit.id,
    findingId: f.id,
    foundOn,
    positionId: f.positionId,
    itemId: f.itemId,
    type: f.type,
    severity: f.severity,
    marker: f.marker,
    photos: f.photos,
    note: f.note,
    status: null,
    linkedFindingId: null,
  });
  for (const f of visit.walkaround.findings) {
    const origin = linked.get(f.id);
    out.push(damage(f, origin?.key ?? `${visit.id}/${f.id}`, origin?.foundOn ?? at));
  }
  const seen = new Set(out.map((d) => d.findingId));
  for (const r of later) {
    if (r.status !== 'signed') continue;
    for (const f of r.newFindings) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      out.push(damage(f, `${visit.id}/${f.id}`, r.signedAt ?? at));
    }
  }
  return out;
}

/** Declined or not-yet-done work of this signed visit, to offer again (safety first, oldest first). */
export function carriedWork(visit: Intake): CarriedWork[] {
  const at = signedAtOf(visit);
  const recs = new Map(visit.work.recommendations.map((r) => [r.id, r]));
  const out: CarriedWork[] = [];
  const taken = new Set<string>();
  for (const c of visit.history?.carried ?? []) {
    if (c.recommendationId === null) out.push({ ...c, source: 'notCorrected' });
    else {
      taken.add(c.recommendationId);
      const r = recs.get(c.recommendationId);
      if (r?.decision === 'later') out.push({ ...c, title: r.title, safety: r.safety, source: 'declined', recommendationId: null });
    }
  }
  for (const r of visit.work.recommendations) {
    if (taken.has(r.id) || r.decision !== 'later') continue;
    out.push({ key: `${visit.id}/${r.id}`, title: r.title, safety: r.safety, source: 'declined', firstFoundAt: at, recommendationId: null });
  }
  return out.sort((a, b) => Number(b.safety) - Number(a.safety) || a.firstFoundAt.localeCompare(b.firstFoundAt));
}

/** The history section a new intake of this car starts with (from its newest signed visit). */
export function historyFor(vehicleId: string, visits: readonly Intake[], laterOf: (intakeId: string) => readonly FollowUpFindings[] = () => []): HistorySection {
  const last = visitsNewestFirst(visits)[0];
  if (!last) return { vehicleId, lastVisit: null, previous: [], carried: [] };
  return {
    vehicleId,
    lastVisit: { intakeId: last.id, at: signedAtOf(last), odometerKm: last.visit.odometerKm },
    previous: openDamage(last, laterOf(last.id)).slice(0, LIMITS.findings),
    carried: carriedWork(last),
  };
}

/** The odometer typed now is lower than at the last visit (a typo, a replaced cluster, or another car). */
export function odometerLower(lastKm: number | null | undefined, nowKm: number | null | undefined): boolean {
  return typeof lastKm === 'number' && typeof nowKm === 'number' && nowKm < lastKm;
}

// -- repeat repair (重复维修) ------------------------------------------------------------------

/** Lower case, without spaces and punctuation (Chinese or Latin). */
export function normaliseWork(s: string): string {
  return s.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < s.length - 1; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Two descriptions of a fault or a job say the same thing: equal, one containing the other, or
 *  at least half of their character pairs shared (Dice ≥ 0.5; Chinese has no spaces to split words on). */
export function sameWork(a: string, b: string): boolean {
  const x = normaliseWork(a);
  const y = normaliseWork(b);
  if (x.length < 2 || y.length < 2) return false;
  if (x === y || x.includes(y) || y.includes(x)) return true;
  const bx = bigrams(x);
  const by = bigrams(y);
  let shared = 0;
  for (const g of bx) if (by.has(g)) shared++;
  return (2 * shared) / (bx.size + by.size) >= 0.5;
}

export interface RepeatMatch {
  intakeId: string;
  at: string;
  what: 'complaint' | 'work';
  /** The earlier visit's words. */
  text: string;
}

function workTitles(i: Intake): string[] {
  return [...i.work.recommendations.filter((r) => r.decision !== 'later').map((r) => r.title), ...i.work.addedServices.map((s) => s.title)].filter((t) => t.trim());
}

/**
 * Earlier signed visits of the same car within `windowDays` before this intake whose complaint or
 * work matches this intake's complaint or work: the repeat-repair flag (empty: not a repeat).
 */
export function repeatMatches(intake: Intake, earlier: readonly Intake[], windowDays: number = REPEAT_WINDOW_DAYS): RepeatMatch[] {
  const start = Date.parse(intake.createdAt);
  const mine = [intake.complaint.symptom, ...workTitles(intake)].filter((t) => t.trim());
  if (!mine.length) return [];
  const out: RepeatMatch[] = [];
  for (const v of visitsNewestFirst(earlier)) {
    if (v.id === intake.id) continue;
    const at = signedAtOf(v);
    const age = start - Date.parse(at);
    if (age < 0 || age > windowDays * DAY_MS) continue;
    const symptom = v.complaint.symptom;
    if (symptom.trim() && mine.some((m) => sameWork(m, symptom))) {
      out.push({ intakeId: v.id, at, what: 'complaint', text: symptom });
      continue;
    }
    const job = workTitles(v).find((t) => mine.some((m) => sameWork(m, t)));
    if (job) out.push({ intakeId: v.id, at, what: 'work', text: job });
  }
  return out;
}
