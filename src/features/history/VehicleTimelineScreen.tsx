/**
 * The vehicle timeline (#/vehicle/<plate or VIN>, issue 11): every visit of this car that the
 * tablet holds, newest first, each with its diagram (earlier damage in its own colour), findings
 * and photos, signatures, the technician's check and the handover, and whether each signed
 * record's content still hashes to its signed hash (recomputed here, on the tablet). Any signed
 * intake opens read-only (the wizard's review step; signed means frozen). Offline: IndexedDB only.
 */
import { useI18n } from '../../i18n/i18n';
import type { Intake } from '../../model/intake/schema';
import { contentHash } from '../../model/intake/signedContent';
import { techCheckHash } from '../../model/techCheck/schema';
import { handoverHash } from '../../model/handover/schema';
import { defaultTemplate, labelOf } from '../../shared/template/template';
import { useHandoversOf, useTechChecksOf } from '../../store/queries';
import { useLocalVisits, useVehicleByPlateOrVin } from '../../store/vehicleHistory';
import { hrefOf } from '../../ui/router';
import { VehicleDiagram } from '../walkaround/VehicleDiagram';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { SignatureList } from '../review/SignedRecord';
import { PreExistingList } from './PreExistingList';
import { PreviousDamageMarkers } from './PreviousDamage';
import { RepeatRepairBadge } from './RepeatRepairBadge';
import { formatDay, formatKm } from './format';
import './history.css';

const template = defaultTemplate;

function HashCheck({ ok }: { ok: boolean }) {
  const { t } = useI18n();
  return ok ? <span className="hash-ok" data-testid="hash-ok">✓ {t('history.hashOk')}</span> : <span className="hash-bad" role="alert">✗ {t('history.hashBad')}</span>;
}

function Visit({ intake }: { intake: Intake }) {
  const { t, lang } = useI18n();
  const checks = useTechChecksOf(intake.id);
  const handovers = useHandoversOf(intake.id);
  const check = checks?.find((c) => c.status === 'signed') ?? checks?.[0];
  const handover = handovers?.find((h) => h.status === 'signed') ?? handovers?.[0];
  const km = formatKm(lang, intake.visit.odometerKm, t('history.kmUnknown'));
  return (
    <li data-testid="timeline-visit" data-intake={intake.id}>
      <h3>{t('history.visitHeading', { date: formatDay(lang, intake.signedAt), km })}</h3>
      <p>
        <HashCheck ok={contentHash(intake) === intake.contentHash} /> <RepeatRepairBadge intake={intake} detail={false} />
      </p>
      {intake.complaint.symptom && <p>{intake.complaint.symptom}</p>}
      <div className="exterior-layout">
        <VehicleDiagram
          template={template}
          findings={intake.walkaround.findings}
          readOnly
          maxWidth={240}
          overlay={intake.history ? <PreviousDamageMarkers previous={intake.history.previous} template={template} /> : undefined}
        />
        <div style={{ flex: 1, minWidth: 240 }}>
          <PreExistingList intake={intake} template={template} photos={false} />
          <p>{t('history.findingsCount', { count: intake.walkaround.findings.length })}</p>
          <ul className="previous-list">
            {intake.walkaround.findings.map((f) => {
              const what = `${template.positions.find((p) => p.id === f.positionId)?.label[lang] ?? f.positionId} · ${template.exteriorItems[f.itemId]?.[lang] ?? f.itemId} · ${labelOf(template.findingTypes, f.type, lang)}`;
              return (
                <li key={f.id}>
                  <strong>{what}</strong>
                  {f.photos.length > 0 && <PhotoStrip hashes={f.photos} alt={what} size={64} />}
                </li>
              );
            })}
          </ul>
          <SignatureList signatures={intake.signatures} />
          <p>
            {t('history.techCheckDone', { status: check ? (check.status === 'signed' ? t('history.statusSigned') : t('history.statusDraft')) : t('history.none') })}{' '}
            {check?.status === 'signed' && <HashCheck ok={techCheckHash(check) === check.contentHash} />}
          </p>
          <p>
            {t('history.handoverDone', { status: handover ? (handover.status === 'signed' ? t('history.statusSigned') : t('history.statusDraft')) : t('history.none') })}{' '}
            {handover?.status === 'signed' && <HashCheck ok={handoverHash(handover) === handover.contentHash} />}
          </p>
          <p className="row">
            <a className="button" href={hrefOf({ name: 'intake', id: intake.id, step: 'review' })}>
              {t('history.openSigned')}
            </a>
            {handover?.status === 'signed' && (
              <a className="button" href={hrefOf({ name: 'handoverPrint', id: intake.id })}>
                {t('history.handoverDone', { status: t('history.statusSigned') })}
              </a>
            )}
          </p>
        </div>
      </div>
    </li>
  );
}

export function VehicleTimelineScreen({ plateOrVin }: { plateOrVin: string }) {
  const { t, lang } = useI18n();
  const vehicle = useVehicleByPlateOrVin(plateOrVin);
  const visits = useLocalVisits(vehicle);
  if (vehicle === undefined) return <p role="status">{t('common.loading')}</p>;
  if (vehicle === null) return <p role="alert">{t('history.timelineNotFound')}</p>;
  const missing = Math.max(0, vehicle.visits - (visits?.length ?? 0));
  return (
    <section aria-labelledby="vt-title" data-testid="vehicle-timeline">
      <h2 id="vt-title">{t('history.timelineTitle', { plate: vehicle.plate })}</h2>
      <p className="muted">
        {[vehicle.make, vehicle.model, vehicle.year, vehicle.colour].filter(Boolean).join(' ')} · {vehicle.vin ?? t('history.plateOnly')}
        {vehicle.plates.length > 1 ? ` · ${vehicle.plates.join(' → ')}` : ''}
      </p>
      <h3>{t('history.timelineVisits', { count: Math.max(vehicle.visits, visits?.length ?? 0) })}</h3>
      {missing > 0 && <p className="muted">{t('history.timelineNotOnTablet', { date: formatDay(lang, vehicle.lastVisitAt) })}</p>}
      <ol className="timeline">
        {(visits ?? []).map((i) => (
          <Visit key={i.id} intake={i} />
        ))}
      </ol>
    </section>
  );
}
