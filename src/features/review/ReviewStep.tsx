/**
 * The last intake step (确认签字): what is still missing (each gap a link to the step that has
 * it), the whole summary, and the way into customer mode, open only when the record is ready.
 * Once signed: the signed state (hash, signatures, time), the amendments and a form to add one
 * (the content itself never changes again), and the print view.
 */
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import type { Intake } from '../../model/intake/schema';
import { readinessIssues, type ReadinessIssue } from '../../model/intake/readiness';
import { useConflicts, useSession } from '../../store/queries';
import { labelOf, type Template } from '../../shared/template/template';
import { addAmendment } from '../../store/intakeWrites';
import { useI18n, type MessageKey, type TFunction } from '../../i18n/i18n';
import type { Lang } from '../../i18n/defineMessages';
import { hrefOf } from '../../ui/router';
import { enterCustomerMode } from '../signature/customerModeEntry';
import type { StepProps } from '../intake/stepProps';
import type { StepId } from '../intake/steps';
import { IntakeSummary, templateOf } from './IntakeSummary';
import { AmendmentList, SignedFacts } from './SignedRecord';
import { errorText } from '../../i18n/errorText';
import './review.css';
import { LIMITS } from '../../model/text';

const SECTION_STEP: Record<ReadinessIssue['section'], StepId> = {
  customer: 'customer',
  vehicle: 'customer',
  visit: 'customer',
  valuables: 'valuables',
  cabin: 'cabin',
  walkaround: 'walkaround',
  work: 'work',
};

const ISSUE_KEY: Record<string, MessageKey> = {
  'ready.customer': 'review.ready_customer',
  'ready.vehicle': 'review.ready_vehicle',
  'ready.odometer': 'review.ready_odometer',
  'ready.fuel': 'review.ready_fuel',
  'ready.valuablesReminder': 'review.ready_valuablesReminder',
  'ready.valuableUnanswered': 'review.ready_valuableUnanswered',
  'ready.valuableDescription': 'review.ready_valuableDescription',
  'ready.cabinItem': 'review.ready_cabinItem',
  'ready.position': 'review.ready_position',
  'ready.previousDamage': 'review.ready_previousDamage',
  'ready.finding': 'review.ready_finding',
  'ready.findingPhoto': 'review.ready_findingPhoto',
  'ready.decision': 'review.ready_decision',
  'ready.promisedAt': 'review.ready_promisedAt',
  'ready.payment': 'review.ready_payment',
  'ready.oldParts': 'review.ready_oldParts',
  'ready.freeWash': 'review.ready_freeWash',
  'ready.keys': 'review.ready_keys',
};

/** The step a readiness gap is fixed on. */
export function stepOfIssue(issue: ReadinessIssue): StepId {
  return SECTION_STEP[issue.section];
}

/** Where a gap's link goes: its step, and for the walk-around the position or finding to bring into view. */
export function hrefOfIssue(issue: ReadinessIssue, intakeId: string): string {
  const step = stepOfIssue(issue);
  return hrefOf(issue.section === 'walkaround' && issue.ref ? { name: 'intake', id: intakeId, step, focus: issue.ref } : { name: 'intake', id: intakeId, step });
}

/** "2（左前门）": a finding as the walk-around numbers it, with its part when it has one. */
function findingName(intake: Intake, tpl: Template, id: string, lang: Lang): string {
  const i = intake.walkaround.findings.findIndex((f) => f.id === id);
  if (i < 0) return id;
  const item = intake.walkaround.findings[i]!.itemId;
  const part = item ? (tpl.exteriorItems[item]?.[lang] ?? item) : '';
  return part ? (lang === 'zh-CN' ? `${i + 1}（${part}）` : `${i + 1} (${part})`) : String(i + 1);
}

/** A readiness gap in words, naming the item/position/recommendation it is about. */
export function issueText(issue: ReadinessIssue, intake: Intake, tpl: Template, t: TFunction, lang: Lang): string {
  const key = ISSUE_KEY[issue.key];
  if (!key) return t('review.ready_unknown', { key: issue.key });
  let name = issue.ref ?? '';
  if (issue.ref) {
    if (issue.section === 'valuables') name = labelOf(tpl.valuables, issue.ref, lang);
    else if (issue.section === 'cabin') name = labelOf(tpl.cabinItems, issue.ref, lang);
    else if (issue.key === 'ready.finding' || issue.key === 'ready.findingPhoto') name = findingName(intake, tpl, issue.ref, lang);
    else if (issue.section === 'walkaround') name = tpl.positions.find((p) => p.id === issue.ref)?.label[lang] ?? issue.ref;
    else if (issue.section === 'work') name = intake.work.recommendations.find((r) => r.id === issue.ref)?.title || t('review.untitled');
  }
  return t(key, { name });
}

export function Readiness({ intake }: { intake: Intake }) {
  const { t, lang } = useI18n();
  const tpl = templateOf(intake);
  const issues = readinessIssues(intake, tpl);
  // A section changed on two tablets must be settled before the customer signs anything.
  const conflicts = useConflicts(intake.id) ?? [];
  const ready = issues.length === 0 && conflicts.length === 0;
  return (
    <section className="card readiness" aria-labelledby="readiness-title">
      <h3 id="readiness-title" style={{ marginTop: 0 }}>
        {ready ? t('review.readyTitle') : t('review.notReadyTitle', { n: issues.length + conflicts.length })}
      </h3>
      {conflicts.length > 0 && (
        <p role="alert" className="error">
          {t('review.openConflicts', { n: conflicts.length })}
        </p>
      )}
      {ready ? (
        <p>{t('review.readyText')}</p>
      ) : (
        <ul aria-label={t('review.gapsLabel')}>
          {issues.length > 0 && issues.map((issue, i) => (
            <li key={`${issue.key}:${issue.ref ?? ''}:${i}`}>
              <a href={hrefOfIssue(issue, intake.id)}>{issueText(issue, intake, tpl, t, lang)}</a>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!ready}
          aria-describedby={ready ? undefined : 'readiness-title'}
          onClick={() => enterCustomerMode(intake.id)}
          style={{ minHeight: 56, fontSize: '1.1rem' }}
        >
          {t('review.handToCustomer')}
        </button>
      </div>
    </section>
  );
}

const amendmentText = z.string().trim().min(1, 'required').max(2000, 'tooLong');

function AmendmentForm({ intake }: { intake: Intake }) {
  const { t } = useI18n();
  const session = useSession();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed = amendmentText.safeParse(text);
    if (!parsed.success) {
      setError(t(parsed.error.issues[0]?.message === 'tooLong' ? 'review.amendmentTooLong' : 'review.amendmentRequired'));
      return;
    }
    if (!session) return;
    setBusy(true);
    setError(null);
    try {
      await addAmendment(intake.id, { id: session.staff.id, name: session.staff.name }, parsed.data);
      setText('');
      setDone(true);
    } catch (err) {
      setError(t('review.amendmentFailed', { reason: errorText(t, err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="no-print">
      <div className="field">
        <label htmlFor="amendment-text" className="label" style={{ fontWeight: 600 }}>
          {t('review.amendmentLabel')}
        </label>
        <textarea
          id="amendment-text"
          rows={3}
          value={text}
          maxLength={LIMITS.longNote}
          aria-invalid={error ? true : undefined}
          aria-describedby="amendment-help amendment-error"
          onChange={(e) => {
            setText(e.target.value);
            setDone(false);
            if (error) setError(null);
          }}
        />
        <span id="amendment-help" className="muted">
          {t('review.amendmentHelp', { hash: intake.contentHash?.slice(0, 16) ?? '' })}
        </span>
        <span id="amendment-error" className="error" role="alert">
          {error ?? ''}
        </span>
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !session}>
          {t('review.addAmendment')}
        </button>
        <span role="status" className="muted">
          {done ? t('review.amendmentAdded') : ''}
        </span>
      </div>
    </form>
  );
}

export function ReviewStep({ intake }: StepProps) {
  const { t } = useI18n();
  const signed = intake.status === 'signed';
  return (
    <div className="review-step">
      {signed ? (
        <section className="card signed-banner" aria-labelledby="signed-title">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <h3 id="signed-title" style={{ margin: 0 }}>
              {t('review.signedTitle')}
            </h3>
            <a className="button primary" href={hrefOf({ name: 'print', id: intake.id })}>
              {t('review.openPrint')}
            </a>
          </div>
          <p className="muted">{t('review.signedReadOnly')}</p>
          <SignedFacts intake={intake} />
          <h3>{t('review.amendments')}</h3>
          <AmendmentList amendments={intake.amendments} />
          <AmendmentForm intake={intake} />
        </section>
      ) : (
        <Readiness intake={intake} />
      )}
      <IntakeSummary intake={intake} editable={!signed} />
    </div>
  );
}
