/**
 * The technician's check (验收) of one signed intake (#/technician/<intakeId>): walk the same six
 * positions, confirm or dispute each intake finding, add new damage (flagged "found at technician
 * check", with photos), confirm the complaint or mark it not reproduced, sign off with name and
 * PIN. Autosaves as a local draft; signing freezes it and queues it for sync.
 */
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useIntake, useSession } from '../../store/queries';
import { RepeatRepairBadge } from '../history/RepeatRepairBadge';
import { latestSigned, useTechChecksOf } from '../../store/queries';
import { signTechCheck, startTechCheck, updateTechCheck } from '../../store/followUpWrites';
import { useFollowUpDraft } from '../../db/useFollowUpDraft';
import { errorText } from '../../i18n/errorText';
import { hrefOf } from '../../ui/router';
import { formatDateTime } from '../../i18n/format';
import type { Intake } from '../../model/intake/schema';
import { techCheckContentSchema, techCheckHash, techCheckIssues, type TechCheck, type TechReview } from '../../model/techCheck/schema';
import { compareFindings } from '../../model/handover/compareFindings';
import { defaultTemplate } from '../../shared/template/template';
import { PhotoCapture } from '../../photos/PhotoCapture';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { PositionWalk } from './walk/PositionWalk';
import { ReviewVerdict, useReviews } from './walk/FindingReview';
import { EarlierFindingCard } from './walk/EarlierFindingCard';
import { IssueList } from './walk/IssueList';
import { SignedStamp } from './walk/SignedStamp';
import { verifyPin } from './verifyPin';
import { SaveStatus } from '../../ui/SaveStatus';
import { TextField } from '../../ui/TextField';
import { pickTarget, useAutosaveForm } from '../../ui/useAutosaveForm';
import './follow.css';
import { usePullOnOpen } from '../../sync/public';
import { FreshnessNote } from '../sync/Freshness';

const template = defaultTemplate;

export function TechnicianCheckScreen({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const intake = useIntake(id);
  const checks = useTechChecksOf(id);
  const session = useSession();
  const [starting, setStarting] = useState(false);
  // Another technician may have started or signed this check on their tablet: pull on opening.
  const fresh = usePullOnOpen(id);
  if (intake === undefined || checks === undefined) return <p role="status">{t('common.loading')}</p>;
  if (intake === null) return fresh === 'syncing' ? <FreshnessNote state={fresh} /> : <p role="alert">{t('common.notFound')}</p>;
  if (intake.status !== 'signed') return fresh === 'syncing' ? <FreshnessNote state={fresh} /> : <p role="alert">{t('technician.notSigned')}</p>;
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
        {[intake.vehicle.make, intake.vehicle.model].filter(Boolean).join(' ')} · {t('technician.intakeSignedAt', { at: formatDateTime(lang, intake.signedAt ?? intake.updatedAt) })} ·{' '}
        {t('technician.advisor', { name: intake.advisor.name })}
      </p>
      <FreshnessNote state={fresh} />
      <RepeatRepairBadge intake={intake} />
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
const BLANK_REVIEW: TechReview = { verdict: null, note: '', photos: [] };

function CheckWalk({ intake, check }: { intake: Intake; check: TechCheck }) {
  const { t } = useI18n();
  const ed = useFollowUpDraft(check, updateTechCheck);
  const notes = useAutosaveForm(pickTarget(ed, NOTE_KEYS), notesSchema);
  const v = ed.value;
  const readOnly = ed.readOnly;
  const reviews = useReviews(ed, BLANK_REVIEW);

  const intakeFindings = intake.walkaround.findings;
  const comparison = compareFindings({ intakeFindings, techCheck: v });

  return (
    <div>
      <SaveStatus editors={[ed]} readOnly={readOnly} readOnlyText={t('technician.readOnlySigned')} />
      <PositionWalk
        ed={ed}
        intakeId={intake.id}
        template={template}
        earlier={intakeFindings}
        foundAt="technician"
        flagLabel={t('technician.newDamageFlag')}
        earlierHeading={<h3>{t('technician.intakeFindings')}</h3>}
        noEarlierText={t('technician.noIntakeFindings')}
        renderEarlier={(f, n) => {
          const r = reviews.of(f.id);
          return (
            <EarlierFindingCard key={f.id} n={n} finding={f} template={template} tone={r.verdict === 'disputed' ? 'disputed' : null}>
              <ReviewVerdict<NonNullable<TechReview['verdict']>>
                value={r.verdict}
                ok={{ value: 'confirmed', text: t('technician.confirm'), label: t('technician.confirmFinding', { n }) }}
                bad={{ value: 'disputed', text: t('technician.dispute'), label: t('technician.disputeFinding', { n }) }}
                note={r.note}
                noteLabel={t('technician.reviewNote')}
                badNoteLabel={t('technician.disputeNote')}
                readOnly={readOnly}
                onChoose={(verdict) => reviews.set(f.id, { verdict })}
                onNote={(note) => reviews.set(f.id, { note })}
              />
              <PhotoStrip hashes={r.photos} alt={`${t('technician.newPhotos')} ${n}`} editable={!readOnly} onRemove={(h) => reviews.removePhoto(f.id, h)} size={88} />
              {!readOnly && <PhotoCapture intakeId={intake.id} label={`${t('technician.evidencePhoto')} ${n}`} onAdded={(hash) => reviews.addPhoto(f.id, hash)} />}
            </EarlierFindingCard>
          );
        }}
      />

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
  const { t, lang } = useI18n();
  return (
    <SignedStamp
      badge={t('technician.statusSigned')}
      text={t('technician.signedBy', { name: check.signoff?.name ?? check.technician.name, at: formatDateTime(lang, check.signedAt ?? check.updatedAt) })}
      hashLabel={t('technician.contentHash')}
      hash={check.contentHash}
    />
  );
}

function SignOff({ intake, check, flush }: { intake: Intake; check: TechCheck; flush: () => Promise<void> }) {
  const { t } = useI18n();
  const session = useSession();
  // The sign-off names the acting staff member (logged in or switched to by PIN), whose PIN is
  // asked below: never a free-text name anyone could type.
  const name = session?.staff.name ?? check.technician.name;
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
        <div className="field">
          <span className="label" id="tc-signer-label">
            {t('technician.technicianName')}
          </span>
          <output aria-labelledby="tc-signer-label" data-testid="tc-signer">
            <strong>{name}</strong>
          </output>
        </div>
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
