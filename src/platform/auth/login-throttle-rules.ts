/**
 * The login throttle as a pure rule: given a counter (failures and the time of the last one) and
 * the time now, is a sign-in attempt allowed, and what does a failure make of the counter?
 * One counter per account (the username as typed, whether or not it exists, so that a refusal
 * reveals nothing) and one per client address. Each allows a few free failures; after those every
 * failure doubles the wait before the next attempt, up to a cap. Counters go stale after a day.
 */

/** A stored counter: how many failures, and when the last one was. */
export interface ThrottleCounter {
  failures: number;
  lastFailureAt: string;
}

/** How lenient a kind of counter is. */
export interface ThrottleLimits {
  /** Failures allowed before any wait. */
  free: number;
  /** The wait after the first failure past `free`, in milliseconds; it doubles with each further one. */
  baseDelayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** A counter whose last failure is older than this starts again from zero. */
  resetAfterMs: number;
}

/** Per account: five free failures, then 1 s, 2 s, 4 s … up to 15 minutes. */
export const ACCOUNT_LIMITS: ThrottleLimits = {
  free: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  resetAfterMs: 24 * 3_600_000,
};

/** Per client address: more free failures (many people share an office's address), the same backoff. */
export const ADDRESS_LIMITS: ThrottleLimits = {
  free: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  resetAfterMs: 24 * 3_600_000,
};

/** The failures that still count at `now` (zero once the counter is stale). */
export function liveFailures(
  counter: ThrottleCounter | undefined,
  now: Date,
  limits: ThrottleLimits,
): number {
  if (!counter) return 0;
  const age = now.getTime() - Date.parse(counter.lastFailureAt);
  return age > limits.resetAfterMs ? 0 : counter.failures;
}

/** The wait that `failures` failures impose after the last one, in milliseconds (0 within the free ones). */
export function delayAfter(failures: number, limits: ThrottleLimits): number {
  if (failures <= limits.free) return 0;
  const doublings = Math.min(failures - limits.free - 1, 40);
  return Math.min(limits.baseDelayMs * 2 ** doublings, limits.maxDelayMs);
}

/**
 * Milliseconds until the next attempt is allowed (0: allowed now). An attempt during a wait is
 * refused without being counted, so the wait does not grow while nobody can try.
 */
export function waitBeforeAttempt(
  counter: ThrottleCounter | undefined,
  now: Date,
  limits: ThrottleLimits,
): number {
  const failures = liveFailures(counter, now, limits);
  if (!counter || failures === 0) return 0;
  const until = Date.parse(counter.lastFailureAt) + delayAfter(failures, limits);
  return Math.max(0, until - now.getTime());
}

/** The counter after one more failure at `now`. */
export function afterFailure(
  counter: ThrottleCounter | undefined,
  now: Date,
  limits: ThrottleLimits,
): ThrottleCounter {
  return { failures: liveFailures(counter, now, limits) + 1, lastFailureAt: now.toISOString() };
}
