/**
 * An object URL for a stored photo's bytes, made when the bytes arrive and revoked on unmount
 * or when the hash changes (thumbnails of 20+ findings must not leak memory on a tablet).
 * undefined while loading, null when the tablet does not hold the photo.
 */
import { useEffect, useState } from 'react';
import { usePhoto } from '../db/hooks';

export function usePhotoUrl(hash: string): { url: string | null | undefined; width?: number; height?: number } {
  const photo = usePhoto(hash);
  const [url, setUrl] = useState<{ hash: string; url: string } | null>(null);
  useEffect(() => {
    if (!photo || typeof URL.createObjectURL !== 'function') return;
    const u = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
    setUrl({ hash: photo.hash, url: u });
    return () => {
      URL.revokeObjectURL(u);
      setUrl(null);
    };
  }, [photo]);
  if (photo === undefined) return { url: undefined };
  if (photo === null) return { url: null };
  // Bytes present but not readable as bytes (a Safari IndexedDB failure mode): treat as missing.
  if (typeof photo.bytes?.byteLength !== 'number' || photo.bytes.byteLength === 0) return { url: null };
  return { url: url && url.hash === photo.hash ? url.url : undefined, width: photo.width, height: photo.height };
}
