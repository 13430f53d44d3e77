/**
 * One finding at the current position: part, type, severity, place on the car, photos, note.
 * Memoised with stable callbacks from the step, so typing in one finding's note does not
 * re-render twenty others and their thumbnails.
 */
import { memo, useId, useState } from 'react';
import type { Finding } from '../../model/intake/schema';
import { labelOf, type Template, type TemplatePosition } from '../../shared/template/template';
import { useI18n } from '../../i18n/i18n';
import { PhotoCapture } from '../../photos/PhotoCapture';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { markerInPosition, positionNear } from './diagramGeometry';
import { findingGaps, MAX_PHOTOS_PER_FINDING } from './walkaroundModel';
import { findingPhotoRequired } from '../../model/intake/findings';
import { LIMITS } from '../../model/text';

const GAP_TEXT = {
  item: 'walkaround.itemMissing',
  type: 'walkaround.typeMissing',
  severity: 'walkaround.severityMissing',
  photo: 'walkaround.photoOrReasonMissing',
} as const;

export interface FindingCardProps {
  finding: Finding;
  n: number;
  template: Template;
  position: TemplatePosition;
  intakeId: string;
  readOnly: boolean;
  /** The finding is in the stored record (the camera may open: nothing can be lost). */
  saved: boolean;
  placing: boolean;
  onChange: (id: string, patch: Partial<Pick<Finding, 'itemId' | 'type' | 'severity' | 'note' | 'noPhotoReason'>>) => void;
  onDelete: (id: string) => void;
  onStartPlacing: (id: string | null) => void;
  onPhotoAdded: (id: string, hash: string) => void;
  onPhotoRemoved: (id: string, hash: string) => void;
  /** Write pending edits now (the camera is opening). */
  onBeforeCamera?: () => void;
}

function FindingCardImpl(p: FindingCardProps) {
  const { t, lang } = useI18n();
  const { finding: f, n, template, position, readOnly } = p;
  const [confirmDelete, setConfirmDelete] = useState(false);
  const uid = useId();
  const itemLabel = f.itemId ? (template.exteriorItems[f.itemId]?.[lang] ?? f.itemId) : '—';
  const gaps = findingGaps(f, template);
  const askReason = f.photos.length === 0 && findingPhotoRequired(template);
  const markerElsewhere = f.marker && !markerInPosition(position, f.marker) ? positionNear(template, f.marker.x, f.marker.y) : null;
  const alt = `${t('walkaround.findingTitle', { n, item: itemLabel })} ${f.type ? labelOf(template.findingTypes, f.type, lang) : ''}`.trim();

  return (
    // tabIndex -1: a readiness gap's link brings this card into view and focus (#/…/walkaround/<id>).
    <section className={`card wa-finding${p.placing ? ' is-placing' : ''}`} aria-labelledby={`${uid}-h`} data-finding-card={f.id} tabIndex={-1}>
      <h4 id={`${uid}-h`}>
        <span className="wa-finding-num" aria-hidden="true">
          {n}
        </span>
        {t('walkaround.findingTitle', { n, item: itemLabel })}
      </h4>

      <div className="field">
        <label htmlFor={`${uid}-item`} className="label" style={{ fontWeight: 600 }}>
          {t('walkaround.findingItem')}
        </label>
        <select id={`${uid}-item`} value={f.itemId} disabled={readOnly} onChange={(e) => p.onChange(f.id, { itemId: e.target.value })}>
          <option value="">—</option>
          {position.items.map((item) => (
            <option key={item} value={item}>
              {template.exteriorItems[item]?.[lang] ?? item}
            </option>
          ))}
        </select>
      </div>

      <fieldset className="wa-options">
        <legend>{t('walkaround.findingType')}</legend>
        {template.findingTypes.map((ft) => (
          <button key={ft.id} type="button" aria-pressed={f.type === ft.id} disabled={readOnly} onClick={() => p.onChange(f.id, { type: ft.id })}>
            {ft.label[lang]}
          </button>
        ))}
      </fieldset>

      <fieldset className="wa-options">
        <legend>{t('walkaround.findingSeverity')}</legend>
        {template.severities.map((s) => (
          <button key={s.id} type="button" aria-pressed={f.severity === s.id} disabled={readOnly} onClick={() => p.onChange(f.id, { severity: s.id })}>
            {s.label[lang]}
          </button>
        ))}
      </fieldset>

      <div className="field">
        <span className="label" style={{ fontWeight: 600 }}>
          {t('walkaround.findingMarker')}
        </span>
        <div className="row">
          <span className={f.marker ? 'muted' : 'warning'}>{f.marker ? t('walkaround.markerPlaced') : t('walkaround.markerMissing')}</span>
          {!readOnly &&
            (p.placing ? (
              <button type="button" onClick={() => p.onStartPlacing(null)}>
                {t('walkaround.cancelPlacing')}
              </button>
            ) : (
              <button type="button" onClick={() => p.onStartPlacing(f.id)}>
                {f.marker ? t('walkaround.moveMarker') : t('walkaround.placeMarkerHint')}
              </button>
            ))}
        </div>
        {markerElsewhere && <span className="warning">{t('walkaround.markerOutside', { label: markerElsewhere.label[lang] })}</span>}
      </div>

      <div className="field">
        <span className="label" style={{ fontWeight: 600 }}>
          {t('walkaround.findingPhotos')}
        </span>
        <PhotoStrip hashes={f.photos} alt={alt} editable={!readOnly} onRemove={(h) => p.onPhotoRemoved(f.id, h)} />
        {!readOnly &&
          (f.photos.length < MAX_PHOTOS_PER_FINDING ? (
            <PhotoCapture intakeId={p.intakeId} label={t('walkaround.addPhotoFor', { n })} disabled={!p.saved} onOpen={p.onBeforeCamera} onAdded={(h) => p.onPhotoAdded(f.id, h)} />
          ) : (
            <span className="muted">{t('walkaround.photoErrorTooMany', { max: MAX_PHOTOS_PER_FINDING })}</span>
          ))}
      </div>

      {askReason && (
        <div className="field">
          <label htmlFor={`${uid}-nophoto`} style={{ fontWeight: 600 }}>
            {t('walkaround.noPhotoReason')}
          </label>
          <input
            id={`${uid}-nophoto`}
            type="text"
            maxLength={200}
            value={f.noPhotoReason ?? ''}
            readOnly={readOnly}
            placeholder={t('walkaround.noPhotoReasonPlaceholder')}
            onChange={(e) => p.onChange(f.id, { noPhotoReason: e.target.value })}
          />
        </div>
      )}

      <div className="field">
        <label htmlFor={`${uid}-note`} style={{ fontWeight: 600 }}>
          {t('walkaround.findingNote')}
        </label>
        <textarea
          id={`${uid}-note`}
          rows={2}
          maxLength={LIMITS.note}
          value={f.note}
          readOnly={readOnly}
          placeholder={t('walkaround.findingNotePlaceholder')}
          onChange={(e) => p.onChange(f.id, { note: e.target.value })}
        />
      </div>

      {gaps.length > 0 && (
        <ul className="warning" aria-label={t('walkaround.findingIncomplete', { n })}>
          {gaps.map((g) => (
            <li key={g}>{t(GAP_TEXT[g])}</li>
          ))}
        </ul>
      )}

      {!readOnly &&
        (confirmDelete ? (
          <div className="row" role="group" aria-label={t('walkaround.deleteFindingConfirm', { n })}>
            <span>{t('walkaround.deleteFindingConfirm', { n })}</span>
            <button type="button" className="danger" onClick={() => p.onDelete(f.id)}>
              {t('common.delete')}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              {t('common.cancel')}
            </button>
          </div>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            {t('walkaround.deleteFinding')}
          </button>
        ))}
    </section>
  );
}

export const FindingCard = memo(FindingCardImpl);
