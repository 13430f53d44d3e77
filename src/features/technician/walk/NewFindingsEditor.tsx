/**
 * New damage found on this walk, for the current position: added with one tap (stored at once,
 * so the record is saved before the camera opens), then part, type, severity, note, photos and
 * a place on the diagram. Each carries `foundAt` (technician / handover), so it is marked in its
 * own colour everywhere and listed as a difference from intake.
 */
import type { Finding } from '../../../model/intake/schema';
import type { Template } from '../../../shared/template/template';
import { useI18n } from '../../../i18n/i18n';
import { PhotoCapture } from '../../../photos/PhotoCapture';
import { PhotoStrip } from '../../../photos/PhotoStrip';
import { newId } from '../../../model/intake/newIntake';

export interface NewFindingsEditorProps {
  intakeId: string;
  template: Template;
  positionId: string;
  foundAt: 'technician' | 'handover';
  findings: Finding[];
  /** Number of the first finding of this list in the diagram's numbering, per id. */
  numberOf: (id: string) => number;
  readOnly: boolean;
  armedId: string | null;
  onArm: (id: string | null) => void;
  /** Functional update: photos arrive after async work, so never apply a stale copy. */
  onChange: (update: (prev: Finding[]) => Finding[]) => void;
  flagLabel: string;
}

export function NewFindingsEditor({ intakeId, template, positionId, foundAt, findings, numberOf, readOnly, armedId, onArm, onChange, flagLabel }: NewFindingsEditorProps) {
  const { t, lang } = useI18n();
  const pos = template.positions.find((p) => p.id === positionId);
  const here = findings.filter((f) => f.positionId === positionId);
  const patch = (id: string, p: Partial<Finding>) => onChange((prev) => prev.map((f) => (f.id === id ? { ...f, ...p } : f)));

  function add() {
    const f: Finding = {
      id: newId(),
      positionId,
      itemId: '',
      type: '',
      severity: '',
      marker: null,
      photos: [],
      note: '',
      createdAt: new Date().toISOString(),
      foundAt,
    };
    onChange((prev) => [...prev, f]);
    onArm(f.id);
  }

  return (
    <section className="follow-new-list" aria-label={t('technician.newDamage')}>
      <h4>{t('technician.newDamage')}</h4>
      {here.map((f) => {
        const n = numberOf(f.id);
        const name = t('technician.newDamageN', { n });
        return (
          <fieldset key={f.id} className="card follow-finding is-new" data-new-finding={f.id}>
            <legend>
              {name} <span className="badge follow-new">{flagLabel}</span>
            </legend>
            <div className="grid3">
              <FindingSelect
                label={t('technician.item')}
                owner={name}
                value={f.itemId}
                options={(pos?.items ?? []).map((i) => ({ id: i, text: template.exteriorItems[i]?.[lang] ?? i }))}
                readOnly={readOnly}
                onChange={(itemId) => patch(f.id, { itemId })}
              />
              <FindingSelect label={t('technician.type')} owner={name} value={f.type} options={template.findingTypes.map((x) => ({ id: x.id, text: x.label[lang] }))} readOnly={readOnly} onChange={(type) => patch(f.id, { type })} />
              <FindingSelect
                label={t('technician.severity')}
                owner={name}
                value={f.severity}
                options={template.severities.map((x) => ({ id: x.id, text: x.label[lang] }))}
                readOnly={readOnly}
                onChange={(severity) => patch(f.id, { severity })}
              />
            </div>
            <label className="field">
              <span className="label">{t('technician.note')}</span>
              <input type="text" value={f.note} readOnly={readOnly} maxLength={500} onChange={(e) => patch(f.id, { note: e.target.value })} aria-label={`${name} ${t('technician.note')}`} />
            </label>
            <PhotoStrip hashes={f.photos} alt={name} editable={!readOnly} onRemove={(h) => onChange((prev) => prev.map((x) => (x.id === f.id ? { ...x, photos: x.photos.filter((p) => p !== h) } : x)))} size={88} />
            {!readOnly && (
              <div className="row">
                <PhotoCapture
                  intakeId={intakeId}
                  label={`${t('technician.photoNewDamage')} ${n}`}
                  onAdded={(hash) => onChange((prev) => findingsWithPhoto(prev, f.id, hash))}
                />
                <button type="button" aria-pressed={armedId === f.id} onClick={() => onArm(armedId === f.id ? null : f.id)}>
                  {f.marker ? t('technician.markerPlaced') : t('technician.placeMarkerHint')}
                </button>
                <button type="button" className="danger" onClick={() => onChange((prev) => prev.filter((x) => x.id !== f.id))}>
                  {t('technician.removeNewDamage')}
                </button>
              </div>
            )}
          </fieldset>
        );
      })}
      {!readOnly && (
        <button type="button" onClick={add}>
          {t('technician.addNewDamage')}
        </button>
      )}
    </section>
  );
}

/** One of the finding's choices (part, type, severity), with "choose" first; named after the finding it belongs to. */
function FindingSelect({ label, owner, value, options, readOnly, onChange }: { label: string; owner: string; value: string; options: { id: string; text: string }[]; readOnly: boolean; onChange: (id: string) => void }) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span className="label">{label}</span>
      <select value={value} disabled={readOnly} onChange={(e) => onChange(e.target.value)} aria-label={`${owner} ${label}`}>
        <option value="">{t('technician.choose')}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Photos arrive one by one after async work: add to the latest list, never a stale copy. */
function findingsWithPhoto(findings: Finding[], id: string, hash: string): Finding[] {
  return findings.map((f) => (f.id === id && !f.photos.includes(hash) ? { ...f, photos: [...f.photos, hash] } : f));
}
