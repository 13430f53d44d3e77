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
 * - Without a 2D context (jsdom in unit tests, a locked-down browser) the pad renders its frame
 *   without a drawing surface instead of crashing; signature_pad would throw on a null context.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import SigMod from 'react-signature-canvas';
import { DEFAULT_PEN_COLOR, padFromStrokes, StrokeKeeper, strokesFromPad, type PadGroups, type PadSize, type PadValue } from './strokes';

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
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

export function SignaturePad({ label, value, onChange }: SignaturePadProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const sigRef = useRef<SignatureCanvasInstance | null>(null);
  /** The strokes in the frame they were drawn in; what is drawn is fitted to the current size. */
  const keeper = useRef<StrokeKeeper | null>(null);
  keeper.current ??= new StrokeKeeper(value);
  /** The last value reported to or received from the parent. */
  const valueRef = useRef<PadValue | null>(value);
  const onChangeRef = useRef(onChange);
  const [drawable] = useState(canvasAvailable);
  const [size, setSize] = useState<PadSize | null>(null);
  /** The CSS size and DPR the canvas was last laid out and drawn at (null: never). */
  const laidOut = useRef<(PadSize & { ratio: number }) | null>(null);

  useLayoutEffect(() => {
    onChangeRef.current = onChange;
  });

  const report = useCallback((next: PadValue | null) => {
    valueRef.current = next;
    onChangeRef.current(next);
  }, []);

  /** Size the backing store to CSS size × DPR, then redraw the kept strokes (resizing cleared them). */
  const layout = useCallback(
    (force = false) => {
      const box = boxRef.current;
      const pad = sigRef.current;
      if (!box) return;
      const width = Math.floor(box.clientWidth);
      const height = Math.floor(box.clientHeight);
      if (width <= 0 || height <= 0) return;
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
      if (!pad) return;
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const last = laidOut.current;
      if (!force && last && last.width === width && last.height === height && last.ratio === ratio) return;
      laidOut.current = { width, height, ratio };
      const canvas = pad.getCanvas();
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
      canvas.getContext('2d')?.setTransform(ratio, 0, 0, ratio, 0, 0);
      const view = keeper.current!.view({ width, height });
      if (view) {
        draw(pad, padFromStrokes(view.strokes));
        const prev = valueRef.current;
        if (!prev || prev.width !== width || prev.height !== height) report(view);
      } else {
        pad.clear();
      }
    },
    [report],
  );

  // The parent may clear or replace the value ("clear", a discarded signature): follow it.
  useEffect(() => {
    if (value === valueRef.current) return;
    valueRef.current = value;
    keeper.current!.reset(value);
    layout(true);
  }, [value, layout]);

  useLayoutEffect(() => {
    layout();
    const box = boxRef.current;
    if (!box) return;
    // ResizeObserver sees every size change of the pad itself; orientationchange and resize
    // are a backstop for browsers that report the new size late.
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => layout()) : null;
    ro?.observe(box);
    const onWindow = () => requestAnimationFrame(() => layout());
    // iOS may discard a canvas's pixels while the app is in the background: redraw on return.
    const onVisible = () => {
      if (document.visibilityState === 'visible') requestAnimationFrame(() => layout(true));
    };
    window.addEventListener('orientationchange', onWindow);
    window.addEventListener('resize', onWindow);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      ro?.disconnect();
      window.removeEventListener('orientationchange', onWindow);
      window.removeEventListener('resize', onWindow);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [layout]);

  // After EVERY stroke: keep the strokes, so any later resize or remount can redraw them.
  const onEnd = useCallback(() => {
    const pad = sigRef.current;
    const box = boxRef.current;
    if (!pad || !box) return;
    const current = strokesFromPad(pad.toData() as unknown as PadGroups);
    report(keeper.current!.commit(current, { width: Math.floor(box.clientWidth), height: Math.floor(box.clientHeight) }));
  }, [report]);

  const strokeCount = value?.strokes.length ?? 0;
  return (
    <div ref={boxRef} className="signature-pad" data-strokes={strokeCount} data-width={size?.width ?? 0} data-height={size?.height ?? 0}>
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
