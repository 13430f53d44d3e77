// Signature pad: acceptance is decided on stroke data; strokes survive resizes and rotations.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import type { Stroke } from '../../src/model/intake/schema';
import { strokeSchema } from '../../src/model/intake/schema';
import {
  boundingBox,
  fitScale,
  fitStrokes,
  StrokeKeeper,
  isSignatureAcceptable,
  padFromStrokes,
  pathLength,
  signatureProblem,
  strokePathData,
  strokesFromPad,
  type PadValue,
} from '../../src/features/signature/strokes';
import { SignaturePad } from '../../src/features/signature/SignaturePad';
import { I18nProvider } from '../../src/i18n/i18n';

const stroke = (pts: [number, number][]): Stroke => ({ points: pts.map(([x, y], i) => ({ x, y, time: 1000 + i * 16 })), penColor: '#000' });

/** A plausible handwritten name: three loops across the pad, 60 points each. */
function realisticSignature(w = 800, h = 400): Stroke[] {
  const out: Stroke[] = [];
  for (let k = 0; k < 3; k++) {
    const pts: [number, number][] = [];
    for (let i = 0; i < 60; i++) {
      const a = (i / 60) * Math.PI * 4;
      pts.push([w * 0.15 + k * w * 0.22 + i * 2 + Math.cos(a) * 30, h * 0.5 + Math.sin(a) * h * 0.15]);
    }
    out.push(stroke(pts));
  }
  return out;
}

describe('isSignatureAcceptable (stroke data, never the image)', () => {
  const W = 800;
  const H = 400;
  const cases: [string, Stroke[], ReturnType<typeof signatureProblem>][] = [
    ['no strokes', [], 'empty'],
    ['strokes without points', [{ points: [] }], 'empty'],
    ['a single tap (dot)', [stroke([[100, 100]])], 'tooFewPoints'],
    ['a few points', [stroke([[100, 100], [110, 104], [120, 108]])], 'tooFewPoints'],
    ['a tiny scribble in a corner', [stroke(Array.from({ length: 20 }, (_, i) => [10 + (i % 2) * 6, 10 + i * 0.8] as [number, number]))], 'tooShort'],
    ['one straight horizontal line', [stroke(Array.from({ length: 30 }, (_, i) => [100 + i * 20, 200] as [number, number]))], 'tooSmall'],
    ['a dense knot (long path, tiny box)', [stroke(Array.from({ length: 200 }, (_, i) => [400 + Math.cos(i) * 10, 200 + Math.sin(i) * 10] as [number, number]))], 'tooSmall'],
    ['a realistic signature', realisticSignature(W, H), null],
  ];
  it.each(cases)('%s', (_name, strokes, expected) => {
    expect(signatureProblem(strokes, W, H)).toBe(expected);
    expect(isSignatureAcceptable(strokes, W, H)).toBe(expected === null);
  });

  it('scales its thresholds with the pad: a signature that fills a small pad is fine, the same ink on a huge pad is too small', () => {
    const sig = realisticSignature(400, 200);
    expect(isSignatureAcceptable(sig, 400, 200)).toBe(true);
    expect(isSignatureAcceptable(sig, 4000, 2000)).toBe(false);
  });

  it('refuses more strokes than the record may hold', () => {
    const many = Array.from({ length: 201 }, (_, k) => stroke([[10 + k, 10], [300 + k, 300]]));
    expect(signatureProblem(many, W, H)).toBe('tooComplex');
  });

  it('refuses a pad without size', () => {
    expect(signatureProblem(realisticSignature(), 0, 0)).toBe('empty');
  });
});

describe('stroke data', () => {
  it('converts signature_pad point groups to schema strokes and back', () => {
    const groups = [
      [
        { x: 1.234, y: 2.345, time: 10.4, color: 'red' },
        { x: 3, y: 4, time: 26, color: 'red' },
      ],
      [],
      [{ x: 5, y: 6, time: 40, color: 'blue' }],
    ];
    const strokes = strokesFromPad(groups);
    expect(strokes).toHaveLength(2);
    expect(strokes[0]).toEqual({ points: [{ x: 1.23, y: 2.35, time: 10 }, { x: 3, y: 4, time: 26 }], penColor: 'red' });
    for (const s of strokes) expect(strokeSchema.safeParse(s).success).toBe(true);
    const back = padFromStrokes(strokes);
    expect(back[1]).toEqual([{ x: 5, y: 6, time: 40, color: 'blue' }]);
    // fresh objects: signature_pad mutates what it is given
    back[0]!.push({ x: 0, y: 0, time: 0, color: 'red' });
    expect(strokes[0]!.points).toHaveLength(2);
  });

  it('fits strokes into a rotated pad: same strokes and points, inside the new pad, shape kept', () => {
    const sig = realisticSignature(1100, 500);
    const portrait = fitStrokes(sig, { width: 1100, height: 500 }, { width: 780, height: 900 });
    expect(portrait).toHaveLength(sig.length);
    portrait.forEach((s, i) => expect(s.points).toHaveLength(sig[i]!.points.length));
    const box = boundingBox(portrait)!;
    expect(box.maxX).toBeLessThanOrEqual(780);
    expect(box.maxY).toBeLessThanOrEqual(900);
    // uniform scale: the path length scales by the same factor as the width
    expect(pathLength(portrait) / pathLength(sig)).toBeCloseTo(780 / 1100, 2);
  });

  it('StrokeKeeper: rotating there and back restores the strokes instead of shrinking them each turn', () => {
    const land = { width: 1100, height: 500 };
    const port = { width: 780, height: 900 };
    const keeper = new StrokeKeeper(null);
    const first = realisticSignature(1100, 500);
    expect(keeper.commit(first, land)).toEqual({ strokes: first, ...land });
    const inPortrait = keeper.view(port)!;
    expect(inPortrait.strokes).toHaveLength(3);
    // a fourth stroke drawn in portrait joins the others in the base frame
    const extra = stroke([[100, 700], [200, 720], [300, 700]]);
    keeper.commit([...inPortrait.strokes, extra], port);
    const back = keeper.view(land)!;
    expect(back.strokes).toHaveLength(4);
    back.strokes.slice(0, 3).forEach((s, i) => s.points.forEach((p, j) => expect(Math.abs(p.x - first[i]!.points[j]!.x)).toBeLessThan(0.05)));
    const k = fitScale(land, port);
    expect(back.strokes[3]!.points[1]!.x).toBeCloseTo(200 / k, 1);
    expect(keeper.commit([], land)).toBeNull();
    expect(keeper.empty).toBe(true);
  });

  it('draws a stroke as a smooth SVG path and a tap as a dot', () => {
    expect(strokePathData(stroke([[1, 2], [3, 4], [5, 6]]))).toBe('M1 2 Q3 4 4 5 L5 6');
    expect(strokePathData(stroke([[7, 8]]))).toBe('M7 8l0.01 0');
  });
});

// ---------------------------------------------------------------------------------------------
// The component in jsdom: no real canvas, so a recording 2D context stands in, and the pad's
// size and ResizeObserver are driven by the test.

type Call = { name: string; args: unknown[] };
let calls: Call[] = [];
let boxSize = { width: 1000, height: 500 };
let observers: (() => void)[] = [];
const originalGetContext = HTMLCanvasElement.prototype.getContext;

function recordingContext(): CanvasRenderingContext2D {
  const target: Record<string, unknown> = {};
  return new Proxy(target, {
    get(t, prop: string) {
      if (prop in t) return t[prop];
      return (...args: unknown[]) => {
        calls.push({ name: prop, args });
      };
    },
    set(t, prop: string, v) {
      t[prop] = v;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

const drawCalls = () => calls.filter((c) => c.name === 'bezierCurveTo' || c.name === 'arc').length;

function Host({ initial }: { initial: PadValue | null }) {
  const [value, setValue] = useState<PadValue | null>(initial);
  return (
    <I18nProvider lang="zh-CN">
      <SignaturePad label="签名区域" value={value} onChange={setValue} />
      <output data-testid="value">{JSON.stringify(value ? { n: value.strokes.length, w: value.width, h: value.height, maxX: boundingBox(value.strokes)?.maxX ?? 0 } : null)}</output>
      <button type="button" onClick={() => setValue(null)}>
        clear
      </button>
    </I18nProvider>
  );
}

const valueOf = () => JSON.parse(screen.getByTestId('value').textContent ?? 'null') as { n: number; w: number; h: number; maxX: number } | null;

describe('SignaturePad component', () => {
  beforeEach(() => {
    calls = [];
    observers = [];
    boxSize = { width: 1000, height: 500 };
    const ctx = recordingContext();
    HTMLCanvasElement.prototype.getContext = vi.fn(() => ctx) as unknown as typeof HTMLCanvasElement.prototype.getContext;
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(() => boxSize.width);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => boxSize.height);
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(cb: () => void) {
          observers.push(cb);
        }
        observe() {}
        disconnect() {}
      },
    );
    vi.stubGlobal('devicePixelRatio', 2);
  });
  afterEach(() => {
    HTMLCanvasElement.prototype.getContext = originalGetContext;
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('sizes the canvas to CSS size × devicePixelRatio and redraws kept strokes on mount (view switch)', () => {
    const sig = realisticSignature(1000, 500);
    render(<Host initial={{ strokes: sig, width: 1000, height: 500 }} />);
    const canvas = document.querySelector('canvas')!;
    expect(canvas.width).toBe(2000);
    expect(canvas.height).toBe(1000);
    expect(calls.some((c) => c.name === 'setTransform' && c.args[0] === 2 && c.args[3] === 2)).toBe(true);
    expect(drawCalls()).toBeGreaterThan(50);
    expect(screen.getByRole('img', { name: '签名区域' })).toBe(canvas);
  });

  it('redraws every stroke after a resize (rotation): stroke count unchanged, fitted to the new pad', () => {
    const sig = realisticSignature(1000, 500);
    render(<Host initial={{ strokes: sig, width: 1000, height: 500 }} />);
    calls = [];
    boxSize = { width: 760, height: 940 };
    act(() => observers.forEach((cb) => cb()));
    const canvas = document.querySelector('canvas')!;
    expect(canvas.width).toBe(1520);
    expect(canvas.height).toBe(1880);
    // resizing cleared the canvas; the strokes were drawn again
    expect(drawCalls()).toBeGreaterThan(50);
    const v = valueOf()!;
    expect(v).toMatchObject({ n: 3, w: 760, h: 940 });
    expect(v.maxX).toBeLessThanOrEqual(760);
    expect(document.querySelector('.signature-pad')!.getAttribute('data-strokes')).toBe('3');
    // and back to landscape: the original coordinates again
    boxSize = { width: 1000, height: 500 };
    act(() => observers.forEach((cb) => cb()));
    expect(valueOf()).toMatchObject({ n: 3, w: 1000, h: 500, maxX: boundingBox(sig)!.maxX });
  });

  it('does not redraw when the size did not change', () => {
    render(<Host initial={{ strokes: realisticSignature(), width: 1000, height: 500 }} />);
    calls = [];
    act(() => observers.forEach((cb) => cb()));
    expect(drawCalls()).toBe(0);
  });

  it('keeps the strokes after every stroke end (mouse), and a parent clear empties the pad', async () => {
    render(<Host initial={null} />);
    const canvas = document.querySelector('canvas')!;
    const pause = () => act(() => new Promise((r) => setTimeout(r, 20)));
    fireEvent.mouseDown(canvas, { clientX: 100, clientY: 100, which: 1, button: 0 });
    for (let i = 1; i <= 4; i++) {
      await pause();
      fireEvent.mouseMove(canvas, { clientX: 100 + i * 30, clientY: 100 + (i % 2) * 40 });
    }
    fireEvent.mouseUp(document, { clientX: 220, clientY: 100, which: 1, button: 0 });
    expect(valueOf()).toMatchObject({ n: 1, w: 1000, h: 500 });
    fireEvent.mouseDown(canvas, { clientX: 300, clientY: 300, which: 1, button: 0 });
    await pause();
    fireEvent.mouseMove(canvas, { clientX: 360, clientY: 320 });
    fireEvent.mouseUp(document, { clientX: 360, clientY: 320, which: 1, button: 0 });
    expect(valueOf()).toMatchObject({ n: 2 });
    fireEvent.click(screen.getByRole('button', { name: 'clear' }));
    expect(valueOf()).toBeNull();
    expect(calls.some((c) => c.name === 'clearRect')).toBe(true);
  });

  it('renders a frame without crashing where there is no 2D context', () => {
    HTMLCanvasElement.prototype.getContext = vi.fn(() => null) as unknown as typeof HTMLCanvasElement.prototype.getContext;
    render(<Host initial={{ strokes: realisticSignature(), width: 1000, height: 500 }} />);
    expect(document.querySelector('canvas')).toBeNull();
    expect(screen.getByRole('img', { name: '签名区域' })).toBeTruthy();
    expect(document.querySelector('.signature-pad')!.getAttribute('data-strokes')).toBe('3');
  });
});
