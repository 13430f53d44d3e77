/**
 * The printable intake sheet (接车登记表 · 客户联): the customer's copy. Everything on the
 * summary plus the evidence: signatures, the full content hash and the signed time, and every
 * amendment with the hash it refers to. A4 print CSS; app chrome is hidden in print.
 * An unsigned draft prints with a clear "draft, not signed" mark, never as if it were signed.
 */
import { useI18n } from '../../i18n/i18n';
import { useIntake, useSession } from '../../store/queries';
import { hrefOf } from '../../ui/router';
import { IntakeSummary } from '../review/IntakeSummary';
import { AmendmentList, HashText, SignatureList } from '../review/SignedRecord';
import { formatDateTime } from '../review/format';
import '../review/review.css';
import './print.css';

export function PrintScreen({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const intake = useIntake(id);
  const session = useSession();
  if (intake === undefined) return <p role="status">{t('common.loading')}</p>;
  if (intake === null) return <p role="alert">{t('common.notFound')}</p>;
  const signed = intake.status === 'signed' && intake.contentHash;
  return (
    <article className="print-sheet" aria-labelledby="print-title">
      <div className="row no-print print-actions">
        <a className="button" href={hrefOf({ name: 'intake', id, step: 'review' })}>
          ← {t('print.back')}
        </a>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </div>
      <header className="print-head">
        <div>
          <div className="print-dealer">{session?.dealership.name ?? ''}</div>
          <h1 id="print-title">{t('print.title')}</h1>
        </div>
        <div className="print-meta">
          <div>
            {t('print.plate')}: <strong>{intake.vehicle.plate || '—'}</strong>
          </div>
          <div>
            {t('print.intakeNo')}: <span className="mono">{intake.id.slice(0, 8).toUpperCase()}</span>
          </div>
          <div>
            {t('print.createdAt')}: {formatDateTime(lang, intake.createdAt)}
          </div>
        </div>
      </header>
      {!signed && (
        <p className="print-draft" role="note">
          {t('print.draftMark')}
        </p>
      )}

      <IntakeSummary intake={intake} level={2} />

      <section className="card print-evidence" aria-labelledby="print-sign-title">
        <h2 id="print-sign-title">{t('print.signatures')}</h2>
        {signed ? (
          <>
            <SignatureList signatures={intake.signatures} />
            <p>
              {/* To the second and with the time zone, in the customer's language: never a raw UTC timestamp. */}
              {t('print.signedAt')}: <strong>{formatDateTime(lang, intake.signedAt, 'long')}</strong>
            </p>
            <div>
              {t('print.contentHash')} (SHA-256):
              <HashText hash={intake.contentHash!} />
            </div>
            <p className="muted print-small">{t('print.hashExplain')}</p>
          </>
        ) : (
          <p>{t('print.notSigned')}</p>
        )}
      </section>

      {signed && (
        <section className="card" aria-labelledby="print-amend-title">
          <h2 id="print-amend-title">{t('print.amendments')}</h2>
          <AmendmentList amendments={intake.amendments} />
        </section>
      )}
      <p className="muted print-small">{t('print.footer')}</p>
    </article>
  );
}
