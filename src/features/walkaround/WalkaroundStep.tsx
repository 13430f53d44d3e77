/**
 * The exterior walk-around (顺时针检查车外6个方位): position by position in walking order, the
 * diagram showing where the advisor is. For each item: OK, or a finding (part, type, severity,
 * place on the car, photos or why none, note). A position is complete when every item has a
 * result: "no damage here" sets them all OK and moves on to the next position; with a finding,
 * "the rest are OK" sets the others. The rules are in walkaroundModel.ts and src/model/intake.
 *
 * No empty entries: a finding is always made for a part. Each item is its own control ("在左前门
 * 标记损伤", no pointer needed); a tap on the diagram (or the centre button) that is not placing
 * a marker asks which part, and makes nothing if cancelled.
 *
 * Saving: every edit autosaves (useSection). Adding a finding or a photo is written at once
 * (not after the 250 ms debounce), and a finding's camera button stays disabled until the
 * finding is in the stored record: a crash while the camera is open must not lose anything.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Finding } from '../../model/intake/schema';
import { defaultTemplate, positionsInOrder } from '../../shared/template/template';
import { newId } from '../../model/intake/newIntake';
import { useSection } from '../../db/useSection';
import { getIntake, updateSection } from '../../store/intakeWrites';
import { useI18n } from '../../i18n/i18n';
import { formatTime } from '../../i18n/format';
import { useRoute } from '../../ui/router';
import type { StepProps } from '../intake/stepProps';
import { unmarkedEarlierDamage } from '../../model/intake/readiness';
import { VehicleDiagram } from './VehicleDiagram';
import { FindingCard } from './FindingCard';
import { useStableFindings } from './useStableFindings';
import { SaveStatus } from '../../ui/SaveStatus';
import {
  addFinding,
  addPhoto,
  deleteFinding,
  findingsAt,
  firstIncomplete,
  isComplete,
  newFinding,
  nextPosition,
  positionState,
  itemsLeft,
  previousPosition,
  removePhoto,
  setItemOk,
  setNoDamage,
  setRestOk,
  updateFinding,
  type WalkaroundSection,
} from './walkaroundModel';
import { PreviousDamageMarkers, PreviousDamagePanel } from '../history/PreviousDamage';
import './walkaround.css';

const nowIso = () => new Date().toISOString();

async function addPhotoToStoredRecord(intakeId: string, findingId: string, hash: string): Promise<void> {
  const current = await getIntake(intakeId);
  if (!current || current.status !== 'draft') return;
  await updateSection(intakeId, 'walkaround', addPhoto(current.walkaround, findingId, hash));
}

export function WalkaroundStep({ intake }: StepProps) {
  const { t, lang } = useI18n();
  const template = defaultTemplate;
  const ed = useSection(intake, 'walkaround');
  const { value, readOnly } = ed;
  const order = useMemo(() => positionsInOrder(template), [template]);
  const [current, setCurrent] = useState(() => firstIncomplete(template, intake.walkaround));
  const [placing, setPlacing] = useState<string | null>(null);
  /** A diagram tap waiting for its part (no finding exists until one is chosen). */
  const [pendingMarker, setPendingMarker] = useState<{ x: number; y: number } | null>(null);
  /** Said once after "no damage here" moved the walk on (a polite live region). */
  const [movedOn, setMovedOn] = useState<number | null>(null);
  const position = order.find((p) => p.id === current) ?? order[0]!;

  // A readiness gap's link (#/intake/<id>/walkaround/<position or finding id>): go there and
  // bring it into view and focus, so the advisor lands on exactly what is missing.
  const route = useRoute();
  const focusRef = route.name === 'intake' ? route.focus : undefined;
  const focusTarget = useRef<string | null>(null);
  useEffect(() => {
    if (!focusRef) return;
    const f = intake.walkaround.findings.find((x) => x.id === focusRef);
    const positionId = f ? f.positionId : order.some((p) => p.id === focusRef) ? focusRef : null;
    if (!positionId) return;
    setCurrent(positionId);
    focusTarget.current = f ? `[data-finding-card="${f.id}"]` : '#wa-pos-h';
    // intake.walkaround is read once per link, not on every save
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRef, order]);
  useEffect(() => {
    const sel = focusTarget.current;
    if (!sel) return;
    const el = document.querySelector<HTMLElement>(sel);
    if (!el) return;
    focusTarget.current = null;
    el.scrollIntoView?.({ block: 'center' });
    el.focus({ preventScroll: true });
  });

  // Write at once (not after the debounce) for structural changes: a new finding, a photo.
  // The flush runs after the render that applied the change, when the new value is pending.
  const flushSoon = useRef(false);
  const { set, flush } = ed;
  useEffect(() => {
    if (flushSoon.current) {
      flushSoon.current = false;
      void flush();
    }
  }, [value, flush]);
  const change = useCallback(
    (fn: (s: WalkaroundSection) => WalkaroundSection, immediate = false) => {
      if (immediate) flushSoon.current = true;
      set(fn);
    },
    [set],
  );

  // Portrait: the diagram sits above the list, so bring it into view when a marker is to be
  // placed, and bring the finding back into view once it is placed.
  const diagramRef = useRef<HTMLDivElement>(null);
  const lastPlacing = useRef<string | null>(null);
  useEffect(() => {
    if (placing) diagramRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
    else if (lastPlacing.current)
      document.querySelector(`[data-finding-card="${lastPlacing.current}"]`)?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
    lastPlacing.current = placing;
  }, [placing]);

  const flushNow = useCallback(() => void flush(), [flush]);

  const savedIds = useMemo(() => new Set(intake.walkaround.findings.map((f) => f.id)), [intake.walkaround.findings]);
  // Earlier visits' damage still to be marked at each position: the position is not done until it
  // is (readiness refuses the signature otherwise), so its chip must not say so either.
  const unmarkedAt = useMemo(() => unmarkedEarlierDamage(intake.history), [intake.history]);
  const complete = useMemo(
    () => Object.fromEntries(order.map((p) => [p.id, isComplete(value, p.id, template) && !unmarkedAt.get(p.id)])),
    [order, value, template, unmarkedAt],
  );
  const doneCount = order.filter((p) => complete[p.id]).length;
  const stableFindings = useStableFindings(value.findings);
  const here = useMemo(() => stableFindings.filter((f) => f.positionId === position.id), [stableFindings, position.id]);
  const numberOf = useMemo(() => new Map(value.findings.map((f, i) => [f.id, i + 1])), [value.findings]);
  const st = positionState(value, position.id);
  const left = itemsLeft(value, position);
  const itemName = (item: string) => template.exteriorItems[item]?.[lang] ?? item;

  /** A finding is always for a part: made from the item's own control or the part chooser. */
  const startFinding = useCallback(
    (positionId: string, itemId: string, marker?: Finding['marker']) => {
      const f = newFinding({ id: newId(), positionId, itemId, marker, now: nowIso() });
      change((s) => addFinding(s, f, nowIso(), template), true);
      setPendingMarker(null);
      setPlacing(marker ? null : f.id);
    },
    [change, template],
  );

  const onPlace = useCallback(
    (marker: { x: number; y: number }, positionId: string) => {
      if (placing) {
        change((s) => updateFinding(s, placing, { marker }, nowIso(), template), true);
        setPlacing(null);
      } else if (positionId === position.id) {
        setPendingMarker(marker); // which part? (nothing is recorded until one is chosen)
      } else {
        setPendingMarker(null);
        setCurrent(positionId);
      }
    },
    [placing, position.id, change, template],
  );

  const onChangeFinding = useCallback(
    (id: string, patch: Partial<Pick<Finding, 'itemId' | 'type' | 'severity' | 'note' | 'noPhotoReason'>>) =>
      change((s) => updateFinding(s, id, patch, nowIso(), template), !('note' in patch) && !('noPhotoReason' in patch)),
    [change, template],
  );
  const onDelete = useCallback(
    (id: string) => {
      change((s) => deleteFinding(s, id, nowIso(), template), true);
      setPlacing((p) => (p === id ? null : p));
    },
    [change, template],
  );
  // A photo can finish processing after the advisor has left the step (a second or two for a
  // large photo). The editor is gone then, so the reference is written straight to the record:
  // the bytes are already stored, and the record must not lose its pointer to them.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const intakeId = intake.id;
  const onPhotoAdded = useCallback(
    (id: string, hash: string) => {
      if (mounted.current) change((s) => addPhoto(s, id, hash), true);
      else void addPhotoToStoredRecord(intakeId, id, hash);
    },
    [change, intakeId],
  );
  const onPhotoRemoved = useCallback((id: string, hash: string) => change((s) => removePhoto(s, id, hash), true), [change]);

  const goTo = (id: string) => {
    setPlacing(null);
    setPendingMarker(null);
    setMovedOn(null);
    setCurrent(id);
  };
  const next = nextPosition(template, position.id);
  /**
   * "No damage here": every item OK, then on to the next position (attested one by one, never the
   * whole car at once); it stays while an earlier visit's damage here is still to be marked.
   */
  const onNoDamage = (checked: boolean) => {
    change((s) => setNoDamage(s, position, checked, nowIso()), true);
    if (checked && next && !unmarkedAt.get(position.id)) {
      goTo(next.id);
      setMovedOn(position.order);
      focusTarget.current = '#wa-pos-h';
    }
  };
  const prev = previousPosition(template, position.id);
  const placingFinding = placing ? value.findings.find((f) => f.id === placing) : undefined;

  const statusOf = (id: string) => {
    const n = findingsAt(value, id).length;
    if (complete[id]) return n > 0 ? t('walkaround.statusFindings', { count: n }) : t('walkaround.statusNoDamage');
    const parts = [t('walkaround.statusIncomplete')];
    const p = order.find((x) => x.id === id);
    const open = p ? itemsLeft(value, p).length : 0;
    if (open > 0 && (n > 0 || (p && open < p.items.length))) parts.push(t('walkaround.itemsLeft', { count: open }));
    const earlier = unmarkedAt.get(id) ?? 0;
    if (earlier > 0) parts.push(t('history.previousUnmarked', { count: earlier }));
    return parts.join(' · ');
  };

  return (
    <div className="walkaround-step">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3 style={{ margin: '4px 0' }}>{t('walkaround.title')}</h3>
        <SaveStatus editors={[ed]} />
      </div>
      {readOnly ? <p className="muted">{t('walkaround.readOnlySigned')}</p> : <p className="muted">{t('walkaround.intro')}</p>}

      <nav aria-label={t('walkaround.positionsNav')}>
        <p className="muted" style={{ margin: '0 0 4px' }}>
          {t('walkaround.progress', { done: doneCount, total: order.length })}
        </p>
        <ul className="position-chips">
          {order.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className={complete[p.id] ? 'is-complete' : undefined}
                aria-current={p.id === position.id ? 'step' : undefined}
                aria-label={t('walkaround.chipLabel', { n: p.order, label: p.label[lang], status: statusOf(p.id) })}
                onClick={() => goTo(p.id)}
              >
                <span>
                  {complete[p.id] ? '✓ ' : ''}
                  {p.order} {p.label[lang]}
                </span>
                <span className="chip-status">{statusOf(p.id)}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>

      {placingFinding && !readOnly && (
        <div className="wa-placing-banner" role="status">
          <span>{t('walkaround.placingFor', { n: numberOf.get(placingFinding.id) ?? 0 })}</span>
          <button type="button" onClick={() => setPlacing(null)}>
            {t('walkaround.cancelPlacing')}
          </button>
        </div>
      )}

      <p role="status" aria-live="polite" className="muted wa-moved-on">
        {movedOn !== null ? t('walkaround.movedOn', { n: movedOn }) : ''}
      </p>

      {pendingMarker && !readOnly && (
        <div className="wa-placing-banner wa-choose-part" role="group" aria-labelledby="wa-choose-h">
          <strong id="wa-choose-h">{t('walkaround.choosePartTitle')}</strong>
          <span className="muted">{t('walkaround.choosePartHint')}</span>
          <span className="wa-item-actions">
            {position.items.map((item) => (
              <button key={item} type="button" onClick={() => startFinding(position.id, item, pendingMarker)}>
                {itemName(item)}
              </button>
            ))}
            <button type="button" onClick={() => setPendingMarker(null)}>
              {t('common.cancel')}
            </button>
          </span>
        </div>
      )}

      <div className="walkaround">
        <div className="walkaround-diagram" ref={diagramRef}>
          <VehicleDiagram
            template={template}
            findings={stableFindings}
            complete={complete}
            activePosition={position.id}
            onPlace={readOnly ? undefined : onPlace}
            readOnly={readOnly}
            highlightFindingId={placing}
            overlay={intake.history ? <PreviousDamageMarkers previous={intake.history.previous} template={template} /> : undefined}
          />
          {!readOnly && <p className="muted" style={{ margin: '4px 0 0' }}>{t('walkaround.placeMarkerHint')}</p>}
        </div>

        <div className="walkaround-position">
          <section className="card" aria-labelledby="wa-pos-h">
            <h3 id="wa-pos-h" tabIndex={-1} style={{ marginTop: 0 }}>
              {t('walkaround.positionHeading', { n: position.order, label: position.label[lang] })}{' '}
              <span className={`badge ${complete[position.id] ? 'signed' : 'draft'}`}>
                {complete[position.id] ? t('walkaround.statusComplete') : t('walkaround.statusIncomplete')}
              </span>
            </h3>
            {complete[position.id] && st.completedAt ? (
              <p className="muted">{t('walkaround.completedAt', { time: formatTime(lang, new Date(st.completedAt)) })}</p>
            ) : (
              <p className="muted">{t('walkaround.completeHint')}</p>
            )}

            <h4>{t('walkaround.items')}</h4>
            <ul className="wa-items">
              {position.items.map((item) => {
                const name = itemName(item);
                const count = here.filter((f) => f.itemId === item).length;
                const status = st.items[item];
                return (
                  <li key={item}>
                    <span className="wa-item-name">
                      {name}
                      {count > 0 && <span className="badge danger" style={{ marginLeft: 8 }}>{t('walkaround.itemFindingCount', { count })}</span>}
                    </span>
                    <span className="wa-item-actions">
                      <button
                        type="button"
                        className="is-ok"
                        aria-pressed={status === 'ok'}
                        aria-label={t('walkaround.itemOkAria', { item: name })}
                        disabled={readOnly || count > 0}
                        onClick={() => change((s) => setItemOk(s, position.id, item, status !== 'ok', nowIso(), template))}
                      >
                        {t('walkaround.itemOk')}
                      </button>
                      <button
                        type="button"
                        className="is-finding"
                        aria-pressed={count > 0}
                        aria-label={t('walkaround.itemMarkDamage', { item: lang === 'en' ? name.charAt(0).toLowerCase() + name.slice(1) : name })}
                        disabled={readOnly}
                        onClick={() => startFinding(position.id, item)}
                      >
                        {count > 0 ? `+ ${t('walkaround.itemFinding')}` : t('walkaround.itemFinding')}
                      </button>
                    </span>
                  </li>
                );
              })}
            </ul>

          </section>

          <PreviousDamagePanel intake={intake} template={template} positionId={position.id} findingsHere={here} numberOf={numberOf} />

          <h4>{t('walkaround.findings')}</h4>
          {here.length === 0 && <p className="muted">{t('walkaround.noFindings')}</p>}
          {here.map((f) => (
            <FindingCard
              key={f.id}
              finding={f}
              n={numberOf.get(f.id) ?? 0}
              template={template}
              position={position}
              intakeId={intake.id}
              readOnly={readOnly}
              saved={savedIds.has(f.id)}
              placing={placing === f.id}
              onChange={onChangeFinding}
              onDelete={onDelete}
              onStartPlacing={setPlacing}
              onPhotoAdded={onPhotoAdded}
              onPhotoRemoved={onPhotoRemoved}
              onBeforeCamera={flushNow}
            />
          ))}

          <div className="wa-footer" style={{ marginTop: 16 }}>
            {/* The position's attestation sits with "next position": in portrait both stay at the
                bottom edge of the screen, in thumb reach (walkaround.css). */}
            <div className="wa-attest">
              {here.length > 0 ? (
                left.length > 0 && (
                  <div className="wa-rest-ok">
                    <button type="button" className="primary" disabled={readOnly} aria-describedby="wa-rest-hint" onClick={() => change((s) => setRestOk(s, position, nowIso(), template), true)}>
                      {t('walkaround.restOk')}
                    </button>
                    <p id="wa-rest-hint" className="muted" style={{ marginTop: 0 }}>
                      {t('walkaround.restOkHint', { items: left.map(itemName).join(lang === 'zh-CN' ? '、' : ', ') })}
                    </p>
                  </div>
                )
              ) : (
                <>
                  <label className="wa-nodamage">
                    <input type="checkbox" checked={st.noDamage} disabled={readOnly} aria-describedby="wa-nodamage-hint" onChange={(e) => onNoDamage(e.target.checked)} />
                    {t('walkaround.noDamage')}
                  </label>
                  <p id="wa-nodamage-hint" className="muted" style={{ marginTop: 0 }}>
                    {t('walkaround.noDamageHint')}
                  </p>
                </>
              )}
            </div>
            {prev ? (
              <button type="button" onClick={() => goTo(prev.id)}>
                ← {t('walkaround.previousPosition')}
              </button>
            ) : (
              <span />
            )}
            {next ? (
              <button type="button" className="primary" onClick={() => goTo(next.id)}>
                {t('walkaround.nextPosition', { label: `${next.order} ${next.label[lang]}` })} →
              </button>
            ) : doneCount === order.length ? (
              <span className="badge signed">{t('walkaround.allDone')}</span>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}
