/**
 * Signature stroke data: the pure logic behind the pad, kept out of the component so it can be
 * tested without a canvas (jsdom has none).
 *
 * A signature is stored as STROKES in CSS pixels of a pad of `width`×`height` (schema
 * `signatureSchema`), never as an image: the image can be blank after a view switch or resize
 * (enketo #1124, signature_pad #94) while the stroke data says exactly what was drawn. Whether a
 * signature is acceptable is therefore decided on the strokes, too.
 */
import type { Stroke } from '../../model/intake/schema';

/** What react-signature-canvas 1.0.7 / signature_pad 2.3.2 `toData()` returns: point groups. */
export interface PadPoint {
  x: number;
  y: number;
  time: number;
  color?: string;
}
export type PadGroups = PadPoint[][];

export interface PadSize {
  width: number;
  height: number;
}

/** The pad's current value: strokes plus the pad size they were drawn at. */
export interface PadValue extends PadSize {
  strokes: Stroke[];
}

export const DEFAULT_PEN_COLOR = '#0a1a3a';

export function strokesFromPad(groups: PadGroups): Stroke[] {
  return groups
    .filter((g) => g.length > 0)
    .map((g) => ({
      points: g.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).map((p) => ({ x: round2(p.x), y: round2(p.y), time: Math.round(p.time) })),
      penColor: g[0]?.color ?? DEFAULT_PEN_COLOR,
    }))
    .filter((s) => s.points.length > 0);
}

export function padFromStrokes(strokes: Stroke[]): PadGroups {
  // Fresh objects: signature_pad keeps the array it is given and pushes into it.
  return strokes.map((s) => s.points.map((p) => ({ x: p.x, y: p.y, time: p.time, color: s.penColor ?? DEFAULT_PEN_COLOR })));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The one uniform scale that fits a pad of size `from` into a pad of size `to` (after rotation,
 * or when Safari's toolbars change the viewport): the signature keeps its shape and always fits.
 */
export function fitScale(from: PadSize, to: PadSize): number {
  if (from.width <= 0 || from.height <= 0 || to.width <= 0 || to.height <= 0) return 1;
  return Math.min(to.width / from.width, to.height / from.height);
}

/** Stroke and point counts never change; only coordinates scale. */
export function scaleStrokes(strokes: Stroke[], s: number): Stroke[] {
  if (s === 1) return strokes;
  return strokes.map((st) => ({ ...st, points: st.points.map((p) => ({ ...p, x: round2(p.x * s), y: round2(p.y * s) })) }));
}

export function fitStrokes(strokes: Stroke[], from: PadSize, to: PadSize): Stroke[] {
  return scaleStrokes(strokes, fitScale(from, to));
}

/**
 * The strokes a pad holds, kept in the frame they were first drawn in (`base`), so rotating
 * there and back restores them exactly instead of shrinking them a little on every turn.
 * `view(size)` is what to draw on a pad of that size; `commit(current, size)` takes the pad's
 * strokes after a stroke ends (drawn in the current view) back into the base frame.
 */
export class StrokeKeeper {
  private base: PadValue | null;
  constructor(initial: PadValue | null) {
    this.base = initial && initial.strokes.length ? initial : null;
  }
  get empty(): boolean {
    return this.base === null;
  }
  reset(value: PadValue | null): void {
    this.base = value && value.strokes.length ? value : null;
  }
  view(size: PadSize): PadValue | null {
    if (!this.base) return null;
    return { strokes: fitStrokes(this.base.strokes, this.base, size), width: size.width, height: size.height };
  }
  commit(current: Stroke[], size: PadSize): PadValue | null {
    if (current.length === 0) {
      this.base = null;
      return null;
    }
    if (!this.base) this.base = { strokes: current, width: size.width, height: size.height };
    else this.base = { ...this.base, strokes: scaleStrokes(current, 1 / fitScale(this.base, size)) };
    return { strokes: current, width: size.width, height: size.height };
  }
}

export function pointCount(strokes: Stroke[]): number {
  return strokes.reduce((n, s) => n + s.points.length, 0);
}

export function pathLength(strokes: Stroke[]): number {
  let len = 0;
  for (const s of strokes)
    for (let i = 1; i < s.points.length; i++) {
      const a = s.points[i - 1]!;
      const b = s.points[i]!;
      len += Math.hypot(b.x - a.x, b.y - a.y);
    }
  return len;
}

export function boundingBox(strokes: Stroke[]): { minX: number; minY: number; maxX: number; maxY: number } | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of strokes)
    for (const p of s.points) {
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
    }
  return Number.isFinite(minX) ? { minX, minY, maxX, maxY } : null;
}

/** Thresholds, relative to the pad's shorter side so they mean the same on any tablet. */
export const SIGNATURE_RULES = {
  minPoints: 12,
  /** Total ink length ≥ this × the pad's shorter side. */
  minPathRatio: 0.5,
  /** Bounding box: the larger side ≥ this × shorter pad side … */
  minExtentRatio: 0.18,
  /** … and the smaller side ≥ this × shorter pad side (a single straight line is not a signature). */
  minThicknessRatio: 0.04,
  maxStrokes: 200,
  maxPointsPerStroke: 5000,
} as const;

export type SignatureProblem = 'empty' | 'tooFewPoints' | 'tooShort' | 'tooSmall' | 'tooComplex';

/** Why these strokes are not an acceptable signature, or null when they are. */
export function signatureProblem(strokes: Stroke[], width: number, height: number): SignatureProblem | null {
  const drawn = strokes.filter((s) => s.points.length > 0);
  if (drawn.length === 0 || width <= 0 || height <= 0) return 'empty';
  if (drawn.length > SIGNATURE_RULES.maxStrokes || drawn.some((s) => s.points.length > SIGNATURE_RULES.maxPointsPerStroke)) return 'tooComplex';
  const side = Math.min(width, height);
  if (pointCount(drawn) < SIGNATURE_RULES.minPoints) return 'tooFewPoints';
  if (pathLength(drawn) < SIGNATURE_RULES.minPathRatio * side) return 'tooShort';
  const box = boundingBox(drawn)!;
  const w = box.maxX - box.minX;
  const h = box.maxY - box.minY;
  if (Math.max(w, h) < SIGNATURE_RULES.minExtentRatio * side || Math.min(w, h) < SIGNATURE_RULES.minThicknessRatio * side) return 'tooSmall';
  return null;
}

export function isSignatureAcceptable(strokes: Stroke[], width: number, height: number): boolean {
  return signatureProblem(strokes, width, height) === null;
}

/**
 * SVG path data for one stroke: a smooth curve through the midpoints of successive points
 * (quadratic Béziers), the same look the pad draws, at any size, on screen and on paper.
 */
export function strokePathData(stroke: Stroke): string {
  const pts = stroke.points;
  if (pts.length === 0) return '';
  const f = (n: number) => String(Math.round(n * 10) / 10);
  const first = pts[0]!;
  if (pts.length === 1) return `M${f(first.x)} ${f(first.y)}l0.01 0`;
  let d = `M${f(first.x)} ${f(first.y)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const p = pts[i]!;
    const n = pts[i + 1]!;
    d += ` Q${f(p.x)} ${f(p.y)} ${f((p.x + n.x) / 2)} ${f((p.y + n.y) / 2)}`;
  }
  const last = pts[pts.length - 1]!;
  d += ` L${f(last.x)} ${f(last.y)}`;
  return d;
}
