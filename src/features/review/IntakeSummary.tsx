/**
 * The intake summarised for the customer (汇总确认): everything they sign for, in the order the
 * manuals give it. One component for the advisor's review step (with links back to each step),
 * customer mode (read-only, no links: the customer cannot wander off) and the printed sheet.
 *
 * What disputes turn on gets prominence: items left in the car or held in safekeeping, the
 * exterior diagram with every finding numbered, photos, and declined safety-related work.
 */
import type { ReactNode } from 'react';
import type { Intake } from '../../model/intake/schema';
import { declinedSafetyItems, estimateTotals, positionComplete } from '../../model/intake/readiness';
import { defaultTemplate, labelOf, positionsInOrder, type Template } from '../../shared/template/template';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { hrefOf } from '../../ui/router';
import type { StepId } from '../intake/steps';
import { VehicleDiagram } from '../walkaround/VehicleDiagram';
import { PreExistingList } from '../history/PreExistingList';
import { PreviousDamageMarkers } from '../history/PreviousDamage';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { formatDateTime, formatList, formatMoney } from './format';
import { formatNumber } from '../../i18n/format';

/** The template an intake was made with (one built-in template today). */
export function templateOf(_intake: Intake): Template {
  return defaultTemplate;
}

export interface IntakeSummaryProps {
  intake: Intake;
  /** Show "edit" links to the step of each section (the advisor's review; never customer mode). */
  editable?: boolean;
  /** Heading level of the section titles. */
  level?: 2 | 3;
}

function Section({ id, title, step, intakeId, editable, level, children }: { id: string; title: string; step: StepId; intakeId: string; editable: boolean; level: 2 | 3; children: ReactNode }) {
  const { t } = useI18n();
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card summary-section" aria-labelledby={id}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <H id={id} style={{ margin: '0 0 8px' }}>
          {title}
        </H>
        {editable && (
          <a className="button no-print" href={hrefOf({ name: 'intake', id: intakeId, step })} aria-label={t('review.editSection', { section: title })}>
            {t('review.edit')}
          </a>
        )}
      </div>
      {children}
    </section>
  );
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{v === '' || v === null || v === undefined ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function IntakeSummary({ intake, editable = false, level = 3 }: IntakeSummaryProps) {
  const { t, lang } = useI18n();
  const tpl = templateOf(intake);
  const yesNo = (b: boolean | null) => (b === null ? '—' : b ? t('common.yes') : t('common.no'));
  const sec = { intakeId: intake.id, editable, level };
  const c = intake.customer;
  const v = intake.vehicle;
  const visit = intake.visit;
  const w = intake.work;

  // Valuables: what stays with the dealership first and loud; what the customer took, quietly.
  const kept = intake.valuables.items.filter((i) => i.answer === 'left' || i.answer === 'safekeeping');
  const taken = intake.valuables.items.filter((i) => i.answer === 'taken');
  const unanswered = intake.valuables.items.filter((i) => i.answer === null);

  const complaintRows: [MessageKey, string][] = [
    ['review.complaintSymptom', intake.complaint.symptom],
    ['review.complaintSince', intake.complaint.since],
    ['review.complaintPattern', intake.complaint.pattern ? t(intake.complaint.pattern === 'constant' ? 'review.patternConstant' : 'review.patternIntermittent') : ''],
    ['review.complaintConditions', intake.complaint.conditions],
    ['review.complaintWarningLights', intake.complaint.warningLights],
    ['review.complaintNoises', intake.complaint.noises],
    ['review.complaintSmells', intake.complaint.smells],
  ];
  const complaintFilled = complaintRows.filter(([, val]) => val.trim() !== '');

  const findings = intake.walkaround.findings;
  const declined = declinedSafetyItems(intake);
  const totals = estimateTotals(intake);
  const findingLabel = (id: string | null) => {
    const i = findings.findIndex((f) => f.id === id);
    return i >= 0 ? t('review.findingNo', { n: i + 1 }) : '';
  };

  return (
    <div className="intake-summary">
      <Section id={`sum-cust-${intake.id}`} title={t('review.secCustomerVehicle')} step="customer" {...sec}>
        <div className="grid2">
          <Facts
            rows={[
              [t('review.customerName'), [c.name, c.salutation].filter(Boolean).join(' ')],
              [t('review.mobile'), c.mobile],
              [t('review.advisor'), intake.advisor.name],
              [t('review.appointment'), visit.appointmentRef],
              [t('review.createdAt'), formatDateTime(lang, intake.createdAt)],
            ]}
          />
          <Facts
            rows={[
              [t('review.plate'), v.plate],
              [t('review.vin'), v.vin ? <span className="mono">{v.vin}</span> : ''],
              [t('review.makeModel'), [v.make, v.model, v.year ?? ''].filter((x) => x !== '').join(' ')],
              [t('review.colour'), v.colour],
              [t('review.odometer'), visit.odometerKm === null ? '' : t('review.km', { n: formatNumber(lang, visit.odometerKm) })],
              [t('review.fuel'), visit.fuelEighths === null ? '' : <FuelGauge eighths={visit.fuelEighths} />],
            ]}
          />
        </div>
      </Section>

      <Section id={`sum-complaint-${intake.id}`} title={t('review.secComplaint')} step="customer" {...sec}>
        {complaintFilled.length ? <Facts rows={complaintFilled.map(([k, val]) => [t(k), val])} /> : <p className="muted">{t('review.notRecorded')}</p>}
      </Section>

      <Section id={`sum-valuables-${intake.id}`} title={t('review.secProtectionValuables')} step="valuables" {...sec}>
        <p>
          <strong>{t('review.protection')}:</strong>{' '}
          {(
            [
              ['seatCover', 'review.seatCover'],
              ['wheelCover', 'review.wheelCover'],
              ['floorMat', 'review.floorMat'],
            ] as const
          ).map(([k, label]) => (
            <span key={k} className={`badge ${visit.protection[k] ? 'signed' : 'draft'}`} style={{ marginRight: 6 }}>
              {visit.protection[k] ? '✓' : '✗'} {t(label)}
            </span>
          ))}
        </p>
        <p>
          <strong>{t('review.valuablesReminded')}:</strong> {yesNo(intake.valuables.reminded)}
        </p>
        {kept.length > 0 ? (
          <div className="kept-items" role="group" aria-label={t('review.keptItems')}>
            <h4 style={{ margin: '0 0 6px' }}>⚠ {t('review.keptItems')}</h4>
            <ul>
              {kept.map((i) => (
                <li key={i.itemId}>
                  <strong>{labelOf(tpl.valuables, i.itemId, lang)}</strong> · {t(i.answer === 'left' ? 'review.valuableLeft' : 'review.valuableSafekeeping')}
                  {i.description && <>: {i.description}</>}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p>{t('review.noKeptItems')}</p>
        )}
        {taken.length > 0 && (
          <p className="muted">
            {t('review.takenItems')}: {formatList(lang, taken.map((i) => labelOf(tpl.valuables, i.itemId, lang)))}
          </p>
        )}
        {unanswered.length > 0 && (
          <p className="warning">
            {t('review.unansweredItems')}: {formatList(lang, unanswered.map((i) => labelOf(tpl.valuables, i.itemId, lang)))}
          </p>
        )}
      </Section>

      <Section id={`sum-cabin-${intake.id}`} title={t('review.secCabin')} step="cabin" {...sec}>
        {!intake.cabin.consent ? (
          <p className="muted">{t('review.cabinNoConsent')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('review.cabinItem')}</th>
                <th scope="col">{t('review.result')}</th>
                <th scope="col">{t('review.note')}</th>
              </tr>
            </thead>
            <tbody>
              {tpl.cabinItems.map((ci) => {
                const r = intake.cabin.items[ci.id];
                const label = ci.label[lang];
                return (
                  <tr key={ci.id}>
                    <td>{label}</td>
                    <td>
                      {r?.status === 'ok' ? (
                        <span className="badge signed">{t('review.ok')}</span>
                      ) : r?.status === 'issue' ? (
                        <span className="badge danger">{t('review.issue')}</span>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>
                      {r?.note}
                      {r && <PhotoStrip hashes={r.photos} alt={label} size={80} />}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Section>

      <Section id={`sum-ext-${intake.id}`} title={t('review.secExterior')} step="walkaround" {...sec}>
        <div className="exterior-layout">
          <VehicleDiagram
            template={tpl}
            findings={findings}
            complete={Object.fromEntries(tpl.positions.map((p) => [p.id, positionComplete(intake, p.id)]))}
            readOnly
            maxWidth={320}
            className="summary-diagram"
            overlay={intake.history ? <PreviousDamageMarkers previous={intake.history.previous} template={tpl} /> : undefined}
          />
          <div style={{ flex: 1, minWidth: 260 }}>
            <ul className="position-list">
              {positionsInOrder(tpl).map((p) => {
                const st = intake.walkaround.positions[p.id];
                const n = findings.filter((f) => f.positionId === p.id).length;
                return (
                  <li key={p.id}>
                    {p.order}. {p.label[lang]}:{' '}
                    {n > 0 ? (
                      <>
                        <span className="badge danger">{t('review.findingsCount', { n })}</span>
                        {/* What was looked at and found OK at a position with damage: the record says so, and so does the paper. */}
                        {(() => {
                          const ok = p.items.filter((item) => st?.items[item] === 'ok').map((item) => tpl.exteriorItems[item]?.[lang] ?? item);
                          return ok.length > 0 ? <span className="muted position-rest-ok"> {t('review.restOk', { items: formatList(lang, ok) })}</span> : null;
                        })()}
                      </>
                    ) : st?.noDamage ? (
                      <span className="badge signed">{t('review.noDamage')}</span>
                    ) : (
                      <span className="badge draft">{t('review.notChecked')}</span>
                    )}
                  </li>
                );
              })}
            </ul>
            <PreExistingList intake={intake} template={tpl} />
            {findings.length === 0 ? (
              <p>{t('review.noFindings')}</p>
            ) : (
              <ol className="finding-list">
                {findings.map((f) => {
                  const pos = tpl.positions.find((p) => p.id === f.positionId);
                  const item = tpl.exteriorItems[f.itemId]?.[lang] ?? f.itemId;
                  const title = `${pos ? pos.label[lang] : f.positionId} · ${item} · ${labelOf(tpl.findingTypes, f.type, lang)}`;
                  return (
                    <li key={f.id} className="finding">
                      <strong>{title}</strong> <span className="badge">{labelOf(tpl.severities, f.severity, lang)}</span>
                      {f.foundAt !== 'intake' && <span className="badge danger"> {t(f.foundAt === 'technician' ? 'review.foundTechnician' : 'review.foundHandover')}</span>}
                      {f.note && <div>{f.note}</div>}
                      <PhotoStrip hashes={f.photos} alt={title} size={96} />
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
        </div>
      </Section>

      <Section id={`sum-work-${intake.id}`} title={t('review.secWork')} step="work" {...sec}>
        {w.recommendations.length === 0 ? (
          <p>{t('review.noRecommendations')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('review.recommendation')}</th>
                <th scope="col">{t('review.decision')}</th>
                <th scope="col">{t('review.labour')}</th>
                <th scope="col">{t('review.parts')}</th>
              </tr>
            </thead>
            <tbody>
              {w.recommendations.map((r) => (
                <tr key={r.id}>
                  <td>
                    {r.title || '—'} {r.safety && <span className="badge danger">{t('review.safety')}</span>}{' '}
                    {r.findingId && <span className="muted">({findingLabel(r.findingId)})</span>}
                  </td>
                  <td>
                    {r.decision === 'now' ? (
                      <span className="badge signed">{t('review.decisionNow')}</span>
                    ) : r.decision === 'later' ? (
                      <span className="badge draft">{t('review.decisionLater')}</span>
                    ) : (
                      <span className="warning">{t('review.decisionOpen')}</span>
                    )}
                  </td>
                  <td>{formatMoney(lang, r.labour)}</td>
                  <td>{formatMoney(lang, r.parts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {declined.length > 0 && (
          <div className="declined-safety" role="group" aria-label={t('review.declinedSafety')}>
            <h4 style={{ margin: '0 0 6px' }}>⚠ {t('review.declinedSafety')}</h4>
            <ul>
              {declined.map((r) => (
                <li key={r.id}>{r.title}</li>
              ))}
            </ul>
            <p style={{ margin: 0 }}>{t('review.declinedSafetyNote')}</p>
          </div>
        )}
        {w.addedServices.length > 0 && (
          <>
            <h4>{t('review.addedServices')}</h4>
            <table>
              <tbody>
                {w.addedServices.map((s) => (
                  <tr key={s.id}>
                    <td>{s.title || '—'}</td>
                    <td>{formatMoney(lang, s.labour)}</td>
                    <td>{formatMoney(lang, s.parts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <h4>{t('review.estimate')}</h4>
        <Facts
          rows={[
            [t('review.labour'), formatMoney(lang, totals.labour)],
            [t('review.parts'), formatMoney(lang, totals.parts)],
            [t('review.total'), <strong key="t">{formatMoney(lang, totals.total)}</strong>],
          ]}
        />
        {w.estimateNote && <p>{w.estimateNote}</p>}
        <p className="muted">{t('review.estimateDisclaimer')}</p>
      </Section>

      <Section id={`sum-terms-${intake.id}`} title={t('review.secTerms')} step="work" {...sec}>
        <Facts
          rows={[
            [t('review.promisedAt'), w.promisedAt ? formatDateTime(lang, w.promisedAt) : ''],
            [t('review.payment'), w.payment ? t(`review.payment_${w.payment}`) : ''],
            [t('review.oldParts'), w.oldParts ? t(w.oldParts === 'take' ? 'review.oldPartsTake' : 'review.oldPartsLeave') : ''],
            [t('review.freeWash'), yesNo(w.freeWash)],
            [t('review.registration'), yesNo(w.documents.registration)],
            [t('review.serviceBooklet'), yesNo(w.documents.serviceBooklet)],
            [t('review.keys'), String(w.documents.keys)],
          ]}
        />
      </Section>
    </div>
  );
}

function FuelGauge({ eighths }: { eighths: number }) {
  const { t } = useI18n();
  return (
    <span className="fuel-gauge">
      <svg width="88" height="14" viewBox="0 0 88 14" aria-hidden="true" style={{ verticalAlign: 'middle', marginRight: 6 }}>
        {Array.from({ length: 8 }, (_, i) => (
          <rect key={i} x={i * 11} y={1} width={9} height={12} rx={2} fill={i < eighths ? '#1a1f26' : '#fff'} stroke="#1a1f26" strokeWidth={1} />
        ))}
      </svg>
      {t('review.fuelEighths', { n: eighths })}
    </span>
  );
}
