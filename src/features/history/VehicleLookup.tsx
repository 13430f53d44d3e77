/**
 * The first step's returning-vehicle card (issue 11). As the plate (or VIN) is typed, the cars of
 * the tablet's vehicle index that match are offered with their last visit's date and odometer;
 * one tap fills vehicle and customer from the last visit (or the vehicle only: the car may have
 * changed owners, so customer data is offered, never reused without the tap) and carries over
 * the open items of the car's history. Once filled, it shows the last visit and warns when the
 * odometer typed now is lower. Offline: reads only IndexedDB.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { Intake } from '../../model/intake/schema';
import { odometerLower } from '../../model/vehicle/history';
import { applyHistoryPrefill, prefillFor, useVehicleMatches, type VehicleMatch } from '../../store/vehicleHistory';
import { formatDay, formatKm } from './format';
import './history.css';

export function VehicleLookup({ intake }: { intake: Intake }) {
  const { t, lang } = useI18n();
  const h = intake.history;
  const { plate, vin } = intake.vehicle;
  const typed = plate || (vin.length >= 6 ? vin : '');
  const matches = useVehicleMatches(h || intake.status === 'signed' ? '' : typed);
  const [busy, setBusy] = useState(false);
  const km = (n: number | null | undefined) => formatKm(lang, n, t('history.kmUnknown'));

  if (h?.lastVisit) {
    const lower = odometerLower(h.lastVisit.odometerKm, intake.visit.odometerKm);
    return (
      <section className="card history-card" aria-labelledby="hist-lookup" data-testid="history-filled">
        <h3 id="hist-lookup">{t('history.lookupTitle')}</h3>
        <p>{t('history.lastVisit', { date: formatDay(lang, h.lastVisit.at), km: km(h.lastVisit.odometerKm) })}</p>
        {lower && (
          <p className="history-warning" role="alert" data-testid="odometer-lower">
            {t('history.odometerLower', { now: km(intake.visit.odometerKm), last: km(h.lastVisit.odometerKm) })}
          </p>
        )}
        {plate && (
          <a className="button" href={`#/vehicle/${encodeURIComponent(plate)}`} aria-label={t('history.timelineLinkAria', { plate })}>
            {t('history.timelineLink')}
          </a>
        )}
      </section>
    );
  }
  if (intake.status === 'signed' || !matches?.length) return null;

  const fill = async (v: VehicleMatch, customer: boolean) => {
    setBusy(true);
    try {
      await applyHistoryPrefill(intake.id, await prefillFor(v), { customer });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card history-card" aria-labelledby="hist-lookup" data-testid="vehicle-lookup">
      <h3 id="hist-lookup">{t('history.lookupTitle')}</h3>
      <p className="muted">{t('history.lookupMatches', { count: matches.length })}</p>
      <ul className="history-matches">
        {matches.slice(0, 3).map((v) => (
          <li key={v.id || v.lastIntakeId} data-testid="vehicle-match">
            <p className="history-match-title">
              {t('history.matchLabel', { plate: v.plate, car: [v.make, v.model].filter(Boolean).join(' ') || (v.vin ?? t('history.plateOnly')), date: formatDay(lang, v.lastVisitAt), km: km(v.lastOdometerKm) })}
            </p>
            {v.customer.name && <p className="muted">{t('history.customerOffered', { name: v.customer.name, mobile: v.customer.mobile })}</p>}
            <div className="row">
              <button type="button" className="primary" disabled={busy} aria-label={t('history.fillAllAria', { plate: v.plate })} onClick={() => void fill(v, true)}>
                {t('history.fillAll')}
              </button>
              <button type="button" disabled={busy} aria-label={t('history.fillVehicleOnlyAria', { plate: v.plate })} onClick={() => void fill(v, false)}>
                {t('history.fillVehicleOnly')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
