import type { FindingEvent, FindingState } from '../../contracts/findings.ts';
import type { PolicyDocument, Severity } from '../../contracts/policy.ts';
import { ConflictError, ValidationError } from '../../platform/errors.ts';

const TRANSITIONS: Record<FindingState, Partial<Record<FindingEvent, FindingState>>> = {
  open: { start_remediation: 'in_remediation', accept_risk: 'risk_accepted' },
  in_remediation: { submit_for_verification: 'ready_for_verification', accept_risk: 'risk_accepted' },
  ready_for_verification: {
    verify: 'closed',
    reject_verification: 'in_remediation',
    accept_risk: 'risk_accepted',
  },
  closed: {},
  risk_accepted: { reopen: 'open' },
};

/** States in which a finding still needs work (it can be overdue and it blocks a gate when severe). */
export const UNRESOLVED_FINDING_STATES: ReadonlySet<FindingState> = new Set([
  'open',
  'in_remediation',
  'ready_for_verification',
]);

/** The state after `event`, or a ConflictError naming what the state allows. Pure. */
export function nextFindingState(state: FindingState, event: FindingEvent): FindingState {
  const next = TRANSITIONS[state][event];
  if (!next) {
    const allowed = Object.keys(TRANSITIONS[state]);
    throw new ConflictError(
      `a finding in state '${state}' cannot ${event.replace(/_/g, ' ')} (allowed: ${allowed.join(', ') || 'nothing'})`,
      { state, event, allowed },
    );
  }
  return next;
}

/** The due date of a finding opened at `openedAt`: the policy's remediation SLA for its severity. */
export function findingDueAt(policy: PolicyDocument, severity: Severity, openedAt: Date): string {
  const days = policy.findings.severities[severity].remediationDays;
  return new Date(openedAt.getTime() + days * 86_400_000).toISOString();
}

/** Overdue is derived, never stored: unresolved and past its due date at `now`. */
export function isFindingOverdue(f: { state: string; dueAt: string }, now: Date): boolean {
  return UNRESOLVED_FINDING_STATES.has(f.state as FindingState) && Date.parse(f.dueAt) < now.getTime();
}

/** Checks the category is in the policy's taxonomy. */
export function checkCategory(policy: PolicyDocument, category: string): void {
  if (!policy.findings.taxonomy.includes(category))
    throw new ValidationError(
      `category '${category}' is not in the policy's taxonomy (${policy.findings.taxonomy.join(', ')})`,
      'category',
    );
}

/**
 * Closure needs closure evidence on record. Who may verify (never the remediator nor the model's
 * makers) is `access/separation-of-duties.ts`. Pure.
 */
export function checkVerification(f: { closureEvidenceId: string | null }): void {
  if (!f.closureEvidenceId)
    throw new ConflictError('closing a finding needs closure evidence; submit it for verification first', {
      rule: 'closure_evidence',
    });
}

/**
 * Closure evidence must postdate the finding: evidence added before the finding was raised cannot
 * show that the finding was remedied. Pure.
 */
export function checkClosureEvidenceDate(f: { findingCreatedAt: string; evidenceCreatedAt: string }): void {
  if (Date.parse(f.evidenceCreatedAt) <= Date.parse(f.findingCreatedAt))
    throw new ValidationError(
      `closure evidence must be added after the finding was raised (${f.findingCreatedAt}); this evidence was added ${f.evidenceCreatedAt}`,
      'closureEvidenceId',
      { rule: 'closure_evidence_date' },
    );
}

function words(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 2),
  );
}

/** Jaccard similarity of the words (3+ letters) of two titles, 0..1. Pure. */
export function titleSimilarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return a.trim().toLowerCase() === b.trim().toLowerCase() ? 1 : 0;
  let both = 0;
  for (const w of x) if (y.has(w)) both++;
  return both / (x.size + y.size - both);
}

/** Titles at least this similar (same model and category) make a finding a repeat. */
export const REPEAT_SIMILARITY = 0.6;

/** The earlier finding this one repeats: same category, similar title; the most recent match wins. Pure. */
export function findRepeat(
  candidate: { category: string; title: string },
  earlier: readonly { id: string; category: string; title: string; createdAt: string }[],
): string | null {
  const matches = earlier
    .filter(
      (e) =>
        e.category === candidate.category && titleSimilarity(e.title, candidate.title) >= REPEAT_SIMILARITY,
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return matches[0]?.id ?? null;
}
