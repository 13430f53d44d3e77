/**
 * Earlier damage on the walk-around (issue 11): the damage the car's history carried into this
 * intake (`history.previous`), drawn on the diagram in its own colour (a hollow blue ring with
 * 旧/“E”), and listed at its position with its date and photos. The advisor marks each one
 * still there, repaired or not found, and may link it to a finding of this visit at the same
 * position (the new finding then carries it on). Edits go through the history section's own
 * autosave editor; a signed intake shows the marks read-only.
 */
import { memo } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { Finding, Intake } from '../../model/intake/schema';
import type { DamageMark, PreviousDamage } from '../../model/vehicle/historySection';
import { labelOf, type Template } from '../../shared/template/template';
import { useSection } from '../../db/useSection';
import { Segmented } from '../../ui/Segmented';
import { PhotoThumb } from '../../photos/PhotoThumb';
import { DIAGRAM_H as H, DIAGRAM_W as W } from '../walkaround/diagramGeometry';
import { formatDay } from './format';
import './history.css';

const EMPTY: PreviousDamage[] = [];

/** What a damage is, in words: "左前 · 车门 · 划痕". */
export function damageText(d: Pick<PreviousDamage, 'positionId' | 'itemId' | 'type'>, template: Template, lang: 'zh-CN' | 'en'): string {
  const pos = template.positions.find((p) => p.id === d.positionId)?.label[lang] ?? d.positionId;
  const item = template.exteriorItems[d.itemId]?.[lang] ?? d.itemId;
  return [pos, item, labelOf(template.findingTypes, d.type, lang)].filter(Boolean).join(' · ');
}

/** The earlier damage as diagram markers (an overlay inside the walk-around's SVG). */
export const PreviousDamageMarkers = memo(function PreviousDamageMarkers({ previous, template }: { previous: PreviousDamage[] | undefined; template: Template }) {
  const { t, lang } = useI18n();
  return (
    <g data-testid="previous-markers">
      {(previous ?? EMPTY).map((d) =>
        d.marker && d.status !== 'repaired' && d.status !== 'notFound' ? (
          <g key={d.key} className="diagram-marker previous-marker" data-previous={d.key} transform={`translate(${d.marker.x * W} ${d.marker.y * H})`} pointerEvents="none">
            <title>{`${t('history.legendPrevious')}: ${damageText(d, template, lang)} (${formatDay(lang, d.foundOn)})`}</title>
            <circle r={11} fill="#fff" stroke="var(--previous, #1f5fa8)" strokeWidth={4} />
            <text textAnchor="middle" dominantBaseline="central" fontSize="11" fontWeight="700" fill="var(--previous, #1f5fa8)">
              {lang === 'zh-CN' ? '旧' : 'E'}
            </text>
          </g>
        ) : null,
      )}
    </g>
  );
});

interface PanelProps {
  intake: Intake;
  template: Template;
  positionId: string;
  /** This visit's findings at the position (what a previous damage may link to). */
  findingsHere: Finding[];
  /** The findings' numbers as the diagram shows them. */
  numberOf: ReadonlyMap<string, number>;
}

export function PreviousDamagePanel({ intake, template, positionId, findingsHere, numberOf }: PanelProps) {
  const { t, lang } = useI18n();
  const ed = useSection(intake, 'history');
  const history = ed.value;
  const here = (history?.previous ?? EMPTY).filter((d) => d.positionId === positionId);
  if (!history || !here.length) return null;
  const unmarked = here.filter((d) => d.status === null).length;
  const change = (key: string, patch: Partial<PreviousDamage>) =>
    ed.set((h) => (h ? { ...h, previous: h.previous.map((d) => (d.key === key ? { ...d, ...patch } : d)) } : h));
  const marks: { value: DamageMark; label: string }[] = [
    { value: 'present', label: t('history.markPresent') },
    { value: 'repaired', label: t('history.markRepaired') },
    { value: 'notFound', label: t('history.markNotFound') },
  ];
  return (
    <section className="card previous-damage" aria-labelledby={`prev-${positionId}`} data-testid="previous-damage">
      <h4 id={`prev-${positionId}`}>{t('history.previousTitle')}</h4>
      <p className="muted">{unmarked ? t('history.previousUnmarked', { count: unmarked }) : t('history.previousIntro')}</p>
      <ul className="previous-list">
        {here.map((d) => {
          const what = damageText(d, template, lang);
          const sameItem = findingsHere.filter((f) => f.itemId === d.itemId || !d.itemId);
          return (
            <li key={d.key} data-testid="previous-item" data-key={d.key}>
              <span>
                <span className="badge previous">{t('history.legendPrevious')}</span> <strong>{what}</strong> <span className="muted">{t('history.previousFoundOn', { date: formatDay(lang, d.foundOn) })}</span>
              </span>
              {d.note && <span className="muted">{d.note}</span>}
              {d.photos.length > 0 && (
                <span className="previous-photos">
                  {d.photos.map((h) => (
                    <PhotoThumb key={h} hash={h} alt={what} size={72} />
                  ))}
                </span>
              )}
              <Segmented<DamageMark> label={t('history.previousMarkAria', { what })} hideLabel options={marks} value={d.status} onChange={(v) => change(d.key, { status: v })} disabled={ed.readOnly} />
              {sameItem.length > 0 && (
                <label className="field">
                  <span className="label">{t('history.linkTo')}</span>
                  <select
                    aria-label={t('history.linkAria', { what })}
                    value={d.linkedFindingId ?? ''}
                    disabled={ed.readOnly}
                    onChange={(e) => change(d.key, { linkedFindingId: e.target.value || null, ...(e.target.value ? { status: 'present' as const } : {}) })}
                  >
                    <option value="">{t('history.linkNone')}</option>
                    {sameItem.map((f) => (
                      <option key={f.id} value={f.id}>
                        {`#${numberOf.get(f.id) ?? '?'} ${labelOf(template.findingTypes, f.type, lang)}`}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
