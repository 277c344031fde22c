import type { Evidence } from '../../../src/contracts/evidence.ts';
import {
  type ActivePolicy,
  type PolicyVersion,
  policyDocumentSchema,
} from '../../../src/contracts/policy.ts';
import type { ReviewDetail as ContractReviewDetail, Review } from '../../../src/contracts/reviews.ts';
import type { EvidenceItem, PolicyView, ReviewDetail, ReviewRow } from './api-workflow.ts';

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
export function toReviewDetail(r: ContractReviewDetail, evidence: readonly Evidence[]): ReviewDetail {
  const byId = new Map(evidence.map((e) => [e.id, e]));
  return {
    ...toReviewRow(r),
    openedBy: r.openedBy,
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
    })),
    findings: [],
    suggestedFindings: [],
    decisions: [],
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
