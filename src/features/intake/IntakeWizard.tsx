/**
 * The intake, step by step. Each step autosaves as the advisor types; moving between steps is
 * free (the lane is not linear in practice); what is missing is listed on the review step.
 * Fewer taps: the step bar fits the screen (styles.css), a checklist completed in one tap moves
 * on by itself (onStepDone), and a record with nothing missing goes to the customer straight
 * from the work step.
 */
import { lazy, Suspense, type ComponentType } from 'react';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useConflicts, useIntake } from '../../store/queries';
import { readinessIssues } from '../../model/intake/readiness';
import { hrefOf, navigate } from '../../ui/router';
import { enterCustomerMode } from '../signature/customerModeEntry';
import { intakeTemplate } from './intakeTemplate';
import { unsavedIntake } from '../../store/intakeWrites';
import { STEPS, isStep, type StepId } from './steps';
import type { StepProps } from './stepProps';
import { CustomerVehicleStep } from './CustomerVehicleStep';
import { FollowUpBanner } from '../technician/FollowUpBanner';
import { ConflictBanner } from '../sync/ConflictBanner';
import { RepeatRepairBadge } from '../history/RepeatRepairBadge';

const lazyStep = (load: () => Promise<ComponentType<StepProps>>) => lazy(() => load().then((c) => ({ default: c })));

const STEP_COMPONENTS: Record<StepId, ComponentType<StepProps>> = {
  customer: CustomerVehicleStep,
  valuables: lazyStep(() => import('../valuables/ValuablesStep').then((m) => m.ValuablesStep)),
  cabin: lazyStep(() => import('../cabin/CabinStep').then((m) => m.CabinStep)),
  walkaround: lazyStep(() => import('../walkaround/WalkaroundStep').then((m) => m.WalkaroundStep)),
  work: lazyStep(() => import('../recommendations/WorkStep').then((m) => m.WorkStep)),
  review: lazyStep(() => import('../review/ReviewStep').then((m) => m.ReviewStep)),
};

const STEP_LABEL: Record<StepId, MessageKey> = {
  customer: 'intake.stepCustomer',
  valuables: 'intake.stepValuables',
  cabin: 'intake.stepCabin',
  walkaround: 'intake.stepWalkaround',
  work: 'intake.stepWork',
  review: 'intake.stepReview',
};

export function IntakeWizard({ id, step }: { id: string; step: string }) {
  const { t } = useI18n();
  const stored = useIntake(id);
  // A new intake not written to yet lives in memory (startIntake) and is stored on its first write.
  const intake = stored === null ? (unsavedIntake(id) ?? null) : stored;
  const conflicts = useConflicts(id);
  if (intake === undefined) return <p role="status">{t('common.loading')}</p>;
  if (intake === null) return <p role="alert">{t('common.notFound')}</p>;
  const current: StepId = isStep(step) ? step : 'customer';
  const Step = STEP_COMPONENTS[current];
  const index = STEPS.indexOf(current);
  const prev = STEPS[index - 1];
  const next = STEPS[index + 1];
  const signable = current === 'work' && intake.status === 'draft' && conflicts !== undefined && conflicts.length === 0 && readinessIssues(intake, intakeTemplate(intake)).length === 0;
  return (
    <div>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: '4px 0' }}>
          {intake.vehicle.plate || t('intake.newIntake')}{' '}
          <span className={`badge ${intake.status}`}>{t(intake.status === 'signed' ? 'intake.statusSigned' : 'intake.statusDraft')}</span>
        </h2>
        <RepeatRepairBadge intake={intake} />
      </div>
      <ConflictBanner intake={intake} />
      <nav aria-label={t('intake.stepsNav')} className="steps">
        {STEPS.map((s, i) => (
          <a key={s} className="button" href={hrefOf({ name: 'intake', id, step: s })} aria-current={s === current ? 'step' : undefined}>
            {i + 1}. {t(STEP_LABEL[s])}
          </a>
        ))}
      </nav>
      <FollowUpBanner intake={intake} />
      {/* key: a fresh step component per intake and step, so autosave state never leaks across */}
      <Suspense fallback={<p role="status">{t('common.loading')}</p>}>
        <Step key={`${id}:${current}`} intake={intake} onStepDone={next ? () => navigate({ name: 'intake', id, step: next }) : undefined} />
      </Suspense>
      <div className="row no-print" style={{ justifyContent: 'space-between', marginTop: 16 }}>
        {prev ? (
          <a className="button" href={hrefOf({ name: 'intake', id, step: prev })}>
            ← {t(STEP_LABEL[prev])}
          </a>
        ) : (
          <span />
        )}
        <span className="row">
          {next && (
            <a className={`button${signable ? '' : ' primary'}`} href={hrefOf({ name: 'intake', id, step: next })}>
              {t(STEP_LABEL[next])} →
            </a>
          )}
          {/* The work step is the last one with anything to fill in: once nothing is missing, the
              tablet goes to the customer from here (customer mode shows them the whole record). */}
          {signable && (
            <button type="button" className="primary" onClick={() => enterCustomerMode(id)}>
              {t('review.handToCustomer')}
            </button>
          )}
        </span>
      </div>
    </div>
  );
}
