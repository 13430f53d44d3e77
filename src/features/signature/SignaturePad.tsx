/**
 * The drawing surface (react-signature-canvas over signature_pad 2.3.2, which listens to touch
 * and mouse events; a pen arrives as touch on iPadOS and as compatibility mouse events
 * elsewhere). What the tablet pitfalls require (PITFALLS.md, signature pad):
 *
 * - The canvas backing store is CSS size × devicePixelRatio, the context scaled, so strokes are
 *   sharp and land under the finger on high-DPI tablets.
 * - Resizing a canvas clears it. The strokes are kept (toData) after EVERY stroke, reported to
 *   the parent (the source of truth), and redrawn (fromData) after any size change observed by
 *   ResizeObserver: rotation, Safari's toolbars, a remount after a view switch.
 * - `touch-action: none` on the surface; the page never scrolls while signing (the full-screen
 *   fixed layout is SignatureSheet's job).
 * - jsdom (unit tests) has no 2D context: the pad then renders its frame without a drawing
 *   surface instead of crashing; the stroke logic is tested separately (strokes.ts).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import SigMod from 'react-signature-canvas';
import { DEFAULT_PEN_COLOR, fitStrokes, padFromStrokes, strokesFromPad, type PadGroups, type PadValue } from './strokes';

// Vite 8 production builds hand us the CommonJS module as `{ default: Component }`; dev and
// vitest hand us the component itself. Normalise, or the built app crashes on the sign screen.
const SignatureCanvas = (SigMod as unknown as { default?: typeof SigMod }).default ?? SigMod;
type SignatureCanvasInstance = InstanceType<typeof SigMod>;

/** signature_pad's typings claim fromData wants Point instances; at run time it takes plain points. */
function draw(pad: SignatureCanvasInstance, groups: PadGroups) {
  pad.fromData(groups as unknown as Parameters<SignatureCanvasInstance['fromData']>[0]);
}

export interface SignaturePadProps {
  /** Accessible name of the drawing surface, e.g. "顾客签名区域". */
  label: string;
  value: PadValue | null;
  onChange: (value: PadValue | null) => void;
}

/** Whether this environment can draw on a canvas at all (jsdom cannot). */
export function canvasAvailable(): boolean {
  if (typeof document === 'undefined' || typeof HTMLCanvasElement === 'undefined') return false;
  if (typeof navigator !== 'undefined' && /jsdom/i.test(navigator.userAgent)) return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

export function SignaturePad({ label, value, onChange }: SignaturePadProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const sigRef = useRef<SignatureCanvasInstance | null>(null);
  const valueRef = useRef<PadValue | null>(value);
  const onChangeRef = useRef(onChange);
  const [drawable] = useState(canvasAvailable);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  /** The CSS size the canvas was last laid out and drawn at (null: never). */
  const laidOut = useRef<{ width: number; height: number; ratio: number } | null>(null);

  useLayoutEffect(() => {
    onChangeRef.current = onChange;
  });
  // The parent may clear or replace the value (e.g. "clear" or a stale record): follow it.
  useEffect(() => {
    if (value === valueRef.current) return;
    valueRef.current = value;
    const pad = sigRef.current;
    if (!pad) return;
    if (!value) pad.clear();
    else draw(pad, padFromStrokes(value.strokes));
  }, [value]);

  /** Size the backing store to CSS size × DPR, then redraw the kept strokes (resizing cleared them). */
  const layout = useCallback(() => {
    const box = boxRef.current;
    const pad = sigRef.current;
    if (!box) return;
    const width = Math.floor(box.clientWidth);
    const height = Math.floor(box.clientHeight);
    if (width <= 0 || height <= 0) return;
    setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    if (!pad) return;
    const canvas = pad.getCanvas();
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const pxW = Math.round(width * ratio);
    const pxH = Math.round(height * ratio);
    const kept = valueRef.current;
    const last = laidOut.current;
    if (last && last.width === width && last.height === height && last.ratio === ratio) return;
    laidOut.current = { width, height, ratio };
    canvas.width = pxW;
    canvas.height = pxH;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.getContext('2d')?.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (kept && kept.strokes.length > 0) {
      const fitted: PadValue = { strokes: fitStrokes(kept.strokes, kept, { width, height }), width, height };
      draw(pad, padFromStrokes(fitted.strokes));
      valueRef.current = fitted;
      onChangeRef.current(fitted);
    } else {
      pad.clear();
    }
  }, []);

  useLayoutEffect(() => {
    layout();
    const box = boxRef.current;
    if (!box) return;
    // ResizeObserver sees every size change of the pad itself; orientationchange is a backstop
    // for browsers that report the new size late.
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => layout()) : null;
    ro?.observe(box);
    const onOrientation = () => requestAnimationFrame(() => layout());
    window.addEventListener('orientationchange', onOrientation);
    window.addEventListener('resize', onOrientation);
    return () => {
      ro?.disconnect();
      window.removeEventListener('orientationchange', onOrientation);
      window.removeEventListener('resize', onOrientation);
    };
  }, [layout]);

  const onEnd = useCallback(() => {
    const pad = sigRef.current;
    const box = boxRef.current;
    if (!pad || !box) return;
    const strokes = strokesFromPad(pad.toData() as unknown as PadGroups);
    const next: PadValue | null = strokes.length ? { strokes, width: Math.floor(box.clientWidth), height: Math.floor(box.clientHeight) } : null;
    valueRef.current = next;
    onChangeRef.current(next);
  }, []);

  const strokeCount = value?.strokes.length ?? 0;
  return (
    <div
      ref={boxRef}
      className="signature-pad"
      data-strokes={strokeCount}
      data-width={size?.width ?? 0}
      data-height={size?.height ?? 0}
    >
      {drawable ? (
        <SignatureCanvas
          ref={(r) => {
            sigRef.current = r;
          }}
          penColor={DEFAULT_PEN_COLOR}
          minWidth={1.2}
          maxWidth={3.2}
          clearOnResize={false}
          onEnd={onEnd}
          canvasProps={{ className: 'signature-canvas', role: 'img', 'aria-label': label }}
        />
      ) : (
        <div className="signature-canvas" role="img" aria-label={label} />
      )}
    </div>
  );
}
