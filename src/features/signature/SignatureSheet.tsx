/**
 * Full-screen signing: a fixed layer over everything, the page behind it locked, so nothing
 * scrolls or bounces under the pen (signature_pad #626, #455). The signature is accepted only
 * when its STROKE DATA is a plausible signature (isSignatureAcceptable), never on the image.
 */
import { useEffect, useId, useState } from 'react';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { SignaturePad } from './SignaturePad';
import { signatureProblem, type PadValue, type SignatureProblem } from './strokes';

const PROBLEM_KEY: Record<SignatureProblem, MessageKey> = {
  empty: 'signature.problemEmpty',
  tooFewPoints: 'signature.problemTooShort',
  tooShort: 'signature.problemTooShort',
  tooSmall: 'signature.problemTooSmall',
  tooComplex: 'signature.problemTooComplex',
};

export interface SignatureSheetProps {
  title: string;
  signerName: string;
  /** What the signer confirms by signing. */
  statement: string;
  onCancel: () => void;
  onConfirm: (value: PadValue) => void;
  busy?: boolean;
}

/** Lock the page behind the sheet: no scrolling, no rubber-band, no pull-to-refresh. */
function useScrollLock() {
  useEffect(() => {
    const html = document.documentElement;
    const prev = { overflow: html.style.overflow, overscroll: html.style.overscrollBehavior, bodyOverflow: document.body.style.overflow };
    html.style.overflow = 'hidden';
    html.style.overscrollBehavior = 'none';
    document.body.style.overflow = 'hidden';
    return () => {
      html.style.overflow = prev.overflow;
      html.style.overscrollBehavior = prev.overscroll;
      document.body.style.overflow = prev.bodyOverflow;
    };
  }, []);
}

export function SignatureSheet({ title, signerName, statement, onCancel, onConfirm, busy = false }: SignatureSheetProps) {
  const { t } = useI18n();
  const [value, setValue] = useState<PadValue | null>(null);
  const [problem, setProblem] = useState<SignatureProblem | null>(null);
  const titleId = useId();
  useScrollLock();

  function confirm() {
    const p = value ? signatureProblem(value.strokes, value.width, value.height) : 'empty';
    setProblem(p);
    if (p === null && value) onConfirm(value);
  }

  return (
    <div className="signature-sheet" role="dialog" aria-modal="true" aria-labelledby={titleId}>
      <div className="signature-sheet-head">
        <h2 id={titleId}>{title}</h2>
        <p className="signature-statement">{statement}</p>
        <p className="muted">
          {t('signature.signerLabel')}: <strong>{signerName || t('signature.unnamed')}</strong> · {t('signature.signInBox')}
        </p>
      </div>
      <SignaturePad
        label={t('signature.padLabel', { name: signerName })}
        value={value}
        onChange={(v) => {
          setValue(v);
          setProblem(null);
        }}
      />
      <div className="signature-sheet-foot">
        <p role="alert" className="error signature-problem">
          {problem ? t(PROBLEM_KEY[problem]) : ''}
        </p>
        <div className="row">
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('signature.back')}
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setValue(null);
              setProblem(null);
            }}
            disabled={busy || !value}
          >
            {t('signature.clear')}
          </button>
          <button type="button" className="primary" onClick={confirm} disabled={busy}>
            {t('signature.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
