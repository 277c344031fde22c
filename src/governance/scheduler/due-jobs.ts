/** The kinds of scheduled work. Each fires once per key. */
export type JobKind =
  | 'review.periodic'
  | 'finding.overdue'
  | 'evidence.expired'
  | 'acceptance.expiring'
  | 'acceptance.expired'
  | 'condition.overdue';

/** One job that is due: `key` is unique per thing and deadline, so it fires exactly once. */
export interface DueJob {
  key: string;
  kind: JobKind;
  entityId: string;
}

/** What the scheduler looks at. */
export interface ScheduleSnapshot {
  /** Approved versions with their current review cycle (the pure rule `nextPeriodicReview`). */
  periodicReviews: readonly { versionId: string; cycleStart: string; dueAt: string }[];
  findings: readonly { id: string; state: string; dueAt: string }[];
  evidence: readonly { id: string; validUntil: string }[];
  acceptances: readonly { id: string; state: string; expiresAt: string }[];
  conditions: readonly { id: string; dueAt: string; met: boolean }[];
}

/** Scheduler settings. */
export interface ScheduleConfig {
  /** Open the periodic review this many days before it is due (the policy's reviewFrequencyMonths). */
  periodicReviewLeadDays: number;
  /** Warn this many days before a risk acceptance expires. */
  acceptanceWarningDays: number;
}

export const DEFAULT_SCHEDULE: ScheduleConfig = { periodicReviewLeadDays: 60, acceptanceWarningDays: 14 };

const DAY = 86_400_000;
const UNRESOLVED = new Set(['open', 'in_remediation', 'ready_for_verification']);

/**
 * Every job due at `now`, whether or not it already fired (the runner skips fired keys). Keys
 * include the deadline, so a moved deadline (a new due date) is a new job. A periodic review's key
 * is its version and cycle start, so it opens once per review cycle however the due date moves
 * (a policy or tier change), and again only when a new cycle starts (a new approval, a completed
 * periodic review). Pure.
 */
export function dueJobs(s: ScheduleSnapshot, now: Date, config: ScheduleConfig = DEFAULT_SCHEDULE): DueJob[] {
  const t = now.getTime();
  const jobs: DueJob[] = [];
  for (const r of s.periodicReviews)
    if (Date.parse(r.dueAt) - config.periodicReviewLeadDays * DAY <= t)
      jobs.push({
        key: `review.periodic:${r.versionId}:${r.cycleStart}`,
        kind: 'review.periodic',
        entityId: r.versionId,
      });
  for (const f of s.findings)
    if (UNRESOLVED.has(f.state) && Date.parse(f.dueAt) < t)
      jobs.push({ key: `finding.overdue:${f.id}:${f.dueAt}`, kind: 'finding.overdue', entityId: f.id });
  for (const e of s.evidence)
    if (Date.parse(e.validUntil) <= t)
      jobs.push({
        key: `evidence.expired:${e.id}:${e.validUntil}`,
        kind: 'evidence.expired',
        entityId: e.id,
      });
  for (const a of s.acceptances) {
    if (a.state !== 'active') continue;
    const exp = Date.parse(a.expiresAt);
    if (exp <= t)
      jobs.push({ key: `acceptance.expired:${a.id}`, kind: 'acceptance.expired', entityId: a.id });
    else if (exp - config.acceptanceWarningDays * DAY <= t)
      jobs.push({ key: `acceptance.expiring:${a.id}`, kind: 'acceptance.expiring', entityId: a.id });
  }
  for (const c of s.conditions)
    if (!c.met && Date.parse(c.dueAt) < t)
      jobs.push({ key: `condition.overdue:${c.id}:${c.dueAt}`, kind: 'condition.overdue', entityId: c.id });
  return jobs;
}
