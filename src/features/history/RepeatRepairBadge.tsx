/**
 * The repeat-repair flag (重复维修, issue 11): shown when this intake's complaint or work matches a
 * visit of the same car within the tablet's window (default 90 days), on the intake, the
 * technician's queue and the check screen, with the earlier visit's date and words. Computed
 * from the signed intakes on this tablet (offline), never stored.
 */
import { useI18n } from '../../i18n/i18n';
import type { Intake } from '../../model/intake/schema';
import { useRepeatMatches } from '../../store/vehicleHistory';
import { useIntake } from '../../store/queries';
import { formatDay } from './format';
import './history.css';

export function RepeatRepairBadge({ intake, detail = true }: { intake: Intake | null | undefined; detail?: boolean }) {
  const { t, lang } = useI18n();
  const matches = useRepeatMatches(intake);
  if (!matches?.length) return null;
  const first = matches[0]!;
  const text = t('history.repeatDetail', { date: formatDay(lang, first.at), what: first.what === 'complaint' ? t('history.repeatComplaint') : t('history.repeatWork'), text: first.text });
  return (
    <span className="repeat-repair" role="status" data-testid="repeat-repair">
      <span className="badge repeat" title={text}>
        {t('history.repeatBadge')}
      </span>
      {detail && <span className="muted"> {text}</span>}
    </span>
  );
}

/** The flag for a list row that has only the intake's id (the technician's queue). */
export function RepeatRepairBadgeFor({ intakeId }: { intakeId: string }) {
  return <RepeatRepairBadge intake={useIntake(intakeId)} detail={false} />;
}
