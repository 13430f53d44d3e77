/**
 * On a signed intake (wizard / review): what happened after intake. Disputes and new damage
 * from the technician's check are an alert the advisor cannot miss, before work continues; the
 * technician's check, the handover walk and its printable sheet are one tap away.
 */
import { useI18n } from '../../i18n/i18n';
import type { Intake } from '../../model/intake/schema';
import { followUpFlagsOf, latestSigned, useHandoversOf, useTechChecksOf } from '../../store/queries';
import { hrefOf } from '../../ui/router';
import './follow.css';

export function FollowUpBanner({ intake }: { intake: Intake }) {
  const { t } = useI18n();
  const checks = useTechChecksOf(intake.id);
  const handovers = useHandoversOf(intake.id);
  if (intake.status !== 'signed' || !checks || !handovers) return null;
  const f = followUpFlagsOf(checks, handovers);
  const alert = f.disputes > 0 || f.newAtTechnician > 0;
  const handedOver = latestSigned(handovers);
  return (
    <aside className={`card follow-banner no-print${alert ? ' is-alert' : ''}`} role={alert ? 'alert' : 'status'} aria-label={t('technician.title')}>
      <div>
        {alert ? (
          <>
            <strong>⚠ {t('technician.bannerTitle')}</strong>
            <ul>
              {f.disputes > 0 && <li>{t('technician.bannerDisputes', { n: f.disputes })}</li>}
              {f.newAtTechnician > 0 && <li>{t('technician.bannerNewDamage', { n: f.newAtTechnician })}</li>}
            </ul>
            <span>{t('technician.bannerBeforeWork')}</span>
          </>
        ) : (
          <span>{f.checkSigned ? t('technician.bannerCheckOk') : f.checkInProgress ? t('technician.bannerCheckInProgress') : t('technician.bannerNoCheck')}</span>
        )}
        {handedOver && <span className="badge signed"> {t('technician.bannerHandoverDone')}</span>}
      </div>
      <div className="row">
        <a className="button" href={hrefOf({ name: 'techCheck', id: intake.id })}>
          {t('technician.bannerOpenCheck')}
        </a>
        <a className="button primary" href={hrefOf({ name: 'handover', id: intake.id })}>
          {handedOver ? t('technician.bannerHandoverDone') : t('technician.bannerHandover')}
        </a>
        {handedOver && (
          <a className="button" href={hrefOf({ name: 'handoverPrint', id: intake.id })}>
            {t('technician.bannerHandoverPrint')}
          </a>
        )}
      </div>
    </aside>
  );
}
