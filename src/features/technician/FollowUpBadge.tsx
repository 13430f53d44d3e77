/** Small badges for the intake list and the queue: disputes and new damage stand out in red. */
import { useI18n } from '../../i18n/i18n';
import type { FollowUpFlags } from '../../store/queries';
import './follow.css';

export function FollowUpBadge({ flags }: { flags: FollowUpFlags | undefined }) {
  const { t } = useI18n();
  if (!flags) return null;
  return (
    <>
      {flags.disputes > 0 && <span className="badge danger follow-dispute">⚠ {t('technician.badgeDisputes', { n: flags.disputes })}</span>}{' '}
      {flags.newAtTechnician > 0 && <span className="badge danger follow-dispute">⚠ {t('technician.badgeNewDamage', { n: flags.newAtTechnician })}</span>}{' '}
      {flags.checkSigned && flags.disputes === 0 && flags.newAtTechnician === 0 && <span className="badge signed">{t('technician.badgeChecked')}</span>}{' '}
      {flags.handedOver && <span className="badge signed">{t('technician.badgeHandedOver')}</span>}
    </>
  );
}
