/** The six positions in walking order; the current one pressed, checked ones ticked. */
import { useI18n } from '../../../i18n/i18n';
import { positionsInOrder, type Template } from '../../../shared/template/template';

export function PositionTabs({
  template,
  current,
  checked,
  counts,
  onSelect,
}: {
  template: Template;
  current: string;
  checked: Record<string, boolean>;
  /** Number of findings per position, shown as a small count. */
  counts?: Record<string, number>;
  onSelect: (id: string) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <div className="follow-tabs" role="group" aria-label={t('technician.positionsNav')}>
      {positionsInOrder(template).map((p) => {
        const label = p.label[lang];
        const done = !!checked[p.id];
        return (
          <button
            key={p.id}
            type="button"
            aria-pressed={p.id === current}
            aria-label={done ? t('technician.positionDone', { label }) : label}
            className={done ? 'is-done' : undefined}
            onClick={() => onSelect(p.id)}
          >
            <span aria-hidden="true">{done ? '✓' : p.order}</span> {label}
            {counts?.[p.id] ? <span className="follow-count" aria-hidden="true">{counts[p.id]}</span> : null}
          </button>
        );
      })}
    </div>
  );
}
