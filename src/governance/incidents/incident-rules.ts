import type { SeriousCategory } from '../../contracts/incidents.ts';

/**
 * EU AI Act Art. 73 reporting deadlines, as data: the clock starts when the provider (or deployer)
 * becomes aware of the serious incident, which Assay records as the incident's detection time.
 * Every report is also due "immediately" once a causal link is established; these are the outer bounds.
 */
export const ART73_DEADLINES: Readonly<
  Record<SeriousCategory, { days: number; rule: string; text: string }>
> = {
  general: {
    days: 15,
    rule: 'EU AI Act Art. 73(2)',
    text: 'Any serious incident: immediately after establishing a causal link, and not later than 15 days after awareness',
  },
  widespread_infringement: {
    days: 2,
    rule: 'EU AI Act Art. 73(3)',
    text: 'Widespread infringement: immediately, and not later than 2 days after awareness',
  },
  critical_infrastructure: {
    days: 2,
    rule: 'EU AI Act Art. 73(3) with Art. 3(49)(b)',
    text: 'Serious and irreversible disruption of critical infrastructure: immediately, and not later than 2 days after awareness',
  },
  death: {
    days: 10,
    rule: 'EU AI Act Art. 73(4)',
    text: 'Death of a person: immediately once a causal relationship is established or suspected, and not later than 10 days after awareness',
  },
};

const DAY = 86_400_000;

/** The Art. 73 reporting due date for a serious incident of `category`, counted from `awareAt`. */
export function reportingDueAt(category: SeriousCategory, awareAt: string): string {
  return new Date(Date.parse(awareAt) + ART73_DEADLINES[category].days * DAY).toISOString();
}

export type IncidentState = 'open' | 'acknowledged' | 'mitigated' | 'resolved';
const ORDER: Record<IncidentState, number> = { open: 0, acknowledged: 1, mitigated: 2, resolved: 3 };

/**
 * Whether an incident may move from `from` to `to`: forwards only (a step may be skipped, e.g.
 * resolved without a separate mitigation), never backwards or to the same state.
 */
export function canMove(from: IncidentState, to: IncidentState): boolean {
  return ORDER[to] > ORDER[from];
}

/**
 * The times a move stamps: the new state's time, and any skipped earlier step at the same moment
 * (an incident resolved straight away was also acknowledged and mitigated then).
 */
export function stampsFor(
  current: { acknowledgedAt: string | null; mitigatedAt: string | null; resolvedAt: string | null },
  to: Exclude<IncidentState, 'open'>,
  at: string,
): { acknowledgedAt: string | null; mitigatedAt: string | null; resolvedAt: string | null } {
  const next = { ...current };
  if (ORDER[to] >= 1) next.acknowledgedAt ??= at;
  if (ORDER[to] >= 2) next.mitigatedAt ??= at;
  if (ORDER[to] >= 3) next.resolvedAt ??= at;
  return next;
}

/** Minutes between two ISO times (null if either is missing). */
export function minutesBetween(from: string | null, to: string | null): number | null {
  if (from === null || to === null) return null;
  return Math.round(((Date.parse(to) - Date.parse(from)) / 60_000) * 100) / 100;
}

/** Mean of the defined values (null when there are none). */
export function mean(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return null;
  return Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
}
