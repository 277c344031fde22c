import type { Decision } from '../../../src/contracts/decisions.ts';
import type { Evidence } from '../../../src/contracts/evidence.ts';
import type { Acceptance, Finding } from '../../../src/contracts/findings.ts';
import type { GateResult as ContractGateResult } from '../../../src/contracts/gate.ts';
import type { Metrics } from '../../../src/contracts/metrics.ts';
import {
  type ActivePolicy,
  type PolicyVersion,
  policyDocumentSchema,
} from '../../../src/contracts/policy.ts';
import type { ReviewDetail as ContractReviewDetail, Review } from '../../../src/contracts/reviews.ts';
import type {
  DashboardMetrics,
  DecisionView,
  EvidenceItem,
  FindingCard,
  GateResult,
  PolicyView,
  ReviewDetail,
  ReviewRow,
  SuggestedFinding,
} from './api-workflow.ts';

/**
 * A finding of the API as a card of the findings board, with the newest pending or active risk
 * acceptance that covers it (acceptances come newest first from the API).
 */
export function toFindingCard(f: Finding, acceptances: readonly Acceptance[] = []): FindingCard {
  const a = acceptances.find(
    (x) => x.findingIds.includes(f.id) && (x.state === 'pending' || x.state === 'active'),
  );
  return {
    id: f.id,
    modelKey: f.modelKey,
    versionLabel: f.versionLabel,
    title: f.title,
    severity: f.severity,
    state: f.state,
    owner: f.owner,
    createdAt: f.createdAt,
    dueAt: f.dueAt,
    overdue: f.overdue,
    remediationPlan: f.remediationPlan,
    remediator: f.remediator,
    closureEvidenceId: f.closureEvidenceId,
    verifiedBy: f.verifiedBy,
    rowVersion: f.rowVersion,
    acceptance: a
      ? {
          id: a.id,
          state: a.state,
          requestedBy: a.requestedBy,
          approvedBy: a.approvedBy,
          expiresAt: a.expiresAt,
          rationale: a.rationale,
        }
      : null,
    acceptanceExpiresAt: a?.state === 'active' ? a.expiresAt : null,
  };
}

/** A review of the API as a row of the reviews list. */
export function toReviewRow(r: Review): ReviewRow {
  return {
    id: r.id,
    modelKey: r.modelKey,
    versionLabel: r.versionLabel,
    kind: `${r.type} (${r.gate} gate)`,
    state: r.state,
    openedAt: r.createdAt,
    dueAt: null,
  };
}

function evidenceItem(e: Evidence): EvidenceItem {
  return {
    id: e.id,
    title: e.title,
    kind: e.file ? `file${e.file.filename ? ` ${e.file.filename}` : ''}` : 'link',
    uri: e.externalUrl ?? `/api/v1/evidence/${encodeURIComponent(e.id)}/content`,
    sha256: e.file?.sha256 ?? null,
    validUntil: e.validUntil,
    addedBy: e.uploadedBy,
    addedAt: e.createdAt,
  };
}

/** Review events the workspace offers as buttons; `close` happens by signing a decision. */
const EVENT_LABELS: Record<string, string> = {
  submit: 'Submit for validation',
  start_validation: 'Start validation',
  request_decision: 'Request a decision',
  return_to_validation: 'Return to validation',
  withdraw: 'Withdraw',
};

/** The label of a review event's button. */
export function reviewEventLabel(event: string): string {
  return EVENT_LABELS[event] ?? event.replaceAll('_', ' ');
}

/** A review with its checklist, joined with the version's evidence, as the workspace's view. */
export function toReviewDetail(
  r: ContractReviewDetail,
  evidence: readonly Evidence[],
  findings: readonly Finding[] = [],
  decisions: readonly Decision[] = [],
  suggestedFindings: readonly SuggestedFinding[] = [],
): ReviewDetail {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  return {
    ...toReviewRow(r),
    openedBy: r.openedBy,
    submittedBy: r.submittedBy,
    validator: r.validator,
    tier: r.tier === null ? null : `Tier ${r.tier}`,
    checklist: r.checklist.items.map((item) => ({
      id: item.evidenceType,
      title: item.evidenceType.replaceAll('_', ' '),
      required: true,
      status: item.status,
      evidence: [...item.satisfiedBy, ...item.expiredEvidence]
        .map((id) => byId.get(id))
        .filter((e): e is Evidence => e !== undefined)
        .map(evidenceItem),
      carriedForward: (item.carriedForward ?? []).map((c) => ({
        evidenceId: c.evidenceId,
        by: c.carriedBy,
        at: c.createdAt,
        reason: c.reason,
      })),
      earlierCycle: (item.earlierCycleEvidence ?? [])
        .map((id) => byId.get(id))
        .filter((e): e is Evidence => e !== undefined)
        .map(evidenceItem),
    })),
    cycleStartsAt: r.checklist.cycleStartsAt,
    findings: findings.filter((f) => f.reviewId === r.id).map((f) => toFindingCard(f)),
    suggestedFindings: [...suggestedFindings],
    decisions: decisions.filter((d) => d.reviewId === r.id).map(toDecisionView),
    nextStates: r.allowedEvents.filter((e) => e !== 'close'),
    rowVersion: r.rowVersion,
  };
}

/** The active policy and its stored versions as the admin page's policy view. */
export function toPolicyView(active: ActivePolicy, versions: readonly PolicyVersion[]): PolicyView {
  const parsed = policyDocumentSchema.safeParse(active.document);
  const doc = parsed.success ? parsed.data : null;
  const minScore = new Map(doc?.tiering.thresholds.map((t) => [t.tier, t.minScore]) ?? []);
  return {
    name: doc?.name ?? 'model risk policy',
    tiers:
      doc?.tiers.map((t) => ({
        tier: t.tier,
        name: t.name,
        minScore: minScore.get(t.tier) ?? null,
        validationDepth: t.validationDepth,
        reviewFrequencyMonths: t.reviewFrequencyMonths,
        signOff: t.signOff.map((s) => `${s.count} × ${s.role}`).join(', '),
        productionEvidence: t.requiredEvidence.production.map((e) => e.replaceAll('_', ' ')).join(', '),
      })) ?? [],
    severities: doc
      ? Object.entries(doc.findings.severities).map(([severity, rule]) => ({
          severity,
          remediationDays: rule.remediationDays,
        }))
      : [],
    version: active.version,
    activatedAt: active.createdAt,
    activatedBy: active.createdBy,
    document: active.yaml,
    history: versions.map((v) => ({
      version: `${v.version}${v.active ? ' (active)' : ''} · sha256 ${v.sha256.slice(0, 12)}…`,
      activatedAt: v.createdAt,
      activatedBy: v.createdBy,
    })),
  };
}

const ratioOf = (numerator: number, denominator: number) => ({ numerator, denominator });

/** The metrics API's KPIs as the dashboard's view. */
export function toDashboardMetrics(m: Metrics): DashboardMetrics {
  return {
    asOf: m.asOf,
    modelCount: m.inventory.models,
    inventoryCompleteness: ratioOf(m.inventory.complete, m.inventory.models),
    tieringCompleteness: ratioOf(m.tiering.tiered, m.tiering.models),
    byTier: Object.fromEntries(
      Object.entries(m.inventory.byTier)
        .sort(([a], [b]) => (a === 'untiered' ? 1 : b === 'untiered' ? -1 : Number(a) - Number(b)))
        .map(([tier, n]) => [tier === 'untiered' ? 'untiered' : `Tier ${tier}`, n]),
    ),
    byStatus: { ...m.inventory.byStatus },
    timeToDecisionDays: {
      median: m.submissionToDecision.medianDays,
      p90: null,
      count: m.submissionToDecision.decisions,
    },
    openFindingsBySeverity: m.findings.bySeverity,
    openFindingsByAge: [
      { bucket: '0–30 days', count: m.findings.byAge.d0_30 },
      { bucket: '31–90 days', count: m.findings.byAge.d31_90 },
      { bucket: '91–180 days', count: m.findings.byAge.d91_180 },
      { bucket: 'over 180 days', count: m.findings.byAge.d181plus },
    ],
    remediationSla: ratioOf(m.remediationSla.closedOnTime, m.remediationSla.closed),
    overdue: {
      findings: m.overdue.findings,
      reviews: m.overdue.reviews,
      riskAcceptances: m.overdue.conditions,
    },
    reviewsDue: { within30: m.reviewsDue.d30, within60: m.reviewsDue.d60, within90: m.reviewsDue.d90 },
    periodicReviewCompliance: ratioOf(m.periodicReview.current, m.periodicReview.approvedVersions),
    firstPassEvidence: ratioOf(m.firstPassEvidence.completeAtSubmission, m.firstPassEvidence.reviews),
    exceptions: { ...m.exceptions },
  };
}

/** Where in the console each gate reason can be fixed. */
function fixPathOf(code: string, modelKey: string, version: string): string {
  const m = `/models/${encodeURIComponent(modelKey)}`;
  switch (code) {
    case 'version_not_found':
      return `${m}?tab=versions`;
    case 'finding_open':
    case 'condition_overdue':
      return `/findings?model=${encodeURIComponent(modelKey)}`;
    case 'evidence_missing':
    case 'evidence_expired':
    case 'not_approved':
    case 'approval_expired':
      return `/reviews?model=${encodeURIComponent(modelKey)}&version=${encodeURIComponent(version)}`;
    default:
      return m;
  }
}

/** The gate's answer with a link to fix each reason, stamped with the time it was asked. */
export function toGateResult(
  r: ContractGateResult,
  modelKey: string,
  version: string,
  now: Date,
): GateResult {
  return {
    allowed: r.allowed,
    checkedAt: now.toISOString(),
    reasons: r.reasons.map((x) => ({
      code: x.code,
      message: x.message,
      fixPath: fixPathOf(x.code, modelKey, version),
    })),
    exceptionNotes: (r.notes ?? []).map((n) => ({ exceptionId: n.ref, until: n.until, message: n.message })),
  };
}

/** A decision of the API as the workspace shows it. */
export function toDecisionView(d: Decision): DecisionView {
  const last = d.signatures[d.signatures.length - 1];
  return {
    id: d.id,
    state: d.state,
    signOff: d.signOff.map((n) => `${n.role} ${n.signed} of ${n.count}`).join(', '),
    outcome: d.outcome,
    signedBy: d.signatures.map((s) => s.signer).join(', ') || `proposed by ${d.proposedBy}`,
    signedAt: last?.signedAt ?? d.createdAt,
    rationale: d.rationale,
    conditions: d.conditions.map((c) => ({ text: c.text, dueAt: c.dueAt })),
  };
}
