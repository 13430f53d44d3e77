/**
 * The technician's check (验收) of one signed intake (#/technician/<intakeId>): walk the same six
 * positions, confirm or dispute each intake finding, add new damage (flagged "found at technician
 * check", with photos), confirm the complaint or mark it not reproduced, sign off with name and
 * PIN. Autosaves as a local draft; signing freezes it and queues it for sync.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useIntake, useSession } from '../../store/queries';
import { latestSigned, useTechChecksOf } from '../../store/queries';
import { signTechCheck, startTechCheck, updateTechCheck } from '../../store/followUpWrites';
import { useFollowDraft } from '../../db/useFollowDraft';
import { errorText } from '../../i18n/errorText';
import { hrefOf } from '../../ui/router';
import type { Intake } from '../../model/intake/schema';
import { techCheckContentSchema, techCheckHash, techCheckIssues, type TechCheck, type TechReview } from '../../model/techCheck/schema';
import { compareFindings } from '../../model/handover/compareFindings';
import { defaultTemplate, positionsInOrder } from '../../shared/template/template';
import { VehicleDiagram } from '../walkaround/VehicleDiagram';
import { PhotoCapture } from '../../photos/PhotoCapture';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { PositionTabs } from './walk/PositionTabs';
import { EarlierFindingCard } from './walk/EarlierFindingCard';
import { NewFindingsEditor } from './walk/NewFindingsEditor';
import { IssueList } from './walk/IssueList';
import { verifyPin } from './verifyPin';
import { SaveStatus } from '../../ui/SaveStatus';
import { TextField } from '../../ui/TextField';
import { pickTarget, useAutosaveForm } from '../../ui/useAutosaveForm';
import './follow.css';

const template = defaultTemplate;

export function TechnicianCheckScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const intake = useIntake(id);
  const checks = useTechChecksOf(id);
  const session = useSession();
  const [starting, setStarting] = useState(false);
  if (intake === undefined || checks === undefined) return <p role="status">{t('common.loading')}</p>;
  if (intake === null) return <p role="alert">{t('common.notFound')}</p>;
  if (intake.status !== 'signed') return <p role="alert">{t('technician.notSigned')}</p>;
  const me = session?.staff;
  const draft = checks.find((c) => c.status === 'draft' && c.technician.id === me?.id);
  const signed = latestSigned(checks);

  async function start() {
    if (!me || starting) return;
    setStarting(true);
    try {
      await startTechCheck(id, { id: me.id, name: me.name });
    } finally {
      setStarting(false);
    }
  }

  return (
    <section aria-labelledby="tc-title">
      <p className="no-print">
        <a className="button" href={hrefOf({ name: 'technicianQueue' })}>
          ← {t('technician.backToQueue')}
        </a>
      </p>
      <h2 id="tc-title">
        {t('technician.title')} · {intake.vehicle.plate || t('technician.noPlate')}
      </h2>
      <p className="muted">
        {[intake.vehicle.make, intake.vehicle.model].filter(Boolean).join(' ')} · {t('technician.intakeSignedAt', { at: new Date(intake.signedAt ?? intake.updatedAt).toLocaleString() })} ·{' '}
        {t('technician.advisor', { name: intake.advisor.name })}
      </p>
      {draft ? (
        <CheckWalk key={draft.id} intake={intake} check={draft} />
      ) : signed ? (
        <>
          <CheckWalk key={signed.id} intake={intake} check={signed} />
          <button type="button" onClick={() => void start()} disabled={!me || starting}>
            {t('technician.startAnother')}
          </button>
        </>
      ) : (
        <button type="button" className="primary" onClick={() => void start()} disabled={!me || starting}>
          {t('technician.start')}
        </button>
      )}
    </section>
  );
}

/** The complaint verdict and the notes: a react-hook-form form over that part of the draft. */
const notesSchema = techCheckContentSchema.pick({ complaint: true, note: true });
const NOTE_KEYS = ['complaint', 'note'] as const;

function CheckWalk({ intake, check }: { intake: Intake; check: TechCheck }) {
  const { t } = useI18n();
  const ed = useFollowDraft(check, updateTechCheck);
  const notes = useAutosaveForm(pickTarget(ed, NOTE_KEYS), notesSchema);
  const v = ed.value;
  const readOnly = ed.readOnly;
  const order = positionsInOrder(template);
  const [pos, setPos] = useState(() => order.find((p) => !check.positions[p.id]?.checkedAt)?.id ?? order[0]!.id);
  const [armed, setArmed] = useState<string | null>(null);

  const intakeFindings = intake.walkaround.findings;
  const all = [...intakeFindings, ...v.newFindings];
  const numberOf = (fid: string) => all.findIndex((f) => f.id === fid) + 1;
  const checked = Object.fromEntries(order.map((p) => [p.id, !!v.positions[p.id]?.checkedAt]));
  const counts = Object.fromEntries(order.map((p) => [p.id, all.filter((f) => f.positionId === p.id).length]));
  const comparison = compareFindings({ intakeFindings, techCheck: v });

  const setReview = (fid: string, p: Partial<TechReview>) =>
    ed.set((prev) => ({ ...prev, reviews: { ...prev.reviews, [fid]: { verdict: null, note: '', photos: [], ...prev.reviews[fid], ...p } } }));

  function markChecked() {
    const at = new Date().toISOString();
    ed.set((prev) => ({ ...prev, positions: { ...prev.positions, [pos]: { checkedAt: at } } }));
    const next = order.find((p) => p.id !== pos && !v.positions[p.id]?.checkedAt);
    if (next) setPos(next.id);
  }

  return (
    <div>
      <SaveStatus editors={[ed]} readOnly={readOnly} readOnlyText={t('technician.readOnlySigned')} />
      <PositionTabs template={template} current={pos} checked={checked} counts={counts} onSelect={setPos} />
      <div className="follow-layout">
        <div className="follow-side">
          <VehicleDiagram
            template={template}
            findings={all}
            complete={checked}
            activePosition={pos}
            readOnly={readOnly}
            onPlace={
              readOnly
                ? undefined
                : (marker, positionId) => {
                    if (positionId !== pos) return setPos(positionId);
                    if (armed) ed.set((prev) => ({ ...prev, newFindings: prev.newFindings.map((f) => (f.id === armed ? { ...f, marker } : f)) }));
                  }
            }
            maxWidth={360}
          />
        </div>
        <div>
          <h3>{t('technician.intakeFindings')}</h3>
          {intakeFindings.filter((f) => f.positionId === pos).length === 0 && <p className="muted">{t('technician.noIntakeFindings')}</p>}
          {intakeFindings
            .filter((f) => f.positionId === pos)
            .map((f) => {
              const n = numberOf(f.id);
              const r = v.reviews[f.id] ?? { verdict: null, note: '', photos: [] };
              return (
                <EarlierFindingCard key={f.id} n={n} finding={f} template={template} tone={r.verdict === 'disputed' ? 'disputed' : null}>
                  <div className="follow-choice">
                    <button type="button" aria-pressed={r.verdict === 'confirmed'} disabled={readOnly} aria-label={t('technician.confirmFinding', { n })} onClick={() => setReview(f.id, { verdict: 'confirmed' })}>
                      ✓ {t('technician.confirm')}
                    </button>
                    <button type="button" className="danger" aria-pressed={r.verdict === 'disputed'} disabled={readOnly} aria-label={t('technician.disputeFinding', { n })} onClick={() => setReview(f.id, { verdict: 'disputed' })}>
                      ! {t('technician.dispute')}
                    </button>
                  </div>
                  <label className="field">
                    <span className="label">{r.verdict === 'disputed' ? t('technician.disputeNote') : t('technician.reviewNote')}</span>
                    <input type="text" value={r.note} readOnly={readOnly} maxLength={500} onChange={(e) => setReview(f.id, { note: e.target.value })} />
                  </label>
                  <PhotoStrip
                    hashes={r.photos}
                    alt={`${t('technician.newPhotos')} ${n}`}
                    editable={!readOnly}
                    onRemove={(h) => ed.set((prev) => ({ ...prev, reviews: { ...prev.reviews, [f.id]: { ...r, ...prev.reviews[f.id], photos: (prev.reviews[f.id]?.photos ?? []).filter((p) => p !== h) } } }))}
                    size={88}
                  />
                  {!readOnly && (
                    <PhotoCapture
                      intakeId={intake.id}
                      label={`${t('technician.evidencePhoto')} ${n}`}
                      onAdded={(hash) =>
                        ed.set((prev) => {
                          const cur = prev.reviews[f.id] ?? { verdict: null, note: '', photos: [] };
                          return cur.photos.includes(hash) ? prev : { ...prev, reviews: { ...prev.reviews, [f.id]: { ...cur, photos: [...cur.photos, hash] } } };
                        })
                      }
                    />
                  )}
                </EarlierFindingCard>
              );
            })}
          <NewFindingsEditor
            intakeId={intake.id}
            template={template}
            positionId={pos}
            foundAt="technician"
            findings={v.newFindings}
            numberOf={numberOf}
            readOnly={readOnly}
            armedId={armed}
            onArm={setArmed}
            onChange={(update) => ed.set((prev) => ({ ...prev, newFindings: update(prev.newFindings) }))}
            flagLabel={t('technician.newDamageFlag')}
          />
          {!readOnly && (
            <p>
              <button type="button" className="primary" onClick={markChecked} aria-pressed={checked[pos]}>
                {checked[pos] ? `✓ ${t('technician.positionChecked')}` : t('technician.markPositionChecked')}
              </button>
            </p>
          )}
        </div>
      </div>

      <section className="card" aria-labelledby="tc-complaint">
        <h3 id="tc-complaint">{t('technician.complaintTitle')}</h3>
        <p>{intake.complaint.symptom.trim() ? t('technician.customerSaid', { symptom: intake.complaint.symptom }) : t('technician.noComplaint')}</p>
        <div className="follow-choice" role="group" aria-label={t('technician.complaintTitle')}>
          <button type="button" aria-pressed={notes.values.complaint.verdict === 'confirmed'} disabled={readOnly} onClick={() => notes.set('complaint.verdict', 'confirmed')}>
            {t('technician.complaintConfirmed')}
          </button>
          <button type="button" aria-pressed={notes.values.complaint.verdict === 'notReproduced'} disabled={readOnly} onClick={() => notes.set('complaint.verdict', 'notReproduced')}>
            {t('technician.complaintNotReproduced')}
          </button>
          <label className="check">
            <input type="checkbox" checked={notes.values.complaint.roadTest} disabled={readOnly} onChange={(e) => notes.set('complaint.roadTest', e.target.checked)} />
            {t('technician.roadTest')}
          </label>
        </div>
        <TextField multiline label={t('technician.complaintNote')} {...notes.text('complaint.note')} maxLength={1000} />
        <TextField multiline label={t('technician.generalNote')} {...notes.text('note')} maxLength={1000} />
      </section>

      <section className={`card${comparison.counts.disputed + comparison.counts.newAtTechnician > 0 ? ' follow-alert' : ''}`} aria-labelledby="tc-sign">
        <h3 id="tc-sign">{t('technician.signTitle')}</h3>
        <p>
          {t('technician.summaryConfirmed', { n: comparison.counts.confirmed })} · <strong>{t('technician.summaryDisputes', { n: comparison.counts.disputed })}</strong> ·{' '}
          <strong>{t('technician.summaryNewDamage', { n: comparison.counts.newAtTechnician })}</strong>
        </p>
        {readOnly ? <SignedInfo check={check} /> : <SignOff intake={intake} check={v} flush={ed.flush} />}
      </section>
    </div>
  );
}

function SignedInfo({ check }: { check: TechCheck }) {
  const { t } = useI18n();
  return (
    <>
      <p role="status">
        <span className="badge signed">{t('technician.statusSigned')}</span>{' '}
        {t('technician.signedBy', { name: check.signoff?.name ?? check.technician.name, at: new Date(check.signedAt ?? check.updatedAt).toLocaleString() })}
      </p>
      <p className="muted">
        {t('technician.contentHash')}: <span className="follow-hash">{check.contentHash}</span>
      </p>
    </>
  );
}

function SignOff({ intake, check, flush }: { intake: Intake; check: TechCheck; flush: () => Promise<void> }) {
  const { t } = useI18n();
  const session = useSession();
  const [name, setName] = useState(check.technician.name);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const issues = techCheckIssues(check, intake, template);

  async function onSubmit() {
    if (busy || issues.length > 0 || !name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const staffId = session?.staff.id ?? check.technician.id;
      const ok = await verifyPin(staffId, pin);
      if (!ok) {
        setError(t('technician.pinWrong'));
        return;
      }
      await flush();
      await signTechCheck(check.id, techCheckHash(check), { staffId, name: name.trim() });
      setPin('');
    } catch (e) {
      setError(t('technician.signFailed', { reason: errorText(t, e) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      <IssueList issues={issues} intake={intake} extra={[...intake.walkaround.findings, ...check.newFindings]} template={template} readyText={t('technician.ready')} />
      <div className="grid2">
        <label className="field">
          <span className="label">{t('technician.technicianName')}</span>
          <input type="text" value={name} maxLength={60} autoComplete="off" onChange={(e) => setName(e.target.value)} required />
        </label>
        <label className="field">
          <span className="label">{t('technician.pin')}</span>
          <input type="password" inputMode="numeric" autoComplete="off" value={pin} maxLength={12} onChange={(e) => setPin(e.target.value)} required />
        </label>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || issues.length > 0 || !name.trim() || !pin}>
        {t('technician.signOff')}
      </button>
    </form>
  );
}
