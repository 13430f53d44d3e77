/**
 * The province character of a plate (京, 沪, 粤 …) in one tap: on a tablet, switching the
 * keyboard to a Chinese input method for one character is the slowest part of typing a plate.
 * Replaces the plate's first character when it already is a province, else prefixes it.
 */
import { useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n';

export const PROVINCE_CHARS = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

export function withProvince(plate: string, province: string): string {
  const first = plate.charAt(0);
  return province + (first && PROVINCE_CHARS.includes(first) ? plate.slice(1) : plate);
}

export interface ProvincePickerProps {
  plate: string;
  onPick: (plate: string) => void;
  disabled?: boolean;
  /** The plate input: focus returns there after a pick (the tapped button disappears with the
   *  panel, and focus on the page body would lose what the advisor types next). */
  returnFocus?: () => HTMLInputElement | null;
}

export function ProvincePicker({ plate, onPick, disabled, returnFocus }: ProvincePickerProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <div className="province-picker">
      <button type="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)} disabled={disabled}>
        {t('intake.provincePick')}
      </button>
      {open && (
        <div id={panelId} role="group" aria-label={t('intake.provincePick')} className="province-grid">
          {Array.from(PROVINCE_CHARS).map((p) => (
            <button
              key={p}
              type="button"
              aria-pressed={plate.charAt(0) === p}
              onClick={() => {
                const next = withProvince(plate, p);
                onPick(next);
                setOpen(false);
                const input = returnFocus?.();
                if (input) {
                  input.focus();
                  // After the new value is rendered: the caret at the end, after the province.
                  requestAnimationFrame(() => input.setSelectionRange(input.value.length, input.value.length));
                }
              }}
            >
              {p}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
