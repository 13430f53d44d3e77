/**
 * When to try again. Healthy: every `intervalMs` (a poll, the fallback behind the event stream).
 * After failures: exponential from 1 s doubling up to a 1 min cap, with "equal jitter" (half
 * fixed, half random) so twenty tablets coming back online at once don't hit the server in
 * lockstep. While the event stream is open the server is up, so a failure was passing: the
 * engine retries within RETRY_CAP_LIVE_MS then (faults over → converged in seconds, not at the
 * end of a long backoff); a stream that reconnects starts a run at once anyway.
 */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;
export const HEALTHY_INTERVAL_MS = 30_000;
export const RETRY_CAP_LIVE_MS = 4_000;

/** Delay before the next run after `failures` consecutive failed runs (0 = healthy). */
export function nextDelay(failures: number, random: () => number = Math.random, intervalMs = HEALTHY_INTERVAL_MS): number {
  if (failures <= 0) return intervalMs;
  const exp = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 20));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp / 2 + (exp / 2) * r);
}
