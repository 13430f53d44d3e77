/**
 * The walk around the car that the technician's check and the handover share: the six position
 * tabs, the diagram (tapping another position moves there; with a new finding armed, a tap places
 * its marker), the earlier findings of the current position (each rendered by the screen, since
 * what is reviewed differs), the new damage found on this walk, and "position checked", which
 * moves on to the next unchecked position.
 */
import { useState, type ReactNode } from 'react';
import type { Finding } from '../../../model/intake/schema';
import { positionsInOrder, type Template } from '../../../shared/template/template';
import type { AutosaveEditor } from '../../../db/useAutosave';
import { useI18n } from '../../../i18n/i18n';
import { VehicleDiagram } from '../../walkaround/VehicleDiagram';
import { PositionTabs } from './PositionTabs';
import { NewFindingsEditor } from './NewFindingsEditor';

/** The part of a technician's check or a handover that the walk edits. */
export interface WalkRecord {
  positions: Record<string, { checkedAt: string | null }>;
  newFindings: Finding[];
}

export interface PositionWalkProps<T extends WalkRecord> {
  ed: AutosaveEditor<T>;
  intakeId: string;
  template: Template;
  /** Findings made before this walk (intake, and the technician's new ones at handover), numbered first. */
  earlier: Finding[];
  foundAt: 'technician' | 'handover';
  /** The badge on this walk's new damage. */
  flagLabel: string;
  /** The heading above the earlier findings, and the line shown when a position has none. */
  earlierHeading: ReactNode;
  noEarlierText: string;
  /** The diagram's colour legend. */
  legend?: boolean;
  /** One earlier finding with the review controls of this walk; n is its number on the diagram. */
  renderEarlier: (f: Finding, n: number) => ReactNode;
}

export function PositionWalk<T extends WalkRecord>({ ed, intakeId, template, earlier, foundAt, flagLabel, earlierHeading, noEarlierText, legend, renderEarlier }: PositionWalkProps<T>) {
  const { t } = useI18n();
  const v = ed.value;
  const readOnly = ed.readOnly;
  const order = positionsInOrder(template);
  const [pos, setPos] = useState(() => order.find((p) => !v.positions[p.id]?.checkedAt)?.id ?? order[0]!.id);
  const [armed, setArmed] = useState<string | null>(null);

  const all = [...earlier, ...v.newFindings];
  const numberOf = (fid: string) => all.findIndex((f) => f.id === fid) + 1;
  const checked = Object.fromEntries(order.map((p) => [p.id, !!v.positions[p.id]?.checkedAt]));
  const counts = Object.fromEntries(order.map((p) => [p.id, all.filter((f) => f.positionId === p.id).length]));
  const here = earlier.filter((f) => f.positionId === pos);

  function markChecked() {
    const at = new Date().toISOString();
    ed.set((prev) => ({ ...prev, positions: { ...prev.positions, [pos]: { checkedAt: at } } }));
    const next = order.find((p) => p.id !== pos && !v.positions[p.id]?.checkedAt);
    if (next) setPos(next.id);
  }

  return (
    <>
      <PositionTabs template={template} current={pos} checked={checked} counts={counts} onSelect={setPos} />
      <div className="follow-layout">
        <div className="follow-side">
          <VehicleDiagram
            template={template}
            findings={all}
            complete={checked}
            activePosition={pos}
            readOnly={readOnly}
            legend={legend}
            onPlace={
              readOnly
                ? undefined
                : (marker, positionId) => {
                    if (positionId !== pos) return setPos(positionId);
                    if (armed) ed.set((prev) => ({ ...prev, newFindings: prev.newFindings.map((f) => (f.id === armed ? { ...f, marker } : f)) }));
                  }
            }
            maxWidth={360}
          />
        </div>
        <div>
          {earlierHeading}
          {here.length === 0 && <p className="muted">{noEarlierText}</p>}
          {here.map((f) => renderEarlier(f, numberOf(f.id)))}
          <NewFindingsEditor
            intakeId={intakeId}
            template={template}
            positionId={pos}
            foundAt={foundAt}
            findings={v.newFindings}
            numberOf={numberOf}
            readOnly={readOnly}
            armedId={armed}
            onArm={setArmed}
            onChange={(update) => ed.set((prev) => ({ ...prev, newFindings: update(prev.newFindings) }))}
            flagLabel={flagLabel}
          />
          {!readOnly && (
            <p>
              <button type="button" className="primary" onClick={markChecked} aria-pressed={checked[pos]}>
                {checked[pos] ? `✓ ${t('technician.positionChecked')}` : t('technician.markPositionChecked')}
              </button>
            </p>
          )}
        </div>
      </div>
    </>
  );
}
