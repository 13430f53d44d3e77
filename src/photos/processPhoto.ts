/**
 * Photo pipeline on the tablet: decode (EXIF orientation applied), shrink so the long edge is
 * at most 1600 px, re-encode as JPEG. Runs before anything is stored and never inside a Dexie
 * transaction. Re-encoding always happens, even for small photos: it drops the EXIF block (so
 * no viewer can rotate the pixels a second time) and bounds every stored photo's size, because
 * full-size camera photos have exhausted Safari's storage and been silently dropped before.
 */
import { sha256HexBytes } from '../shared/sha256';

export const MAX_EDGE_PX = 1600;
export const JPEG_QUALITY = 0.8;

export interface ProcessedPhoto {
  bytes: ArrayBuffer;
  type: string;
  width: number;
  height: number;
}

/** The largest size with the same aspect ratio whose long edge is ≤ maxEdge (never enlarges). */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  if (!(width > 0) || !(height > 0)) throw new RangeError(`invalid image size ${width}×${height}`);
  const long = Math.max(width, height);
  if (long <= maxEdge) return { width: Math.round(width), height: Math.round(height) };
  const scale = maxEdge / long;
  // The long edge is exactly maxEdge; the short edge is rounded but never 0.
  return width >= height
    ? { width: maxEdge, height: Math.max(1, Math.round(height * scale)) }
    : { width: Math.max(1, Math.round(width * scale)), height: maxEdge };
}

/** The photo could not be decoded (not an image, unsupported format such as HEIC on a desktop, damaged). */
export class PhotoDecodeError extends Error {
  constructor(cause?: unknown) {
    super('The photo could not be decoded.');
    this.name = 'PhotoDecodeError';
    this.cause = cause;
  }
}

type Drawable = ImageBitmap | HTMLImageElement;
interface Decoded {
  image: Drawable;
  width: number;
  height: number;
  release: () => void;
}

async function decode(blob: Blob): Promise<Decoded> {
  if (typeof createImageBitmap === 'function') {
    try {
      // 'from-image' applies the EXIF orientation: portrait tablet photos must not come out sideways.
      const bmp = await createImageBitmap(blob, { imageOrientation: 'from-image' });
      return { image: bmp, width: bmp.width, height: bmp.height, release: () => bmp.close() };
    } catch (e) {
      if (typeof document === 'undefined') throw new PhotoDecodeError(e);
      // Fall through: some older WebKit builds reject the options bag; <img> decodes with EXIF applied.
    }
  }
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    return { image: img, width: img.naturalWidth, height: img.naturalHeight, release: () => URL.revokeObjectURL(url) };
  } catch (e) {
    URL.revokeObjectURL(url);
    throw new PhotoDecodeError(e);
  }
}

async function encode(image: Drawable, width: number, height: number, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (ctx) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(image, 0, 0, width, height);
      return canvas.convertToBlob({ type: 'image/jpeg', quality });
    }
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
  // Free the backing store at once (iOS caps total canvas memory).
  canvas.width = 0;
  canvas.height = 0;
  if (!blob) throw new Error('JPEG encoding failed');
  return blob;
}

/** Decode, orient, resize (long edge ≤ maxEdge) and encode one photo as JPEG. */
export async function processPhoto(blob: Blob, opts: { maxEdge?: number; quality?: number } = {}): Promise<ProcessedPhoto> {
  const maxEdge = opts.maxEdge ?? MAX_EDGE_PX;
  const decoded = await decode(blob);
  try {
    if (!(decoded.width > 0 && decoded.height > 0)) throw new PhotoDecodeError();
    const size = fitWithin(decoded.width, decoded.height, maxEdge);
    const out = await encode(decoded.image, size.width, size.height, opts.quality ?? JPEG_QUALITY);
    return { bytes: await out.arrayBuffer(), type: out.type || 'image/jpeg', width: size.width, height: size.height };
  } finally {
    decoded.release();
  }
}

/**
 * What capture does before storing, in one call: process, then hash the stored bytes. Used by the
 * benchmark (a 12-megapixel JPEG) so it measures exactly the work a tap on the shutter costs.
 */
export async function processAndHashPhoto(blob: Blob): Promise<ProcessedPhoto & { hash: string }> {
  const p = await processPhoto(blob);
  return { ...p, hash: await sha256HexBytes(p.bytes) };
}
