/**
 * One stored photo shown by its hash (bytes from the tablet's store). A photo the tablet does
 * not hold is shown as missing with its hash prefix, never silently dropped from the summary.
 */
import { useEffect, useState } from 'react';
import { usePhoto } from '../../db/hooks';
import { useI18n } from '../../i18n/i18n';

export function SummaryPhoto({ hash, alt, size = 120 }: { hash: string; alt: string; size?: number }) {
  const { t } = useI18n();
  const photo = usePhoto(hash);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!photo || typeof URL.createObjectURL !== 'function') return;
    const u = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
    setUrl(u);
    return () => {
      URL.revokeObjectURL(u);
      setUrl(null);
    };
  }, [photo]);
  const box = { width: size, height: size, objectFit: 'cover' as const, borderRadius: 6, border: '1px solid var(--border)', background: '#eef1f5' };
  if (photo === null)
    return (
      <span className="summary-photo missing" role="img" aria-label={t('review.photoMissing', { hash: hash.slice(0, 8) })} style={{ ...box, display: 'inline-flex', alignItems: 'center', justifyContent: 'center', fontSize: 12, padding: 4 }}>
        {t('review.photoMissing', { hash: hash.slice(0, 8) })}
      </span>
    );
  if (!url) return <span className="summary-photo" aria-hidden="true" style={{ ...box, display: 'inline-block' }} />;
  return <img className="summary-photo" src={url} alt={alt} style={box} />;
}

export function SummaryPhotos({ hashes, alt }: { hashes: string[]; alt: string }) {
  if (hashes.length === 0) return null;
  return (
    <div className="row summary-photos">
      {hashes.map((h, i) => (
        <SummaryPhoto key={h} hash={h} alt={`${alt} (${i + 1}/${hashes.length})`} />
      ))}
    </div>
  );
}
