/**
 * Read-only top view of the car with the six walk-around positions and a numbered marker per
 * finding (numbers match the findings list). Pure SVG: identical on screen and on paper, no
 * images to load offline. Findings found later (technician, handover) are drawn in a different
 * colour and shape so "was it there at intake?" is answered at a glance.
 */
import type { Finding } from '../../shared/schema/intake';
import type { Template } from '../../shared/template/template';
import type { Lang } from '../../i18n/defineMessages';

const W = 300;
const H = 560;

export function SummaryDiagram({ template, findings, lang, label }: { template: Template; findings: Finding[]; lang: Lang; label: string }) {
  const numbered = findings.map((f, i) => ({ f, n: i + 1 })).filter((x) => x.f.marker);
  return (
    <svg className="summary-diagram" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} style={{ width: '100%', maxWidth: 300, display: 'block' }}>
      {template.positions.map((p) => (
        <g key={p.id}>
          <rect x={p.region.x * W} y={p.region.y * H} width={p.region.w * W} height={p.region.h * H} fill="#f3f6fa" stroke="#c9d1db" strokeDasharray="4 4" />
          <text x={(p.region.x + p.region.w / 2) * W} y={(p.region.y + p.region.h / 2) * H} textAnchor="middle" dominantBaseline="middle" fontSize="15" fill="#4a5563">
            {p.order} {p.label[lang]}
          </text>
        </g>
      ))}
      {/* Body outline, wheels and glass: front at the top. */}
      <rect x={W * 0.2} y={H * 0.04} width={W * 0.6} height={H * 0.92} rx={48} fill="none" stroke="#1a1f26" strokeWidth={3} />
      <rect x={W * 0.27} y={H * 0.2} width={W * 0.46} height={H * 0.1} rx={12} fill="none" stroke="#6b7684" strokeWidth={2} />
      <rect x={W * 0.27} y={H * 0.72} width={W * 0.46} height={H * 0.08} rx={12} fill="none" stroke="#6b7684" strokeWidth={2} />
      {[
        [0.14, 0.17],
        [0.8, 0.17],
        [0.14, 0.7],
        [0.8, 0.7],
      ].map(([x, y], i) => (
        <rect key={i} x={x! * W} y={y! * H} width={W * 0.06} height={H * 0.12} rx={6} fill="#1a1f26" />
      ))}
      {numbered.map(({ f, n }) => {
        const cx = f.marker!.x * W;
        const cy = f.marker!.y * H;
        const later = f.foundAt !== 'intake';
        return (
          <g key={f.id}>
            {later ? (
              <rect x={cx - 13} y={cy - 13} width={26} height={26} fill="#c2185b" stroke="#fff" strokeWidth={2} transform={`rotate(45 ${cx} ${cy})`} />
            ) : (
              <circle cx={cx} cy={cy} r={14} fill="#b3261e" stroke="#fff" strokeWidth={2} />
            )}
            <text x={cx} y={cy} textAnchor="middle" dominantBaseline="central" fontSize="14" fontWeight="700" fill="#fff">
              {n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
