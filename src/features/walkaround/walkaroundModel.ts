/**
 * The walk-around's rules as pure functions over the section value (no React, no storage), so
 * the step stays a thin view and the rules are tested table-style. What "complete" means is the
 * model's (src/model/intake/findings.ts), shared with readiness and the server:
 *
 * - a position is complete only when EVERY item has an explicit result: OK, or a finding on it.
 *   "No damage here" (本方位无损伤) sets every item OK; with a finding, "the rest are OK"
 *   (其余项目正常) sets the items still without a result. Completion stamps completedAt, losing
 *   it clears it;
 * - "no damage here" cannot stand next to a finding: adding a finding clears it, and it cannot
 *   be ticked while findings exist;
 * - an item with a finding is 'finding'; an item whose last finding is deleted goes back to
 *   unchecked (the advisor looks again rather than it silently becoming OK).
 */
import type { Finding, IntakeContent, PositionState } from '../../model/intake/schema';
import type { Template, TemplatePosition } from '../../shared/template/template';
import { defaultTemplate, positionsInOrder } from '../../shared/template/template';
import { findingGaps as modelFindingGaps, positionDone, uncheckedItems } from '../../model/intake/findings';

export type WalkaroundSection = IntakeContent['walkaround'];

export const MAX_PHOTOS_PER_FINDING = 20;

const emptyPosition = (): PositionState => ({ items: {}, noDamage: false, completedAt: null });

export function positionState(s: WalkaroundSection, positionId: string): PositionState {
  return s.positions[positionId] ?? emptyPosition();
}

export function findingsAt(s: WalkaroundSection, positionId: string): Finding[] {
  return s.findings.filter((f) => f.positionId === positionId);
}

const positionOf = (t: Template, positionId: string): Pick<TemplatePosition, 'id' | 'items'> => t.positions.find((p) => p.id === positionId) ?? { id: positionId, items: [] };

/** Same rule as readiness.positionComplete, over the section alone: every item has a result. */
export function isComplete(s: WalkaroundSection, positionId: string, t: Template = defaultTemplate): boolean {
  return positionDone(s, positionOf(t, positionId));
}

/** The position's items still without a result (what "其余项目正常" would set OK). */
export function itemsLeft(s: WalkaroundSection, position: Pick<TemplatePosition, 'id' | 'items'>): string[] {
  return uncheckedItems(s, position);
}

/** Stamp or clear completedAt after a change of the position's items or findings. */
function stamp(s: WalkaroundSection, positionId: string, now: string, t: Template): WalkaroundSection {
  const st = positionState(s, positionId);
  const done = positionDone(s, positionOf(t, positionId));
  const completedAt = done ? (st.completedAt ?? now) : null;
  if (completedAt === st.completedAt && s.positions[positionId]) return s;
  return { ...s, positions: { ...s.positions, [positionId]: { ...st, completedAt } } };
}

/** Re-derive item statuses and completion of one position after its findings changed. */
function settle(s: WalkaroundSection, positionId: string, now: string, t: Template): WalkaroundSection {
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
  return stamp({ ...s, positions: { ...s.positions, [positionId]: { items, noDamage, completedAt: prev.completedAt } } }, positionId, now, t);
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

export function addFinding(s: WalkaroundSection, f: Finding, now: string, t: Template = defaultTemplate): WalkaroundSection {
  return settle({ ...s, findings: [...s.findings, f] }, f.positionId, now, t);
}

export type FindingPatch = Partial<Omit<Finding, 'id' | 'createdAt' | 'foundAt'>>;

export function updateFinding(s: WalkaroundSection, id: string, patch: FindingPatch, now: string, t: Template = defaultTemplate): WalkaroundSection {
  const old = s.findings.find((f) => f.id === id);
  if (!old) return s;
  const next = { ...s, findings: s.findings.map((f) => (f.id === id ? withoutEmptyReason({ ...f, ...patch }) : f)) };
  let out = settle(next, old.positionId, now, t);
  if (patch.positionId && patch.positionId !== old.positionId) out = settle(out, patch.positionId, now, t);
  return out;
}

/** An empty "why no photo" is left out of the record rather than stored as "". */
function withoutEmptyReason(f: Finding): Finding {
  if (f.noPhotoReason === undefined || f.noPhotoReason !== '') return f;
  const { noPhotoReason: _, ...rest } = f;
  return rest;
}

export function deleteFinding(s: WalkaroundSection, id: string, now: string, t: Template = defaultTemplate): WalkaroundSection {
  const old = s.findings.find((f) => f.id === id);
  if (!old) return s;
  return settle({ ...s, findings: s.findings.filter((f) => f.id !== id) }, old.positionId, now, t);
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
  // Unticking takes the claim back for every item: they are unchecked again (there are no
  // findings here, so nothing but OKs is lost), and the position is incomplete.
  if (!value) for (const item of Object.keys(items)) if (items[item] === 'ok') delete items[item];
  const st: PositionState = { items, noDamage: value, completedAt: value ? (prev.completedAt ?? now) : null };
  return { ...s, positions: { ...s.positions, [position.id]: st } };
}

/**
 * "其余项目正常": with findings at the position, every item still without a result is OK.
 * The findings stay; "no damage here" stays off (there is damage here).
 */
export function setRestOk(s: WalkaroundSection, position: TemplatePosition, now: string, t: Template = defaultTemplate): WalkaroundSection {
  const left = uncheckedItems(s, position);
  if (left.length === 0) return s;
  const prev = positionState(s, position.id);
  const items = { ...prev.items };
  for (const item of left) items[item] = 'ok';
  return stamp({ ...s, positions: { ...s.positions, [position.id]: { ...prev, items } } }, position.id, now, t);
}

/** Mark an item OK (refused while it has findings) or clear its status. */
export function setItemOk(s: WalkaroundSection, positionId: string, itemId: string, ok: boolean, now = new Date().toISOString(), t: Template = defaultTemplate): WalkaroundSection {
  if (s.findings.some((f) => f.positionId === positionId && f.itemId === itemId)) return s;
  const prev = positionState(s, positionId);
  const items = { ...prev.items };
  if (ok) items[itemId] = 'ok';
  else delete items[itemId];
  // Clearing an item takes back "no damage here": that claim covered this item too.
  const noDamage = ok ? prev.noDamage : false;
  return stamp({ ...s, positions: { ...s.positions, [positionId]: { ...prev, items, noDamage } } }, positionId, now, t);
}

/** Where to start: the first position (walking order) not yet complete, else the first. */
export function firstIncomplete(t: Template, s: WalkaroundSection): string {
  const order = positionsInOrder(t);
  return (order.find((p) => !positionDone(s, p)) ?? order[0])?.id ?? '';
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

/** A finding still missing what the record needs (the model's rule: part, type, severity, photo or reason). */
export const findingGaps = modelFindingGaps;
