/**
 * What makes a signed intake evidence: the content hash the signatures are bound to, when it was
 * signed, the signatures drawn from their stroke data, and the amendments made after signing
 * (each naming the hash it refers to). Shown on the review step and on the printed sheet.
 */
import type { Amendment, Intake, Signature } from '../../model/intake/schema';
import { useI18n } from '../../i18n/i18n';
import { SignatureImage } from '../signature/SignatureImage';
import { formatDateTime, hashGroups } from './format';

/** The hash, shown in groups of 8 for people comparing it with paper, read ONCE as one string
 *  (the caller's visible label names it; the hidden text does not repeat that label). */
export function HashText({ hash }: { hash: string }) {
  return (
    <span className="hash" data-hash={hash}>
      <span className="visually-hidden">{hash}</span>
      {hashGroups(hash).map((g, i) => (
        <span key={i} aria-hidden="true" className="hash-group">
          {g}
        </span>
      ))}
    </span>
  );
}

export function roleKey(role: Signature['role']) {
  return role === 'customer' ? 'review.roleCustomer' : role === 'advisor' ? 'review.roleAdvisor' : 'review.roleTechnician';
}

export function SignatureList({ signatures }: { signatures: Signature[] }) {
  const { t, lang } = useI18n();
  return (
    <div className="signature-grid">
      {signatures.map((s, i) => {
        const who = `${t(roleKey(s.role))}: ${s.name}`;
        return (
          <figure key={i} className="signature-box" style={{ margin: 0 }}>
            <SignatureImage signature={s} label={t('review.signatureOf', { who })} />
            <figcaption>
              <strong>{who}</strong>
              <br />
              <span className="muted">{formatDateTime(lang, s.signedAt)}</span>
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}

export function AmendmentList({ amendments }: { amendments: Amendment[] }) {
  const { t, lang } = useI18n();
  if (amendments.length === 0) return <p className="muted">{t('review.noAmendments')}</p>;
  return (
    <ol className="amendments">
      {amendments.map((a) => (
        <li key={a.id}>
          <div>
            <strong>{formatDateTime(lang, a.at)}</strong> · {a.by.name}
          </div>
          <div>{a.text}</div>
          <div className="muted" style={{ fontSize: '0.85rem' }}>
            {t('review.refersTo')}: <span className="mono">{a.refersTo.slice(0, 16)}…</span>
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The signed state: hash, time, signatures. */
export function SignedFacts({ intake }: { intake: Intake }) {
  const { t, lang } = useI18n();
  if (intake.status !== 'signed' || !intake.contentHash) return null;
  return (
    <div className="signed-facts">
      <p>
        <span className="badge signed">{t('review.signedBadge')}</span> {t('review.signedAt')}: <strong>{formatDateTime(lang, intake.signedAt)}</strong>
      </p>
      <div>
        <strong>{t('review.contentHash')} (SHA-256)</strong>
        <HashText hash={intake.contentHash} />
      </div>
      <h3>{t('review.signatures')}</h3>
      <SignatureList signatures={intake.signatures} />
    </div>
  );
}
