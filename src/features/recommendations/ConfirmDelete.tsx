import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';

/** Delete in two taps: a mis-tap in the lane must not drop a recommendation the customer saw. */
export function ConfirmDelete({ label, onDelete, disabled }: { label: string; onDelete: () => void; disabled?: boolean }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (disabled) return null;
  return asking ? (
    <span className="row">
      <button type="button" className="danger" onClick={onDelete}>
        {t('work.confirmDelete')}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  ) : (
    <button type="button" className="danger" aria-label={label} onClick={() => setAsking(true)}>
      {t('common.delete')}
    </button>
  );
}
