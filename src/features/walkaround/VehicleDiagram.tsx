/**
 * Top view of the car, front at the top, left-hand drive (the driver's door is position 1, left
 * front). Positions come from the template's regions; each shows its walking number and label,
 * whether it is complete, and which one the advisor is at. Findings are numbered markers (the
 * number is the finding's place in the `findings` array, so lists and diagram agree), coloured
 * AND shaped by who found them: intake (red circle), technician (amber square), handover (new
 * damage: magenta diamond), so "was it there at intake?" is answered at a glance and in print.
 *
 * Pure SVG, no images: the same drawing on screen, offline and on paper.
 *
 * Read-only: role="img" with a spoken summary. Interactive (`onPlace`): a tap places a marker
 * (0..1 coordinates + the position it falls in); the keyboard / assistive-technology
 * alternative is the "place marker at the centre of this position" button under the drawing.
 */
import { memo, useCallback, type MouseEvent, type ReactNode } from 'react';
import type { Finding } from '../../model/intake/schema';
import { labelOf, type Template } from '../../shared/template/template';
import { useI18n } from '../../i18n/i18n';
import { BODY_X0, BODY_X1, DIAGRAM_H as H, DIAGRAM_W as W, clientToDiagram, labelPoint, markerDrawPoint, positionNear, regionCentre } from './diagramGeometry';
import './walkaround.css';

export type FoundAt = Finding['foundAt'];
export const FOUND_AT_COLOUR: Record<FoundAt, string> = {
  intake: '#b3261e',
  technician: '#a35200',
  handover: '#c2185b',
};

export interface VehicleDiagramProps {
  template: Template;
  findings: Finding[];
  /** Which positions are complete (positionComplete per id). */
  complete?: Record<string, boolean>;
  /** The position the advisor is at: outlined, and the centre-placement button targets it. */
  activePosition?: string | null;
  /** Makes the diagram interactive: a tap places a marker. */
  onPlace?: (marker: { x: number; y: number }, positionId: string) => void;
  /** A tap on a finding marker (e.g. to open that finding). */
  onSelectFinding?: (findingId: string) => void;
  readOnly?: boolean;
  highlightFindingId?: string | null;
  /** Accessible name override (read-only); default: a summary of the markers. */
  label?: string;
  /** Show the colour/shape legend (default: when any finding is not from intake). */
  legend?: boolean;
  /** Max CSS width; default 420. */
  maxWidth?: number;
  className?: string;
  /** More SVG drawn over the car in the diagram's coordinates (earlier visits' damage, issue 11). */
  overlay?: ReactNode;
}

function VehicleDiagramImpl({
  template,
  findings,
  complete,
  activePosition = null,
  onPlace,
  onSelectFinding,
  readOnly = false,
  highlightFindingId = null,
  label,
  legend,
  maxWidth = 420,
  className,
  overlay,
}: VehicleDiagramProps) {
  const { t, lang } = useI18n();
  const interactive = !readOnly && !!onPlace;
  const active = template.positions.find((p) => p.id === activePosition) ?? null;

  const onClick = useCallback(
    (e: MouseEvent<SVGSVGElement>) => {
      if (!interactive || !onPlace) return;
      const m = clientToDiagram(e.currentTarget.getBoundingClientRect(), e.clientX, e.clientY);
      const p = positionNear(template, m.x, m.y);
      if (p) onPlace(m, p.id);
    },
    [interactive, onPlace, template],
  );

  const summary = findings.length
    ? t('walkaround.diagramSummary', { count: findings.filter((f) => f.marker).length })
    : t('walkaround.diagramNoFindings');
  const aria = label ?? (interactive ? t('walkaround.diagramInteractive') : t('walkaround.diagramLabel', { summary }));
  const kinds = Array.from(new Set(findings.map((f) => f.foundAt)));
  const showLegend = legend ?? kinds.some((k) => k !== 'intake');

  return (
    <div className={`vehicle-diagram${interactive ? ' is-interactive' : ''}${className ? ` ${className}` : ''}`} style={{ maxWidth }}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role={interactive ? 'group' : 'img'}
        aria-label={aria}
        onClick={interactive ? onClick : undefined}
        style={{ width: '100%', height: 'auto', display: 'block', cursor: interactive ? 'crosshair' : undefined, touchAction: 'manipulation' }}
        data-testid="vehicle-diagram"
      >
        {/* Position regions (tap targets), complete ones tinted green, the current one outlined. */}
        {template.positions.map((p) => {
          const r = p.region;
          const done = !!complete?.[p.id];
          const isActive = p.id === activePosition;
          return (
            <rect
              key={p.id}
              data-position={p.id}
              x={r.x * W + 1}
              y={r.y * H + 1}
              width={r.w * W - 2}
              height={r.h * H - 2}
              rx={6}
              fill={isActive ? '#dbe9f8' : done ? '#e3f3e8' : '#f3f6fa'}
              stroke={isActive ? '#0b5cad' : done ? '#1b7f3a' : '#c9d1db'}
              strokeWidth={isActive ? 3 : 1.5}
              strokeDasharray={isActive || done ? undefined : '5 4'}
            />
          );
        })}
        <CarOutline />
        {findings.map((f, i) =>
          f.marker ? (
            <Marker
              key={f.id}
              n={i + 1}
              finding={f}
              at={markerDrawPoint(template, f.marker)}
              title={t('walkaround.markerTitle', { n: i + 1, type: labelOf(template.findingTypes, f.type, lang) })}
              highlight={f.id === highlightFindingId}
              onSelect={onSelectFinding}
            />
          ) : null,
        )}
        {overlay}
        {/* Position labels last, over any marker tapped near them (a white halo keeps them legible). */}
        {template.positions.map((p) => {
          const lp = labelPoint(p);
          const done = !!complete?.[p.id];
          const isActive = p.id === activePosition;
          const text = p.label[lang];
          const cx = lp.x * W;
          const cy = lp.y * H;
          const fg = isActive ? '#0b5cad' : done ? '#1b7f3a' : '#4a5563';
          return (
            <g key={p.id} aria-hidden="true" pointerEvents="none">
              <circle cx={cx} cy={cy - 14} r={13} fill={done ? '#1b7f3a' : isActive ? '#0b5cad' : '#fff'} stroke={fg} strokeWidth={2} />
              <text x={cx} y={cy - 14} textAnchor="middle" dominantBaseline="central" fontSize="14" fontWeight="700" fill={done || isActive ? '#fff' : fg}>
                {done ? '✓' : p.order}
              </text>
              <text x={cx} y={cy + 12} textAnchor="middle" dominantBaseline="central" fontSize="14" fontWeight={isActive ? 700 : 500} fill={fg} stroke="#fff" strokeWidth={4} paintOrder="stroke" strokeLinejoin="round">
                {text}
              </text>
            </g>
          );
        })}
      </svg>
      {interactive && active && (
        <button type="button" className="diagram-centre-button" onClick={() => onPlace?.(regionCentre(active), active.id)}>
          {t('walkaround.placeMarkerCentre')}
        </button>
      )}
      {showLegend && (
        <ul className="diagram-legend" aria-label={t('walkaround.findings')}>
          {(['intake', 'technician', 'handover'] as const)
            .filter((k) => kinds.includes(k) || k === 'intake')
            .map((k) => (
              <li key={k}>
                <svg width="20" height="20" viewBox="-12 -12 24 24" aria-hidden="true">
                  <MarkerShape foundAt={k} size={9} />
                </svg>
                {t(k === 'intake' ? 'walkaround.legendIntake' : k === 'technician' ? 'walkaround.legendTechnician' : 'walkaround.legendHandover')}
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}

export const VehicleDiagram = memo(VehicleDiagramImpl);

function MarkerShape({ foundAt, size }: { foundAt: FoundAt; size: number }) {
  const fill = FOUND_AT_COLOUR[foundAt];
  if (foundAt === 'technician') return <rect x={-size} y={-size} width={size * 2} height={size * 2} rx={3} fill={fill} stroke="#fff" strokeWidth={2} />;
  if (foundAt === 'handover') return <rect x={-size} y={-size} width={size * 2} height={size * 2} fill={fill} stroke="#fff" strokeWidth={2} transform="rotate(45)" />;
  return <circle r={size + 1} fill={fill} stroke="#fff" strokeWidth={2} />;
}

function Marker({ n, finding, at, title, highlight, onSelect }: { n: number; finding: Finding; at: { x: number; y: number }; title: string; highlight: boolean; onSelect?: (id: string) => void }) {
  const cx = at.x;
  const cy = at.y;
  return (
    <g
      className="diagram-marker"
      data-finding={finding.id}
      data-found-at={finding.foundAt}
      transform={`translate(${cx} ${cy})`}
      onClick={
        onSelect
          ? (e) => {
              e.stopPropagation();
              onSelect(finding.id);
            }
          : undefined
      }
      style={onSelect ? { cursor: 'pointer' } : undefined}
    >
      <title>{title}</title>
      {highlight && <circle r={22} fill="none" stroke="#ffb300" strokeWidth={4} />}
      <MarkerShape foundAt={finding.foundAt} size={highlight ? 14 : 12} />
      <text textAnchor="middle" dominantBaseline="central" fontSize="13" fontWeight="700" fill="#fff">
        {n}
      </text>
    </g>
  );
}

/** Body, glass, wheels, mirrors and lights; front at the top. Decorative. */
function CarOutline() {
  const x0 = BODY_X0 * W;
  const x1 = BODY_X1 * W;
  const bw = x1 - x0;
  return (
    <g aria-hidden="true" pointerEvents="none" fill="none" stroke="#1a1f26" strokeWidth={2.5}>
      {/* wheels */}
      {[0.17, 0.7].flatMap((y) => [x0 - 12, x1 - 6].map((x) => <rect key={`${x}-${y}`} x={x} y={y * H} width={18} height={H * 0.12} rx={6} fill="#1a1f26" />))}
      {/* body */}
      <path
        d={`M ${x0 + 30} ${H * 0.02} Q ${W / 2} ${H * 0.005} ${x1 - 30} ${H * 0.02} Q ${x1} ${H * 0.03} ${x1} ${H * 0.1} L ${x1} ${H * 0.9} Q ${x1} ${H * 0.975} ${x1 - 30} ${H * 0.98} Q ${W / 2} ${H * 0.99} ${x0 + 30} ${H * 0.98} Q ${x0} ${H * 0.975} ${x0} ${H * 0.9} L ${x0} ${H * 0.1} Q ${x0} ${H * 0.03} ${x0 + 30} ${H * 0.02} Z`}
        fill="#ffffff"
        fillOpacity={0.55}
      />
      {/* bonnet line, windscreen, roof, rear screen, boot line */}
      <path d={`M ${x0 + 8} ${H * 0.2} Q ${W / 2} ${H * 0.185} ${x1 - 8} ${H * 0.2}`} stroke="#6b7684" strokeWidth={1.5} />
      <path d={`M ${x0 + 14} ${H * 0.3} L ${x0 + 22} ${H * 0.22} Q ${W / 2} ${H * 0.205} ${x1 - 22} ${H * 0.22} L ${x1 - 14} ${H * 0.3} Z`} fill="#cfe0f1" stroke="#6b7684" strokeWidth={1.5} />
      <rect x={x0 + 16} y={H * 0.31} width={bw - 32} height={H * 0.36} rx={10} stroke="#6b7684" strokeWidth={1.5} />
      <path d={`M ${x0 + 14} ${H * 0.68} L ${x1 - 14} ${H * 0.68} L ${x1 - 22} ${H * 0.76} Q ${W / 2} ${H * 0.77} ${x0 + 22} ${H * 0.76} Z`} fill="#cfe0f1" stroke="#6b7684" strokeWidth={1.5} />
      <path d={`M ${x0 + 8} ${H * 0.8} Q ${W / 2} ${H * 0.815} ${x1 - 8} ${H * 0.8}`} stroke="#6b7684" strokeWidth={1.5} />
      {/* door lines */}
      <path d={`M ${x0} ${H * 0.5} L ${x0 + 14} ${H * 0.5} M ${x1} ${H * 0.5} L ${x1 - 14} ${H * 0.5}`} stroke="#6b7684" strokeWidth={1.5} />
      {/* mirrors */}
      <path d={`M ${x0} ${H * 0.27} L ${x0 - 22} ${H * 0.285} L ${x0 - 20} ${H * 0.31} L ${x0} ${H * 0.305}`} fill="#e8ecf1" />
      <path d={`M ${x1} ${H * 0.27} L ${x1 + 22} ${H * 0.285} L ${x1 + 20} ${H * 0.31} L ${x1} ${H * 0.305}`} fill="#e8ecf1" />
      {/* headlights and tail lights */}
      <rect x={x0 + 8} y={H * 0.035} width={34} height={10} rx={4} fill="#fff3b0" strokeWidth={1.5} />
      <rect x={x1 - 42} y={H * 0.035} width={34} height={10} rx={4} fill="#fff3b0" strokeWidth={1.5} />
      <rect x={x0 + 8} y={H * 0.948} width={34} height={10} rx={4} fill="#f4b6b6" strokeWidth={1.5} />
      <rect x={x1 - 42} y={H * 0.948} width={34} height={10} rx={4} fill="#f4b6b6" strokeWidth={1.5} />
      {/* steering wheel on the left: left-hand drive */}
      <circle cx={x0 + bw * 0.3} cy={H * 0.355} r={11} stroke="#6b7684" strokeWidth={2} />
    </g>
  );
}
