/**
 * A stored signature drawn from its stroke data as SVG: crisp on screen and on paper, and it
 * shows exactly the data that was signed (no separately stored image that could differ).
 */
import type { Signature } from '../../model/intake/schema';
import { boundingBox, DEFAULT_PEN_COLOR, strokePathData } from './strokes';

export function SignatureImage({ signature, label, maxHeight = 140 }: { signature: Pick<Signature, 'strokes' | 'width' | 'height'>; label: string; maxHeight?: number }) {
  // Crop to the ink (with a margin) so a small signature on a big pad is still legible.
  const box = boundingBox(signature.strokes);
  const stroke = Math.max(2, Math.min(signature.width, signature.height) / 160);
  const margin = stroke * 4;
  const x = box ? Math.max(0, box.minX - margin) : 0;
  const y = box ? Math.max(0, box.minY - margin) : 0;
  const width = box ? Math.max(box.maxX - box.minX + 2 * margin, 1) : signature.width;
  const height = box ? Math.max(box.maxY - box.minY + 2 * margin, 1) : signature.height;
  return (
    <svg
      className="signature-image"
      role="img"
      aria-label={label}
      viewBox={`${x} ${y} ${width} ${height}`}
      preserveAspectRatio="xMidYMid meet"
      style={{ width: '100%', maxHeight, aspectRatio: `${width} / ${height}`, display: 'block' }}
    >
      {signature.strokes.map((s, i) => (
        <path
          key={i}
          d={strokePathData(s)}
          fill="none"
          stroke={s.penColor ?? DEFAULT_PEN_COLOR}
          strokeWidth={stroke}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      ))}
    </svg>
  );
}
