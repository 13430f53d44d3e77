/**
 * A row of photo thumbnails. Tap one to view it large; when editable each has a remove button
 * that asks once more before removing (a mis-tap in the lane must not drop evidence). Removing
 * only takes the hash off the record; the bytes stay on the tablet until the intake is cleared.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { PhotoLarge, PhotoThumb } from './PhotoThumb';
import './photos.css';

export interface PhotoStripProps {
  hashes: string[];
  /** Base alt text, e.g. "损伤 3 左前门 划痕"; each photo gets " (n/total)". */
  alt: string;
  editable?: boolean;
  onRemove?: (hash: string) => void;
  size?: number;
}

export function PhotoStrip({ hashes, alt, editable = false, onRemove, size = 96 }: PhotoStripProps) {
  const { t } = useI18n();
  const [viewing, setViewing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  if (hashes.length === 0) return null;
  const altOf = (i: number) => `${alt} (${i + 1}/${hashes.length})`;
  return (
    <>
      <ul className="photo-strip">
        {hashes.map((h, i) => (
          <li key={h}>
            <button type="button" className="photo-open" onClick={() => setViewing(i)} aria-label={t('walkaround.photoOpen', { alt: altOf(i) })}>
              <PhotoThumb hash={h} alt={altOf(i)} size={size} />
            </button>
            {editable && onRemove && (
              confirming === h ? (
                <span className="photo-remove-confirm">
                  <button type="button" className="danger" onClick={() => { setConfirming(null); onRemove(h); }}>
                    {t('walkaround.photoRemoveConfirm')}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t('common.cancel')}
                  </button>
                </span>
              ) : (
                <button type="button" className="photo-remove" aria-label={t('walkaround.photoRemove', { n: i + 1 })} onClick={() => setConfirming(h)}>
                  ✕
                </button>
              )
            )}
          </li>
        ))}
      </ul>
      {viewing !== null && hashes[viewing] && (
        <PhotoViewer hash={hashes[viewing]} alt={altOf(viewing)} onClose={() => setViewing(null)} />
      )}
    </>
  );
}

function PhotoViewer({ hash, alt, onClose }: { hash: string; alt: string; onClose: () => void }) {
  const { t } = useI18n();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="photo-viewer" role="dialog" aria-modal="true" aria-label={t('walkaround.photoViewer')} onClick={onClose}>
      <div className="photo-viewer-body" onClick={(e) => e.stopPropagation()}>
        <button ref={closeRef} type="button" className="primary photo-viewer-close" onClick={onClose}>
          {t('common.close')}
        </button>
        <PhotoLarge hash={hash} alt={alt} />
        <p className="muted">{alt}</p>
      </div>
    </div>
  );
}
