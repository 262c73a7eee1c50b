/**
 * When a failed delivery is tried again: Standard Webhooks' example schedule. Attempt 1 is
 * immediate; after failed attempt n the next waits RETRY_DELAYS_SECONDS[n]. After the tenth
 * failure (about 75 h in all) the delivery is given up. A Retry-After longer than the schedule's
 * pause is honoured (up to a day).
 */
export const RETRY_DELAYS_SECONDS = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length;
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

/** Seconds to wait after `attemptsMade` failed attempts, or null when the delivery is given up. */
export function nextDelaySeconds(attemptsMade: number, retryAfterSeconds: number | null): number | null {
  if (attemptsMade >= MAX_ATTEMPTS) return null;
  const scheduled = RETRY_DELAYS_SECONDS[attemptsMade];
  return Math.max(scheduled, Math.min(retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS));
}

/** An endpoint failing without a single success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 24 * 3600 * 1000;
