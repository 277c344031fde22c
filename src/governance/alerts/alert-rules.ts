import { createHash } from 'node:crypto';
import type { CheckSignal } from '../../contracts/monitoring-signals.ts';

/** An alert's severity: the worse of the two thresholds a check crossed. */
export type AlertSeverity = 'warning' | 'critical';

/** What the alerting state machine remembers per fingerprint between windows. */
export interface CheckState {
  /** Consecutive bad windows so far (0 when the last window was ok). */
  streak: number;
  /** Start of the first window of the current bad streak. */
  streakStart: string | null;
  /** Whether an alert with this fingerprint is firing now. */
  firing: boolean;
  /** The firing alert's severity (null when not firing). */
  severity: AlertSeverity | null;
  /** The latest window end seen (older or equal signals are ignored: replays are idempotent). */
  lastWindowEnd: string | null;
}

export const EMPTY_STATE: CheckState = {
  streak: 0,
  streakStart: null,
  firing: false,
  severity: null,
  lastWindowEnd: null,
};

/** What a signal does to an alert. */
export type Transition =
  | { kind: 'none' }
  | { kind: 'ignored_stale' }
  | { kind: 'fire'; severity: AlertSeverity; startsAt: string }
  | { kind: 'update'; severity: AlertSeverity; escalated: boolean; changed: boolean }
  | { kind: 'resolve' };

/**
 * The labels that identify one alert: the same deployment and the same check of its plan. The plan
 * version, window and value are not part of it, so a check that stays bad across windows (and plan
 * revisions) is one alert, never a duplicate.
 */
export function fingerprintOf(s: Pick<CheckSignal, 'deploymentId' | 'check'>): string {
  return createHash('sha256').update(`${s.deploymentId}\u0000${s.check}`).digest('hex').slice(0, 16);
}

const RANK: Record<AlertSeverity, number> = { warning: 1, critical: 2 };

/**
 * The alerting state machine, pure: a bad window (warning or critical) lengthens the streak and
 * fires once the streak reaches `forWindows`; while firing, further bad windows update the alert
 * (severity may go up or down) but never open a second one; an ok window resolves a firing alert
 * and resets a pending streak; a window without data changes nothing. A signal whose window ends no
 * later than the last one seen is ignored, so replaying a window is harmless.
 */
export function step(
  state: CheckState,
  s: Pick<CheckSignal, 'severity' | 'forWindows' | 'windowStart' | 'windowEnd'>,
): { state: CheckState; transition: Transition } {
  if (state.lastWindowEnd !== null && s.windowEnd <= state.lastWindowEnd)
    return { state, transition: { kind: 'ignored_stale' } };
  const seen = { ...state, lastWindowEnd: s.windowEnd };
  if (s.severity === 'no_data') return { state: seen, transition: { kind: 'none' } };
  if (s.severity === 'ok') {
    const next: CheckState = { ...seen, streak: 0, streakStart: null, firing: false, severity: null };
    return { state: next, transition: state.firing ? { kind: 'resolve' } : { kind: 'none' } };
  }
  const severity: AlertSeverity = s.severity;
  const streak = state.streak + 1;
  const streakStart = state.streakStart ?? s.windowStart;
  if (state.firing) {
    const prev = state.severity ?? severity;
    return {
      state: { ...seen, streak, streakStart, firing: true, severity },
      transition: {
        kind: 'update',
        severity,
        escalated: RANK[severity] > RANK[prev],
        changed: severity !== prev,
      },
    };
  }
  if (streak >= s.forWindows)
    return {
      state: { ...seen, streak, streakStart, firing: true, severity },
      transition: { kind: 'fire', severity, startsAt: streakStart },
    };
  return { state: { ...seen, streak, streakStart }, transition: { kind: 'none' } };
}

/** Whether a firing alert's last notification is old enough to repeat it. */
export function repeatDue(lastNotifiedAt: string | null, repeatIntervalSeconds: number, now: Date): boolean {
  if (lastNotifiedAt === null) return true;
  return now.getTime() - Date.parse(lastNotifiedAt) >= repeatIntervalSeconds * 1000;
}

/** A silence's matchers: every one set must equal the alert's label (unset matches anything). */
export interface SilenceMatchers {
  deploymentId?: string | undefined;
  modelKey?: string | undefined;
  check?: string | undefined;
  kind?: string | undefined;
  severity?: AlertSeverity | undefined;
}

export interface SilenceWindow {
  matchers: SilenceMatchers;
  startsAt: string;
  endsAt: string;
  /** When it was lifted early (null while it runs its course). */
  endedAt: string | null;
}

/** Whether a silence is in force at `now`: started, not expired, not lifted. */
export function silenceActive(s: SilenceWindow, now: Date): boolean {
  const t = now.toISOString();
  return s.startsAt <= t && t < s.endsAt && (s.endedAt === null || t < s.endedAt);
}

/** Whether a silence's matchers select an alert with these labels. */
export function silenceMatches(m: SilenceMatchers, labels: Required<SilenceMatchers>): boolean {
  return (Object.keys(m) as (keyof SilenceMatchers)[]).every((k) => m[k] === undefined || m[k] === labels[k]);
}

/** The finding category a check kind triages into, given the policy's taxonomy. */
export function findingCategoryFor(kind: CheckSignal['kind'], taxonomy: readonly string[]): string {
  const wanted: Record<CheckSignal['kind'], string[]> = {
    drift: ['drift', 'data_quality', 'monitoring'],
    data_quality: ['data_quality', 'monitoring'],
    volume: ['data_quality', 'operational', 'monitoring'],
    performance: ['performance', 'monitoring'],
    estimated_performance: ['performance', 'monitoring'],
  };
  const found = wanted[kind].find((c) => taxonomy.includes(c));
  if (found === undefined)
    throw new Error(`the policy's findings taxonomy has none of ${wanted[kind].join(', ')}`);
  return found;
}
