/**
 * Geometry of the top-view diagram, kept pure so it can be tested without a browser: where a
 * tap lands in 0..1 diagram coordinates, which position it falls in, where labels go.
 */
import { positionAt, type Template, type TemplatePosition } from '../../shared/template/template';

/** The SVG's drawing size (viewBox). Aspect of a car seen from above with room for labels. */
export const DIAGRAM_W = 400;
export const DIAGRAM_H = 560;

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * A click at (clientX, clientY) on an SVG element occupying `rect` on screen → 0..1 diagram
 * coordinates. Honours the default preserveAspectRatio (xMidYMid meet): if the element's box has
 * a different aspect, the drawing is centred and letter-boxed.
 */
export function clientToDiagram(rect: Rect, clientX: number, clientY: number, vbW = DIAGRAM_W, vbH = DIAGRAM_H): { x: number; y: number } {
  const scale = Math.min(rect.width / vbW, rect.height / vbH);
  if (!(scale > 0)) return { x: 0.5, y: 0.5 };
  const offX = (rect.width - vbW * scale) / 2;
  const offY = (rect.height - vbH * scale) / 2;
  const x = (clientX - rect.left - offX) / scale / vbW;
  const y = (clientY - rect.top - offY) / scale / vbH;
  return { x: round4(clamp01(x)), y: round4(clamp01(y)) };
}

/** Four decimals: sub-pixel precision at any print size, and a stable, small record. */
function round4(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}

/** The position a point falls in; for a point in no region, the region nearest to it. */
export function positionNear(template: Template, x: number, y: number): TemplatePosition | null {
  const inside = positionAt(template, x, y);
  if (inside) return inside;
  let best: TemplatePosition | null = null;
  let bestD = Infinity;
  for (const p of template.positions) {
    const r = p.region;
    const dx = Math.max(r.x - x, 0, x - (r.x + r.w));
    const dy = Math.max(r.y - y, 0, y - (r.y + r.h));
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return best;
}

/** The centre of a position's region (the keyboard alternative to tapping). */
export function regionCentre(p: TemplatePosition): { x: number; y: number } {
  return { x: round4(p.region.x + p.region.w / 2), y: round4(p.region.y + p.region.h / 2) };
}

/** Is the marker inside this position's region? */
export function markerInPosition(p: TemplatePosition, m: { x: number; y: number }): boolean {
  const r = p.region;
  return m.x >= r.x && m.x <= r.x + r.w && m.y >= r.y && m.y <= r.y + r.h;
}

/** The car body spans this horizontal band; side labels go in the free strips either side. */
export const BODY_X0 = 0.25;
export const BODY_X1 = 0.75;

/** Where a position's number and label are drawn (0..1): off the body for side positions. */
export function labelPoint(p: TemplatePosition): { x: number; y: number } {
  const r = p.region;
  const cy = r.y + r.h / 2;
  // Regions spanning the body (front, rear) are labelled in the left strip too, so no label
  // covers the bumper, where damage is tapped.
  const spansBody = r.x <= BODY_X0 && r.x + r.w >= BODY_X1;
  const cx = spansBody ? 0 : r.x + r.w / 2;
  return { x: cx < 0.5 ? BODY_X0 / 2 - 0.005 : 1 - BODY_X0 / 2 + 0.005, y: cy };
}

/** A position label's box in drawing units (number circle above, name below; see VehicleDiagram). */
export function labelBox(p: TemplatePosition, vbW = DIAGRAM_W, vbH = DIAGRAM_H): { x0: number; x1: number; y0: number; y1: number } {
  const lp = labelPoint(p);
  const cx = lp.x * vbW;
  const cy = lp.y * vbH;
  return { x0: cx - 42, x1: cx + 42, y0: cy - 28, y1: cy + 21 };
}

/** A marker's radius in drawing units, with room for its outline. */
export const MARKER_R = 15;

/**
 * Where a marker is DRAWN (drawing units): where it was tapped, unless its disc would cover a
 * position's label ("左●前"); then it is moved straight up or down just clear of the label.
 * The stored marker keeps the tapped point; only the drawing moves, by a few millimetres.
 */
export function markerDrawPoint(template: Template, m: { x: number; y: number }, vbW = DIAGRAM_W, vbH = DIAGRAM_H): { x: number; y: number } {
  const x = m.x * vbW;
  let y = m.y * vbH;
  for (const p of template.positions) {
    const b = labelBox(p, vbW, vbH);
    if (x + MARKER_R <= b.x0 || x - MARKER_R >= b.x1 || y + MARKER_R <= b.y0 || y - MARKER_R >= b.y1) continue;
    const up = b.y0 - MARKER_R - 1;
    const down = b.y1 + MARKER_R + 1;
    y = (y < (b.y0 + b.y1) / 2 && up >= MARKER_R) || down > vbH - MARKER_R ? up : down;
  }
  return { x, y };
}
