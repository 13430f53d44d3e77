/**
 * One photo from the camera (or gallery) into the tablet's store: process, then store as bytes
 * with its SHA-256, read back and verified (savePhoto). Returns the hash the record refers to.
 * Offline this is all local; upload happens later through sync, keyed by the same hash.
 */
import { savePhoto, PhotoVerifyError } from '../store/photoStore';
import { processPhoto, PhotoDecodeError } from './processPhoto';

export type CaptureStage = 'processing' | 'saving';

export async function capturePhoto(intakeId: string, file: Blob, onStage?: (s: CaptureStage) => void): Promise<string> {
  onStage?.('processing');
  const processed = await processPhoto(file);
  onStage?.('saving');
  const stored = await savePhoto({ intakeId, ...processed });
  return stored.hash;
}

export type CaptureErrorKind = 'decode' | 'quota' | 'verify' | 'other';

/** What went wrong, in the words the advisor needs (mapped to i18n keys by the component). */
export function captureErrorKind(e: unknown): CaptureErrorKind {
  if (e instanceof PhotoDecodeError) return 'decode';
  if (e instanceof PhotoVerifyError) return 'verify';
  const name = (e as { name?: string } | null)?.name ?? '';
  const inner = (e as { inner?: { name?: string } } | null)?.inner?.name ?? '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') return 'quota';
  if (name === 'EncodingError' || name === 'InvalidStateError') return 'decode';
  return 'other';
}
