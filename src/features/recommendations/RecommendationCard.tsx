/**
 * One recommended repair: title, safety-related flag, labour (工时费) and parts (备品费)
 * estimates, and the customer's decision. A declined safety-related repair is flagged: the
 * customer signs for it explicitly on the review step.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { Recommendation } from '../../model/intake/schema';
import { Segmented } from '../../ui/Segmented';
import { TextField } from '../../ui/TextField';
import { NumberField } from '../../ui/NumberField';
import { moneySchema } from '../intake/fieldSchemas';
import { ConfirmDelete } from './ConfirmDelete';
import { LIMITS } from '../../model/text';

export interface RecommendationCardProps {
  rec: Recommendation;
  index: number;
  /** Where it came from (e.g. "损伤 2 · 左前门 · 划痕"), or null for a free-text one. */
  source: string | null;
  onChange: (patch: Partial<Recommendation>) => void;
  onRemove: () => void;
  readOnly: boolean;
}

export function RecommendationCard({ rec, index, source, onChange, onRemove, readOnly }: RecommendationCardProps) {
  const { t } = useI18n();
  const declinedSafety = rec.safety && rec.decision === 'later';
  // "必填" shows once the advisor has been in the field (or it opened filled), never in red on a
  // card that was just added and not touched yet.
  const [touched, setTouched] = useState(rec.title !== '');
  const n = index + 1;
  return (
    <li className={`rec-card${declinedSafety ? ' declined-safety' : ''}`} data-testid={`rec-${n}`} aria-label={t('work.recNo', { n })}>
      <div className="intake-step-head">
        <strong>{t('work.recNo', { n })}</strong>
        {source && <span className="muted">{source}</span>}
        <ConfirmDelete label={t('work.deleteRec', { n })} onDelete={onRemove} disabled={readOnly} />
      </div>
      <TextField
        label={t('work.recTitle')}
        value={rec.title}
        onChange={(v) => {
          setTouched(true);
          onChange({ title: v });
        }}
        onBlur={() => setTouched(true)}
        error={touched && !rec.title.trim() ? 'required' : null}
        readOnly={readOnly}
        required
        maxLength={LIMITS.title}
      />
      <label className="check">
        <input type="checkbox" checked={rec.safety} disabled={readOnly} onChange={(e) => onChange({ safety: e.target.checked })} />
        {t('work.safety')}
      </label>
      <div className="money-row">
        <NumberField label={t('work.labour')} value={rec.labour} onChange={(v) => onChange({ labour: v })} schema={moneySchema} decimal readOnly={readOnly} placeholder="0.00" />
        <NumberField label={t('work.parts')} value={rec.parts} onChange={(v) => onChange({ parts: v })} schema={moneySchema} decimal readOnly={readOnly} placeholder="0.00" />
      </div>
      <Segmented<'now' | 'later'>
        label={t('work.decision')}
        options={[
          { value: 'now', label: t('work.decisionNow'), tone: 'ok' },
          { value: 'later', label: t('work.decisionLater'), tone: 'issue' },
        ]}
        value={rec.decision}
        onChange={(v) => onChange({ decision: v })}
        clearable
        disabled={readOnly}
      />
      {rec.decision === null && <p className="warning">{t('work.decisionOpen')}</p>}
      {declinedSafety && (
        <p className="callout-danger" data-testid="declined-safety">
          ⚠ {t('work.declinedSafety')}
        </p>
      )}
    </li>
  );
}
