/**
 * An object URL for a stored photo's bytes, made when the bytes arrive and revoked on unmount
 * or when the hash changes (thumbnails of 20+ findings must not leak memory on a tablet).
 * undefined while loading, null when the tablet does not hold the photo (or holds unreadable
 * bytes: a Safari IndexedDB failure mode).
 *
 * Photos are content-addressed and never change, so the URL is keyed on the hash alone: when
 * the stored row is rewritten (sync marks it uploaded) the live query re-runs, but the <img>
 * keeps its URL instead of decoding the photo again.
 */
import { useEffect, useState } from 'react';
import { usePhoto } from '../store/queries';

export function usePhotoUrl(hash: string): { url: string | null | undefined; width?: number; height?: number } {
  const photo = usePhoto(hash);
  const readable = !!photo && typeof photo.bytes?.byteLength === 'number' && photo.bytes.byteLength > 0;
  const key = photo === undefined ? null : readable ? photo.hash : null;
  const [url, setUrl] = useState<{ hash: string; url: string } | null>(null);
  useEffect(() => {
    if (!key || !photo || typeof URL.createObjectURL !== 'function') return;
    const u = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
    setUrl({ hash: key, url: u });
    return () => {
      URL.revokeObjectURL(u);
      setUrl(null);
    };
    // Keyed on the hash only: the bytes behind a hash never change (see above).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (photo === undefined) return { url: undefined };
  if (!readable) return { url: null };
  return { url: url && url.hash === photo.hash ? url.url : undefined, width: photo.width, height: photo.height };
}
