/**
 * One stored photo, shown from the tablet's own bytes (works offline). A photo the tablet does
 * not hold is shown as a visible broken-photo tile with its hash prefix: in a dispute a missing
 * photo must be noticed, never silently left out.
 */
import { useI18n } from '../i18n/i18n';
import { usePhotoUrl } from './usePhotoUrl';
import './photos.css';

export interface PhotoThumbProps {
  hash: string;
  alt: string;
  /** Edge length in CSS px (square, cropped to cover); default 96. */
  size?: number;
}

export function PhotoThumb({ hash, alt, size = 96 }: PhotoThumbProps) {
  const { t } = useI18n();
  const { url } = usePhotoUrl(hash);
  const box = { width: size, height: size };
  if (url === null) {
    const text = t('walkaround.photoMissing', { hash: hash.slice(0, 8) });
    return (
      <span className="photo-thumb photo-missing" role="img" aria-label={`${alt}: ${text}`} style={box}>
        <svg aria-hidden="true" width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <rect x="3" y="5" width="18" height="14" rx="2" />
          <path d="M3 5l18 14" />
        </svg>
        <span>{text}</span>
      </span>
    );
  }
  if (url === undefined) return <span className="photo-thumb photo-loading" role="img" aria-label={`${alt}: ${t('walkaround.photoLoading')}`} style={box} />;
  return <img className="photo-thumb" src={url} alt={alt} style={box} decoding="async" loading="lazy" />;
}

/** The same photo at full width (viewer, print). */
export function PhotoLarge({ hash, alt }: { hash: string; alt: string }) {
  const { t } = useI18n();
  const { url, width, height } = usePhotoUrl(hash);
  if (url === null)
    return (
      <p className="photo-missing photo-large-missing" role="img" aria-label={`${alt}: ${t('walkaround.photoMissing', { hash: hash.slice(0, 8) })}`}>
        {t('walkaround.photoMissing', { hash: hash.slice(0, 8) })}
      </p>
    );
  if (url === undefined) return <p role="status">{t('walkaround.photoLoading')}</p>;
  return <img className="photo-large" src={url} alt={alt} width={width} height={height} />;
}
