/**
 * The handover walk (交车, #/handover/<intakeId>): the advisor and the customer walk the six
 * positions again beside the signed intake (intake photos next to new ones; damage found now is
 * marked in its own colour on the diagram), then the checklist of step 6: safekeeping items
 * returned one by one, three-piece set removed, documents and keys returned, old parts shown,
 * declined safety work explained, next service date and mileage, the preferred time for the
 * follow-up call. Every difference from intake is listed before the customer signs.
 * Autosaves as a local draft; the customer's signature freezes it and queues it for sync.
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { formatDateTime } from '../../i18n/format';
import { useIntake, useSession } from '../../store/queries';
import { latestSigned, useHandoversOf, useTechChecksOf } from '../../store/queries';
import { signHandover, startHandover, updateHandover } from '../../store/followUpWrites';
import { useFollowUpDraft } from '../../db/useFollowUpDraft';
import { errorText } from '../../i18n/errorText';
import { hrefOf } from '../../ui/router';
import type { Intake, Signature } from '../../model/intake/schema';
import {
  declinedSafetyRecommendations,
  FOLLOW_UP_SLOTS,
  handoverContentSchema,
  handoverHash,
  handoverIssues,
  safekeepingItems,
  type Handover,
  type HandoverReview,
} from '../../model/handover/schema';
import type { TechCheck } from '../../model/techCheck/schema';
import { compareChecklist, compareFindings } from '../../model/handover/compareFindings';
import { defaultTemplate, labelOf } from '../../shared/template/template';
import { PhotoCapture } from '../../photos/PhotoCapture';
import { PhotoStrip } from '../../photos/PhotoStrip';
import { SignatureSheet } from '../signature/SignatureSheet';
import { PositionWalk } from '../technician/walk/PositionWalk';
import { ReviewVerdict, useReviews } from '../technician/walk/FindingReview';
import { EarlierFindingCard } from '../technician/walk/EarlierFindingCard';
import { IssueList } from '../technician/walk/IssueList';
import { SignedStamp } from '../technician/walk/SignedStamp';
import { Differences } from './Differences';
import { PreExistingList } from '../history/PreExistingList';
import { SaveStatus } from '../../ui/SaveStatus';
import { TextField } from '../../ui/TextField';
import { NumberField } from '../../ui/NumberField';
import { pickTarget, useAutosaveForm } from '../../ui/useAutosaveForm';
import { odometerSchema } from '../intake/fieldSchemas';
import '../technician/follow.css';
import '../signature/signature.css'; // the signature sheet's full-screen layout
import { usePullOnOpen, type Freshness } from '../../sync/public';
import { FreshnessNote } from '../sync/Freshness';

const template = defaultTemplate;

export function HandoverScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const intake = useIntake(id);
  const handovers = useHandoversOf(id);
  const checks = useTechChecksOf(id);
  const session = useSession();
  const [starting, setStarting] = useState(false);
  // The technician's sign-off may be minutes old on another tablet: pull on opening, and say
  // "syncing" rather than "no signed check" until that pull is done.
  const fresh = usePullOnOpen(id);
  // A technician's check signed (or synced in) after this handover draft began: bring it into
  // the comparison (startHandover rebases the draft onto it).
  const openDraft = handovers?.find((h) => h.status === 'draft');
  const newestCheck = checks ? latestSigned(checks) : null;
  const staff = session?.staff;
  const needsRebase = !!openDraft && !!newestCheck && openDraft.techCheckHash !== newestCheck.contentHash;
  useEffect(() => {
    if (needsRebase && staff) void startHandover(id, { id: staff.id, name: staff.name });
  }, [needsRebase, staff, id]);
  if (intake === undefined || handovers === undefined || checks === undefined) return <p role="status">{t('common.loading')}</p>;
  if (intake === null) return fresh === 'syncing' ? <FreshnessNote state={fresh} /> : <p role="alert">{t('common.notFound')}</p>;
  if (intake.status !== 'signed') return fresh === 'syncing' ? <FreshnessNote state={fresh} /> : <p role="alert">{t('handover.notSigned')}</p>;
  const signed = latestSigned(handovers);
  const draft = handovers.find((h) => h.status === 'draft');
  const tc = latestSigned(checks);
  const current = signed ?? draft ?? null;
  const usedCheck = current?.techCheckId ? (checks.find((c) => c.id === current.techCheckId) ?? null) : null;

  async function start() {
    if (!session || starting) return;
    setStarting(true);
    try {
      await startHandover(id, { id: session.staff.id, name: session.staff.name });
    } finally {
      setStarting(false);
    }
  }

  return (
    <section aria-labelledby="ho-title">
      <p className="no-print">
        <a className="button" href={hrefOf({ name: 'intake', id, step: 'review' })}>
          ← {t('handover.backToIntake')}
        </a>
      </p>
      <h2 id="ho-title">
        {t('handover.title')} · {intake.vehicle.plate} · {intake.customer.name}
      </h2>
      <FreshnessNote state={fresh} />
      <TechSummary check={tc} fresh={fresh} />
      {current ? (
        <>
          <HandoverWalk key={current.id} intake={intake} handover={current} techCheck={usedCheck} />
        </>
      ) : (
        <button type="button" className="primary" onClick={() => void start()} disabled={!session || starting}>
          {t('handover.start')}
        </button>
      )}
    </section>
  );
}

function TechSummary({ check, fresh }: { check: TechCheck | null; fresh: Freshness }) {
  const { t } = useI18n();
  if (!check) return fresh === 'syncing' ? null : <p className="muted">{t('handover.techNone')}</p>;
  const disputes = Object.values(check.reviews).filter((r) => r.verdict === 'disputed').length;
  const newDamage = check.newFindings.length;
  if (disputes + newDamage === 0) return <p className="badge signed">{t('handover.techOk', { name: check.signoff?.name ?? check.technician.name })}</p>;
  return (
    <p role="alert" className="card follow-alert">
      ⚠ {t('handover.techAlert', { disputes, newDamage })}
    </p>
  );
}

/** The checklist, next service, follow-up and notes: a react-hook-form form over that part of the draft. */
const TERM_KEYS = ['valuablesReturned', 'protectionRemoved', 'documentsReturned', 'oldPartsShown', 'declinedSafety', 'nextService', 'followUp', 'note'] as const;
const BLANK_REVIEW: HandoverReview = { status: null, note: '', photos: [] };
const termsSchema = handoverContentSchema.pick({ valuablesReturned: true, protectionRemoved: true, documentsReturned: true, oldPartsShown: true, declinedSafety: true, nextService: true, followUp: true, note: true });

function HandoverWalk({ intake, handover, techCheck }: { intake: Intake; handover: Handover; techCheck: TechCheck | null }) {
  const { t, lang } = useI18n();
  const ed = useFollowUpDraft(handover, updateHandover);
  const terms = useAutosaveForm(pickTarget(ed, TERM_KEYS), termsSchema);
  const tv = terms.values;
  const v = ed.value;
  const readOnly = ed.readOnly;
  const reviews = useReviews(ed, BLANK_REVIEW);
  const [signing, setSigning] = useState(false);
  const [signError, setSignError] = useState<string | null>(null);

  const earlier = [...intake.walkaround.findings, ...(techCheck?.newFindings ?? [])];
  const all = [...earlier, ...v.newFindings];
  const comparison = compareFindings({ intakeFindings: intake.walkaround.findings, techCheck, handover: v });
  const checklist = compareChecklist(intake, v);
  const issues = handoverIssues(v, intake, techCheck, template);
  const diffCount = comparison.counts.differences + checklist.length;

  async function onSigned(pad: { strokes: Signature['strokes']; width: number; height: number }) {
    setSignError(null);
    try {
      await ed.flush();
      const hash = handoverHash(v);
      const sig: Signature = { role: 'customer', name: intake.customer.name, strokes: pad.strokes, width: pad.width, height: pad.height, signedAt: new Date().toISOString(), contentHash: hash };
      await signHandover(v.id, hash, [sig]);
      setSigning(false);
    } catch (e) {
      setSignError(t('handover.signFailed', { reason: errorText(t, e) }));
      setSigning(false);
    }
  }

  const safe = safekeepingItems(intake);
  const declined = declinedSafetyRecommendations(intake);
  const prot = intake.visit.protection;
  const docs = intake.work.documents;

  return (
    <div>
      <SaveStatus editors={[ed]} readOnly={readOnly} readOnlyText={t('handover.readOnlySigned')} />
      <h3>{t('handover.walkTitle')}</h3>
      <PositionWalk
        ed={ed}
        intakeId={intake.id}
        template={template}
        earlier={earlier}
        foundAt="handover"
        flagLabel={t('handover.newDamageFlag')}
        earlierHeading={<h4>{t('handover.earlierFindings')}</h4>}
        noEarlierText={t('handover.noEarlierFindings')}
        legend
        renderEarlier={(f, n) => {
          const r = reviews.of(f.id);
          const disputed = techCheck?.reviews[f.id]?.verdict === 'disputed';
          return (
            <EarlierFindingCard key={f.id} n={n} finding={f} template={template} tone={disputed ? 'disputed' : f.foundAt === 'technician' ? 'new' : null}>
              {disputed && <p className="follow-diff-kind is-disputed">{t('handover.diff_disputed')}: {techCheck?.reviews[f.id]?.note}</p>}
              <div className="follow-side-by-side">
                <div>
                  <h5>{t('handover.intakePhotos')}</h5>
                  {f.photos.length ? <PhotoStrip hashes={f.photos} alt={`${n} ${t('handover.intakePhotos')}`} size={88} /> : <p className="muted">{t('handover.noPhotos')}</p>}
                </div>
                <div>
                  <h5>{t('handover.handoverPhotos')}</h5>
                  {r.photos.length ? (
                    <PhotoStrip hashes={r.photos} alt={`${n} ${t('handover.handoverPhotos')}`} size={88} editable={!readOnly} onRemove={(h) => reviews.removePhoto(f.id, h)} />
                  ) : (
                    <p className="muted">{t('handover.noPhotos')}</p>
                  )}
                  {!readOnly && <PhotoCapture intakeId={intake.id} label={t('handover.takePhoto', { n })} onAdded={(hash) => reviews.addPhoto(f.id, hash)} />}
                </div>
              </div>
              <ReviewVerdict<NonNullable<HandoverReview['status']>>
                value={r.status}
                ok={{ value: 'unchanged', text: t('handover.unchanged'), label: t('handover.unchangedFinding', { n }) }}
                bad={{ value: 'changed', text: t('handover.changed'), label: t('handover.changedFinding', { n }) }}
                note={r.note}
                noteLabel={t('handover.reviewNote')}
                badNoteLabel={t('handover.changeNote')}
                readOnly={readOnly}
                onChoose={(status) => reviews.set(f.id, { status })}
                onNote={(note) => reviews.set(f.id, { note })}
              />
            </EarlierFindingCard>
          );
        }}
      />

      <section className="card" aria-labelledby="ho-checklist">
        <h3 id="ho-checklist">{t('handover.checklistTitle')}</h3>
        <fieldset>
          <legend>{t('handover.valuablesTitle')}</legend>
          {safe.length === 0 && <p className="muted">{t('handover.noSafekeeping')}</p>}
          {safe.map((item) => {
            const label = `${labelOf(template.valuables, item.itemId, lang)}${item.description ? `（${item.description}）` : ''}`;
            const a = tv.valuablesReturned[item.itemId] ?? null;
            const setA = (answer: 'returned' | 'missing') => terms.set(`valuablesReturned.${item.itemId}`, answer);
            return (
              <div key={item.itemId} className="row" role="group" aria-label={label}>
                <span style={{ minWidth: 200 }}>{label}</span>
                <button type="button" aria-pressed={a === 'returned'} disabled={readOnly} aria-label={t('handover.returnedItem', { item: label })} onClick={() => setA('returned')}>
                  ✓ {t('handover.returned')}
                </button>
                <button type="button" className="danger" aria-pressed={a === 'missing'} disabled={readOnly} aria-label={t('handover.missingItem', { item: label })} onClick={() => setA('missing')}>
                  {t('handover.missing')}
                </button>
              </div>
            );
          })}
        </fieldset>
        {(prot.seatCover || prot.wheelCover || prot.floorMat) && (
          <label className="check">
            <input type="checkbox" checked={tv.protectionRemoved} disabled={readOnly} onChange={(e) => terms.set('protectionRemoved', e.target.checked)} />
            {t('handover.protectionRemoved')}
          </label>
        )}
        <fieldset>
          <legend>{t('handover.documentsTitle')}</legend>
          {docs.registration && (
            <label className="check">
              <input type="checkbox" checked={tv.documentsReturned.registration} disabled={readOnly} onChange={(e) => terms.set('documentsReturned.registration', e.target.checked)} />
              {t('handover.registrationReturned')}
            </label>
          )}
          {docs.serviceBooklet && (
            <label className="check">
              <input type="checkbox" checked={tv.documentsReturned.serviceBooklet} disabled={readOnly} onChange={(e) => terms.set('documentsReturned.serviceBooklet', e.target.checked)} />
              {t('handover.bookletReturned')}
            </label>
          )}
          <label className="field">
            <span className="label">{t('handover.keysReturned', { n: docs.keys })}</span>
            <input
              type="number"
              inputMode="numeric"
              min={0}
              max={10}
              value={tv.documentsReturned.keys}
              readOnly={readOnly}
              onChange={(e) => terms.set('documentsReturned.keys', Math.max(0, Math.min(10, Math.trunc(Number(e.target.value) || 0))))}
            />
          </label>
        </fieldset>
        {intake.work.oldParts === 'take' && (
          <label className="check">
            <input type="checkbox" checked={tv.oldPartsShown} disabled={readOnly} onChange={(e) => terms.set('oldPartsShown', e.target.checked)} />
            {t('handover.oldPartsShown')}
          </label>
        )}
        <fieldset>
          <legend>{t('handover.declinedTitle')}</legend>
          {declined.length === 0 && <p className="muted">{t('handover.noDeclined')}</p>}
          {declined.map((r) => (
            <label key={r.id} className="check">
              <input
                type="checkbox"
                checked={!!tv.declinedSafety[r.id]?.explained}
                disabled={readOnly}
                onChange={(e) => terms.set(`declinedSafety.${r.id}`, { explained: e.target.checked })}
              />
              {t('handover.declinedExplained', { title: r.title })}
            </label>
          ))}
        </fieldset>
      </section>

      <section className="card grid2" aria-label={`${t('handover.nextServiceTitle')} · ${t('handover.followUpTitle')}`}>
        <fieldset>
          <legend>{t('handover.nextServiceTitle')}</legend>
          <TextField type="date" label={t('handover.nextServiceDate')} {...terms.text('nextService.date')} />
          <NumberField label={t('handover.nextServiceMileage')} value={tv.nextService.mileageKm} onChange={(n) => terms.set('nextService.mileageKm', n)} schema={odometerSchema} readOnly={readOnly} />
          {intake.visit.odometerKm !== null && <p className="muted">{t('handover.odometerAtIntake', { km: intake.visit.odometerKm })}</p>}
        </fieldset>
        <fieldset>
          <legend>{t('handover.followUpTitle')}</legend>
          <TextField type="date" label={t('handover.followUpDate')} {...terms.text('followUp.date')} />
          <div className="row" role="group" aria-label={t('handover.followUpSlot')}>
            {FOLLOW_UP_SLOTS.map((s) => (
              <button key={s} type="button" aria-pressed={tv.followUp.slot === s} disabled={readOnly} onClick={() => terms.set('followUp.slot', s)}>
                {t(`handover.slot_${s}`)}
              </button>
            ))}
          </div>
          <TextField label={t('handover.followUpNote')} {...terms.text('followUp.note')} maxLength={300} />
        </fieldset>
        <TextField multiline label={t('handover.note')} {...terms.text('note')} maxLength={1000} />
      </section>

      <section className={`card${diffCount > 0 ? ' follow-alert' : ''}`} aria-labelledby="ho-diff">
        <h3 id="ho-diff">
          {t('handover.differencesTitle')} ({diffCount})
        </h3>
        <Differences comparison={comparison} checklist={checklist} intake={intake} template={template} />
        <PreExistingList intake={intake} template={template} newHeading={false} />
      </section>

      <section className="card" aria-labelledby="ho-sign">
        <h3 id="ho-sign">{t('handover.signTitle')}</h3>
        {readOnly ? (
          <SignedStamp badge="✓" text={t('handover.signedAt', { at: formatDateTime(lang, handover.signedAt ?? handover.updatedAt) })} hashLabel={t('handover.contentHash')} hash={handover.contentHash}>
            <a className="button primary" href={hrefOf({ name: 'handoverPrint', id: intake.id })}>
              {t('handover.printSheet')}
            </a>
          </SignedStamp>
        ) : (
          <>
            <IssueList issues={issues} intake={intake} extra={all} template={template} readyText={t('handover.ready')} ns="handover" />
            {signError && (
              <p role="alert" className="error">
                {signError}
              </p>
            )}
            <button type="button" className="primary" disabled={issues.length > 0 || ed.state === 'error'} onClick={() => void ed.flush().then(() => setSigning(true))}>
              {t('handover.askCustomer')}
            </button>
          </>
        )}
      </section>
      {signing && (
        <SignatureSheet
          title={t('handover.signTitle')}
          signerName={intake.customer.name}
          statement={t('handover.signStatement', { n: diffCount })}
          onCancel={() => setSigning(false)}
          onConfirm={(pad) => void onSigned(pad)}
        />
      )}
    </div>
  );
}
