/**
 * What the tablet shows while photos go up: photos left, MB left, and the rate so far. Computed
 * from the upload loop's progress (uploadPhotos.ts) and when the phase started. MB left is exact
 * when the queue's sizes are known, otherwise estimated from the average photo so far.
 */
import type { UploadProgress } from './uploadPhotos';

export interface PhotoProgress {
  left: number;
  /** Bytes still to go, null until anything is known about the sizes. */
  bytesLeft: number | null;
  /** Bytes per second since the phase started, null in its first moment. */
  bytesPerSecond: number | null;
}

export function photoProgress(p: UploadProgress, startedAtMs: number, nowMs: number): PhotoProgress {
  const left = Math.max(0, p.total - p.done);
  let bytesLeft: number | null = null;
  if (p.bytesTotal !== null) bytesLeft = Math.max(0, p.bytesTotal - p.bytesDone);
  else if (p.done > 0 && p.bytesDone > 0) bytesLeft = Math.round((p.bytesDone / p.done) * left);
  else if (left === 0) bytesLeft = 0;
  const seconds = (nowMs - startedAtMs) / 1000;
  const bytesPerSecond = seconds >= 0.5 && p.bytesDone > 0 ? p.bytesDone / seconds : null;
  return { left, bytesLeft, bytesPerSecond };
}

/** Megabytes with one decimal (the tablet's display unit for photo volume). */
export function formatMB(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
