import type { WindowSize } from '../../contracts/monitoring.ts';

/** Pure rules of monitoring windows: boundaries (UTC; weeks start on Monday) and judging a value. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The length of a window in milliseconds. */
export function windowMs(size: WindowSize): number {
  return size === 'hour' ? HOUR : size === 'day' ? DAY : 7 * DAY;
}

/** The start of the window holding `t`. */
export function windowStart(size: WindowSize, t: Date): Date {
  const ms = t.getTime();
  if (size === 'hour') return new Date(Math.floor(ms / HOUR) * HOUR);
  if (size === 'day') return new Date(Math.floor(ms / DAY) * DAY);
  // 1970-01-01 was a Thursday: Monday-based weeks are offset by 4 days
  const offset = 4 * DAY;
  return new Date(Math.floor((ms - offset) / (7 * DAY)) * 7 * DAY + offset);
}

/** A window: [start, end). */
export interface WindowSpan {
  start: Date;
  end: Date;
}

/**
 * The windows from the one holding `from` to the last one that closed (plus `delayMinutes`) by
 * `now`, oldest first. At most `limit` (the newest ones kept when there are more).
 */
export function closedWindows(
  size: WindowSize,
  from: Date,
  now: Date,
  delayMinutes: number,
  limit = 10_000,
): WindowSpan[] {
  const len = windowMs(size);
  const out: WindowSpan[] = [];
  const last = now.getTime() - delayMinutes * 60_000;
  for (let s = windowStart(size, from).getTime(); s + len <= last; s += len) {
    out.push({ start: new Date(s), end: new Date(s + len) });
  }
  return out.length > limit ? out.slice(out.length - limit) : out;
}

/** Severity of a value against its thresholds; `no_data` when the value is missing. */
export function judge(
  value: number | null,
  warning: number | null,
  critical: number | null,
  direction: 'above' | 'below',
): 'ok' | 'warning' | 'critical' | 'no_data' {
  if (value === null || !Number.isFinite(value)) return 'no_data';
  const bad = (threshold: number | null) =>
    threshold !== null && (direction === 'above' ? value >= threshold : value <= threshold);
  if (bad(critical)) return 'critical';
  if (bad(warning)) return 'warning';
  return 'ok';
}
