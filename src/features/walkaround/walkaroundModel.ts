/**
 * The walk-around's rules as pure functions over the section value (no React, no storage), so
 * the step stays a thin view and the rules are tested table-style:
 *
 * - a position is complete with at least one finding or an explicit "no damage here"
 *   (本方位无损伤); completion stamps completedAt, losing completion clears it;
 * - "no damage here" cannot stand next to a finding: adding a finding clears it, and it cannot
 *   be ticked while findings exist;
 * - an item with a finding is 'finding'; an item whose last finding is deleted goes back to
 *   unchecked (the advisor looks again rather than it silently becoming OK).
 */
import type { Finding, IntakeContent, PositionState } from '../../model/intake/schema';
import type { Template, TemplatePosition } from '../../shared/template/template';
import { positionsInOrder } from '../../shared/template/template';

export type WalkaroundSection = IntakeContent['walkaround'];

export const MAX_PHOTOS_PER_FINDING = 20;

const emptyPosition = (): PositionState => ({ items: {}, noDamage: false, completedAt: null });

export function positionState(s: WalkaroundSection, positionId: string): PositionState {
  return s.positions[positionId] ?? emptyPosition();
}

export function findingsAt(s: WalkaroundSection, positionId: string): Finding[] {
  return s.findings.filter((f) => f.positionId === positionId);
}

/** Same rule as readiness.positionComplete, over the section alone. */
export function isComplete(s: WalkaroundSection, positionId: string): boolean {
  const st = s.positions[positionId];
  if (!st || !st.completedAt) return false;
  return st.noDamage || s.findings.some((f) => f.positionId === positionId);
}

/** Re-derive item statuses and completion of one position after its findings changed. */
function settle(s: WalkaroundSection, positionId: string, now: string): WalkaroundSection {
  const prev = positionState(s, positionId);
  const here = findingsAt(s, positionId);
  const withFinding = new Set(here.map((f) => f.itemId).filter(Boolean));
  const items: PositionState['items'] = {};
  for (const [item, status] of Object.entries(prev.items)) {
    if (status === 'finding' && !withFinding.has(item)) continue; // back to unchecked
    items[item] = status;
  }
  for (const item of withFinding) items[item] = 'finding';
  const noDamage = here.length > 0 ? false : prev.noDamage;
  const complete = here.length > 0 || noDamage;
  const completedAt = complete ? (prev.completedAt ?? now) : null;
  return { ...s, positions: { ...s.positions, [positionId]: { items, noDamage, completedAt } } };
}

export function newFinding(opts: { id: string; positionId: string; itemId?: string; marker?: Finding['marker']; now: string }): Finding {
  return {
    id: opts.id,
    positionId: opts.positionId,
    itemId: opts.itemId ?? '',
    type: '',
    severity: '',
    marker: opts.marker ?? null,
    photos: [],
    note: '',
    createdAt: opts.now,
    foundAt: 'intake',
  };
}

export function addFinding(s: WalkaroundSection, f: Finding, now: string): WalkaroundSection {
  return settle({ ...s, findings: [...s.findings, f] }, f.positionId, now);
}

export function updateFinding(s: WalkaroundSection, id: string, patch: Partial<Omit<Finding, 'id' | 'createdAt' | 'foundAt'>>, now: string): WalkaroundSection {
  const old = s.findings.find((f) => f.id === id);
  if (!old) return s;
  const next = { ...s, findings: s.findings.map((f) => (f.id === id ? { ...f, ...patch } : f)) };
  let out = settle(next, old.positionId, now);
  if (patch.positionId && patch.positionId !== old.positionId) out = settle(out, patch.positionId, now);
  return out;
}

export function deleteFinding(s: WalkaroundSection, id: string, now: string): WalkaroundSection {
  const old = s.findings.find((f) => f.id === id);
  if (!old) return s;
  return settle({ ...s, findings: s.findings.filter((f) => f.id !== id) }, old.positionId, now);
}

export function addPhoto(s: WalkaroundSection, findingId: string, hash: string): WalkaroundSection {
  return {
    ...s,
    findings: s.findings.map((f) =>
      f.id === findingId && !f.photos.includes(hash) && f.photos.length < MAX_PHOTOS_PER_FINDING ? { ...f, photos: [...f.photos, hash] } : f,
    ),
  };
}

export function removePhoto(s: WalkaroundSection, findingId: string, hash: string): WalkaroundSection {
  return { ...s, findings: s.findings.map((f) => (f.id === findingId ? { ...f, photos: f.photos.filter((h) => h !== hash) } : f)) };
}

/**
 * Tick or untick "no damage here". Refused (unchanged) while the position has findings.
 * Ticking marks every not-yet-checked item OK: that is what the advisor has just said.
 */
export function setNoDamage(s: WalkaroundSection, position: TemplatePosition, value: boolean, now: string): WalkaroundSection {
  if (findingsAt(s, position.id).length > 0) return s;
  const prev = positionState(s, position.id);
  const items = { ...prev.items };
  if (value) for (const item of position.items) if (!items[item]) items[item] = 'ok';
  const st: PositionState = { items, noDamage: value, completedAt: value ? (prev.completedAt ?? now) : null };
  return { ...s, positions: { ...s.positions, [position.id]: st } };
}

/** Mark an item OK (refused while it has findings) or clear its status. */
export function setItemOk(s: WalkaroundSection, positionId: string, itemId: string, ok: boolean): WalkaroundSection {
  if (s.findings.some((f) => f.positionId === positionId && f.itemId === itemId)) return s;
  const prev = positionState(s, positionId);
  const items = { ...prev.items };
  if (ok) items[itemId] = 'ok';
  else delete items[itemId];
  return { ...s, positions: { ...s.positions, [positionId]: { ...prev, items } } };
}

/** Where to start: the first position (walking order) not yet complete, else the first. */
export function firstIncomplete(t: Template, s: WalkaroundSection): string {
  const order = positionsInOrder(t);
  return (order.find((p) => !isComplete(s, p.id)) ?? order[0])?.id ?? '';
}

/** The position after this one in walking order, or null at the last. */
export function nextPosition(t: Template, positionId: string): TemplatePosition | null {
  const order = positionsInOrder(t);
  const i = order.findIndex((p) => p.id === positionId);
  return i >= 0 && i + 1 < order.length ? order[i + 1]! : null;
}

export function previousPosition(t: Template, positionId: string): TemplatePosition | null {
  const order = positionsInOrder(t);
  const i = order.findIndex((p) => p.id === positionId);
  return i > 0 ? order[i - 1]! : null;
}

/** A finding still missing what the record needs (type and severity). */
export function findingGaps(f: Finding): ('type' | 'severity' | 'item')[] {
  const gaps: ('type' | 'severity' | 'item')[] = [];
  if (!f.itemId) gaps.push('item');
  if (!f.type) gaps.push('type');
  if (!f.severity) gaps.push('severity');
  return gaps;
}
