/**
 * Customer mode (#/intake/<id>/sign): the tablet in the customer's hands. They see the summary
 * (read-only, no links), confirm each declined safety item, and sign; then the advisor signs.
 * Both signatures are bound to the hash of exactly the content that was on screen: if the record
 * changes in between (sync, another tab), signing is refused and the summary is shown again.
 * The customer's signature is kept on the tablet (store/heldSignature.ts) until the advisor
 * signs: a reload in between comes back to the advisor's pad; a change of the content it covered
 * drops it, with a notice.
 *
 * Locked in the app itself (kiosk modes are escapable, PITFALLS.md): no header (App.tsx renders
 * this route bare), no links, back/hash changes are turned around, and leaving needs the
 * advisor's PIN (checked by the session layer).
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Intake, Signature } from '../../model/intake/schema';
import { contentHash } from '../../model/intake/signedContent';
import { declinedSafetyItems, readinessIssues } from '../../model/intake/readiness';
import { useConflicts, useSession } from '../../store/queries';
import { signIntake } from '../../store/intakeWrites';
import { dropHeldSignature, heldSignature, holdSignature } from '../../store/heldSignature';
import { isDomainError } from '../../model/domainError';
import { useIntake } from '../../store/queries';
import { useI18n } from '../../i18n/i18n';
import { hrefOf, navigate } from '../../ui/router';
import { IntakeSummary } from '../review/IntakeSummary';
import { SignedFacts } from '../review/SignedRecord';
import { SignatureSheet } from './SignatureSheet';
import { verifyStaffPin as defaultVerifyPin, type VerifyStaffPin } from './staffPin';
import type { PadValue } from './strokes';
import { markCustomerModeReleased, wasCustomerModeReleased } from './customerModeEntry';
import '../review/review.css';
import './signature.css';

/** Staff PINs are 4–6 digits (the auth layer's PIN_PATTERN); anything else is refused before hashing. */
const PIN_PATTERN = /^\d{4,6}$/;

type Phase = 'review' | 'customerSign' | 'advisorSign' | 'saving' | 'done';
type Notice = 'changed' | 'failed' | 'signatureDropped' | null;

/** Keep the customer on this route: back and hash changes come straight back here. */
function useRouteLock(id: string, released: { current: boolean }) {
  useEffect(() => {
    const here = hrefOf({ name: 'customer', id });
    if (released.current) return;
    // An extra history entry, so "back" lands on this same screen instead of leaving it.
    history.pushState({ customerMode: id }, '', here);
    const stay = () => {
      if (released.current) return;
      if (location.hash !== here) location.replace(here);
    };
    const onPop = () => {
      if (released.current) return;
      stay();
      history.pushState({ customerMode: id }, '', here);
    };
    window.addEventListener('hashchange', stay);
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('hashchange', stay);
      window.removeEventListener('popstate', onPop);
    };
  }, [id, released]);
}

export function buildSignature(role: Signature['role'], name: string, pad: PadValue, hash: string, at = new Date()): Signature {
  return { role, name: name.slice(0, 60), strokes: pad.strokes, width: pad.width, height: pad.height, signedAt: at.toISOString(), contentHash: hash };
}

export function CustomerModeScreen({ id, verifyPin = defaultVerifyPin }: { id: string; verifyPin?: VerifyStaffPin }) {
  const { t } = useI18n();
  const intake = useIntake(id);
  // Reached through "back" after the advisor took the tablet back: forward to the review step.
  const [stale] = useState(() => wasCustomerModeReleased(id));
  const released = useRef(stale);
  const [pinOpen, setPinOpen] = useState(false);
  useRouteLock(id, released);
  useEffect(() => {
    if (stale) navigate({ name: 'intake', id, step: 'review' }, { replace: true });
  }, [stale, id]);

  const release = () => {
    released.current = true;
    markCustomerModeReleased(id);
    navigate({ name: 'intake', id, step: 'review' }, { replace: true });
  };

  if (stale) return null;

  return (
    <div className="customer-mode">
      {intake === undefined ? (
        <p role="status">{t('common.loading')}</p>
      ) : intake === null ? (
        <p role="alert">{t('common.notFound')}</p>
      ) : (
        <CustomerFlow intake={intake} onHandBack={() => setPinOpen(true)} />
      )}
      {intake === null && (
        <div className="customer-mode-bar">
          <button type="button" onClick={() => setPinOpen(true)}>
            {t('signature.handBack')}
          </button>
        </div>
      )}
      {pinOpen && <PinDialog verifyPin={verifyPin} onCancel={() => setPinOpen(false)} onVerified={release} />}
    </div>
  );
}

function CustomerFlow({ intake, onHandBack }: { intake: Intake; onHandBack: () => void }) {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const [phase, setPhase] = useState<Phase>(intake.status === 'signed' ? 'done' : 'review');
  const [notice, setNotice] = useState<Notice>(null);
  const [acknowledged, setAcknowledged] = useState<Record<string, boolean>>({});
  /** The hash of the content on screen when the customer chose to sign; both signatures bind to it. */
  const [boundHash, setBoundHash] = useState<string | null>(null);
  const customerPad = useRef<PadValue | null>(null);
  /** The customer's signature as kept on the tablet (its signedAt is when the customer signed). */
  const customerSig = useRef<Signature | null>(null);

  // The hash of what is on screen right now (the summary renders this very object).
  const shownHash = useMemo(() => contentHash(intake), [intake]);
  const declined = declinedSafetyItems(intake);
  const openConflicts = useConflicts(intake.id)?.length ?? 0;
  const ready = readinessIssues(intake).length === 0 && openConflicts === 0;
  const allAcknowledged = declined.every((r) => acknowledged[r.id]);

  // A customer signature kept from before a reload: back to the advisor's pad if it still
  // covers exactly this content; dropped, and said so, if the content changed since.
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || intake.status === 'signed') return;
    restored.current = true;
    let live = true;
    void heldSignature(intake.id).then((held) => {
      if (!live || !held) return;
      if (held.contentHash === shownHash) {
        customerSig.current = held;
        customerPad.current = { strokes: held.strokes, width: held.width, height: held.height };
        setBoundHash(shownHash);
        setPhase('advisorSign');
      } else {
        void dropHeldSignature(intake.id);
        setNotice('signatureDropped');
      }
    });
    return () => {
      live = false;
    };
  }, [intake.id, intake.status, shownHash]);

  const discardCustomerSignature = () => {
    customerPad.current = null;
    customerSig.current = null;
    void dropHeldSignature(intake.id);
  };

  // The record changed while signing (sync, another tab): what was shown is no longer what
  // would be signed. Back to the summary, signatures discarded.
  useEffect(() => {
    if (intake.status === 'signed') return;
    if (boundHash && boundHash !== shownHash && (phase === 'customerSign' || phase === 'advisorSign')) {
      const hadCustomerSignature = customerPad.current !== null;
      customerPad.current = null;
      customerSig.current = null;
      void dropHeldSignature(intake.id);
      setBoundHash(null);
      setNotice(hadCustomerSignature ? 'signatureDropped' : 'changed');
      setPhase('review');
    }
  }, [boundHash, shownHash, phase, intake.status, intake.id]);

  const customerName = [intake.customer.name, intake.customer.salutation].filter(Boolean).join(' ');
  const advisorName = session?.staff.name ?? intake.advisor.name;

  async function finish(advisorPad: PadValue) {
    const cust = customerPad.current;
    if (!cust || !boundHash) {
      setPhase('review');
      return;
    }
    setPhase('saving');
    const at = new Date();
    try {
      await signIntake(intake.id, boundHash, [
        customerSig.current ?? buildSignature('customer', intake.customer.name || customerName, cust, boundHash, at),
        buildSignature('advisor', advisorName, advisorPad, boundHash, at),
      ]);
      void dropHeldSignature(intake.id);
      setNotice(null);
      setPhase('done');
    } catch (e) {
      discardCustomerSignature();
      setBoundHash(null);
      if (isDomainError(e, 'record.frozen')) {
        setPhase('done');
      } else {
        setNotice(isDomainError(e, 'record.stale') ? 'changed' : 'failed');
        setPhase('review');
      }
    }
  }

  if (phase === 'done' || intake.status === 'signed') {
    return (
      <section className="card" aria-labelledby="cm-done">
        <h1 id="cm-done">{t('signature.doneTitle')}</h1>
        <p>{t('signature.doneText')}</p>
        <SignedFacts intake={intake} />
        <div className="customer-mode-bar">
          <button type="button" className="primary" onClick={onHandBack}>
            {t('signature.handBack')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1 style={{ fontSize: '1.4rem' }}>{t('signature.customerTitle')}</h1>
        <button type="button" lang={lang === 'zh-CN' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}>
          {t('common.switchLanguage')}
        </button>
      </div>
      <p>{t('signature.customerIntro')}</p>
      {notice && (
        <p role="alert" className="card warning" style={{ borderColor: 'var(--warn)' }}>
          {t(notice === 'changed' ? 'signature.changedNotice' : notice === 'signatureDropped' ? 'signature.droppedNotice' : 'signature.failedNotice')}
        </p>
      )}
      <IntakeSummary intake={intake} editable={false} />

      {declined.length > 0 && (
        <fieldset className="card declined-safety" aria-describedby="declined-help">
          <legend>
            <strong>{t('signature.declinedTitle')}</strong>
          </legend>
          <p id="declined-help">{t('signature.declinedHelp')}</p>
          {declined.map((r) => (
            <label key={r.id} className="check">
              <input
                type="checkbox"
                checked={!!acknowledged[r.id]}
                onChange={(e) => setAcknowledged((a) => ({ ...a, [r.id]: e.target.checked }))}
              />
              <span>
                <strong>{r.title}</strong> — {t('signature.declinedConfirm')}
              </span>
            </label>
          ))}
        </fieldset>
      )}

      {!ready && (
        <p role="alert" className="warning">
          {t('signature.notReady')}
        </p>
      )}

      <div className="customer-mode-bar">
        <button type="button" onClick={onHandBack}>
          {t('signature.handBack')}
        </button>
        <span role="status" className="muted">
          {!allAcknowledged ? t('signature.confirmDeclinedFirst') : phase === 'saving' ? t('signature.saving') : ''}
        </span>
        <button
          type="button"
          className="primary"
          disabled={!ready || !allAcknowledged || phase === 'saving'}
          onClick={() => {
            setBoundHash(shownHash);
            setNotice(null);
            setPhase('customerSign');
          }}
        >
          {t('signature.startSigning')}
        </button>
      </div>

      {phase === 'customerSign' && (
        <SignatureSheet
          key="customer"
          title={t('signature.customerSignTitle')}
          signerName={customerName}
          statement={declined.length ? `${t('signature.customerStatement')} ${t('signature.declinedStatement')}` : t('signature.customerStatement')}
          onCancel={() => {
            setBoundHash(null);
            setPhase('review');
          }}
          onConfirm={(v) => {
            customerPad.current = v;
            if (boundHash) {
              const sig = buildSignature('customer', intake.customer.name || customerName, v, boundHash);
              customerSig.current = sig;
              void holdSignature(intake.id, sig); // kept across a reload until the advisor signs
            }
            setPhase('advisorSign');
          }}
        />
      )}
      {(phase === 'advisorSign' || phase === 'saving') && (
        <SignatureSheet
          key="advisor"
          title={t('signature.advisorSignTitle')}
          signerName={advisorName}
          statement={t('signature.advisorStatement')}
          busy={phase === 'saving'}
          onCancel={() => {
            discardCustomerSignature();
            setBoundHash(null);
            setPhase('review');
          }}
          onConfirm={(v) => void finish(v)}
        />
      )}
    </>
  );
}

function PinDialog({ verifyPin, onCancel, onVerified }: { verifyPin: VerifyStaffPin; onCancel: () => void; onVerified: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!session) return;
    if (!PIN_PATTERN.test(pin)) {
      setError(t('signature.pinFormat'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (await verifyPin(session.staff.id, pin)) onVerified();
      else {
        setPin('');
        setError(t('signature.pinWrong'));
      }
    } catch (err) {
      setPin('');
      setError(t('signature.pinError'));
      console.error(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="pin-dialog" role="dialog" aria-modal="true" aria-labelledby="pin-title">
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="pin-title" style={{ marginTop: 0 }}>
          {t('signature.pinTitle')}
        </h2>
        <p>{t('signature.pinText', { name: session?.staff.name ?? '' })}</p>
        <div className="field">
          <label htmlFor="pin-input" className="label" style={{ fontWeight: 600 }}>
            {t('signature.pinLabel')}
          </label>
          <input
            id="pin-input"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            value={pin}
            maxLength={6}
            aria-invalid={error ? true : undefined}
            aria-describedby="pin-error"
            onChange={(e) => {
              setPin(e.target.value.replace(/\D/g, ''));
              setError(null);
            }}
          />
          <span id="pin-error" role="alert" className="error">
            {error ?? ''}
          </span>
        </div>
        <div className="row" style={{ justifyContent: 'flex-end' }}>
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !session}>
            {t('signature.pinSubmit')}
          </button>
        </div>
      </form>
    </div>
  );
}
