/** The source of "now" for every rule and record: injected so that expiry, SLAs and schedules are testable. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC with milliseconds: the one timestamp format stored on both engines (sorts as text). */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
