import type { GateReason, GateResult } from '../../contracts/gate.ts';
import type { EuAiActClass, EvidenceType } from '../../contracts/policy.ts';
import { type BoundState, bindingChanges } from '../decisions/binding-rules.ts';
import { type ChecklistDocuments, checklistStatus } from '../reviews/review-rules.ts';

/** Everything the gate looks at for one version, read at one moment. */
export interface GateState {
  modelKey: string;
  versionLabel: string;
  /** The version's latest final decision, or null when none. */
  decision: { id: string; outcome: string; expiresAt: string | null } | null;
  /** Evidence types the tier and the EU AI Act class require at this gate. */
  requiredEvidence: readonly EvidenceType[];
  /** The EU AI Act class in force (null: never tiered). */
  euAiActClass?: EuAiActClass | null;
  /** What the latest final decision bound, and the same fields read now (null: no binding to compare). */
  binding?: { bound: BoundState; now: BoundState } | null;
  /** The EU AI Act obligations behind required evidence types, for the messages (e.g. `Art. 9 risk management`). */
  obligations?: Partial<Record<EvidenceType, readonly string[]>>;
  /** The version's current (not superseded) evidence. */
  evidence: readonly { id: string; type: string; validUntil: string | null }[];
  findings: readonly {
    id: string;
    severity: string;
    state: string;
    /** Expiry of the active acceptance covering it, if any. */
    acceptedUntil: string | null;
  }[];
  conditions: readonly { id: string; dueAt: string; met: boolean }[];
  /**
   * How the version's structured documents stand (model card, datasheets), as the review checklist
   * sees them: a passing published document satisfies its type, and a tier may refuse uploads.
   */
  documents?: ChecklistDocuments;
}

const BLOCKING = new Set(['critical', 'high']);
const UNRESOLVED = new Set(['open', 'in_remediation', 'ready_for_verification']);

/**
 * The deployment gate. Allowed only when the system is not prohibited under the EU AI Act, the
 * version has an approval that has not expired and whose binding still holds (content, tier,
 * tiering, override, class, policy version, evidence), every evidence type the tier and the class
 * require is present and unexpired (or, for model cards and datasheets, a published document
 * passes the tier's documentation rules), no critical or high finding is open without a valid
 * acceptance, and no condition is overdue. Reasons list every failure. Pure.
 */
export function decideGate(state: GateState, now: Date): GateResult {
  const t = now.getTime();
  const reasons: GateReason[] = [];
  if (state.euAiActClass === 'prohibited')
    reasons.push({
      code: 'eu_prohibited',
      message: `${state.modelKey} is classified prohibited under the EU AI Act (Art. 5): it may not be deployed anywhere`,
      ref: 'prohibited',
    });
  const d = state.decision;
  const approved = d !== null && (d.outcome === 'approve' || d.outcome === 'approve_with_conditions');
  if (!approved) {
    reasons.push({
      code: 'not_approved',
      message: d
        ? `the latest decision on ${state.modelKey}@${state.versionLabel} is '${d.outcome}'`
        : `${state.modelKey}@${state.versionLabel} has no final approval`,
      ref: d?.id ?? null,
    });
  } else if (d.expiresAt === null || Date.parse(d.expiresAt) <= t) {
    reasons.push({ code: 'approval_expired', message: `the approval expired at ${d.expiresAt}`, ref: d.id });
  }
  if (approved && state.binding) {
    for (const c of bindingChanges(state.binding.bound, state.binding.now))
      reasons.push({
        code: 'binding_changed',
        message: `${c.message}; the approval ${d.id} no longer covers it: a new decision is needed`,
        ref: c.kind,
      });
  }
  // The same rule as the review checklist, so a checklist item satisfied by a passing model card
  // satisfies the gate too, and an upload a tier does not count does not open it.
  const items = checklistStatus(
    [...new Set(state.requiredEvidence)],
    state.evidence.map((e) => ({ ...e, type: e.type as EvidenceType, superseded: false })),
    now,
    state.documents ?? {},
  );
  for (const item of items) {
    if (item.status === 'satisfied') continue;
    const type = item.evidenceType;
    const why = state.obligations?.[type]?.length
      ? `, for EU AI Act ${state.obligations[type].join('; ')}`
      : '';
    const gaps = (item.documentGaps?.length ? ` (${item.documentGaps.join('; ')})` : '') + why;
    reasons.push(
      item.status === 'expired'
        ? { code: 'evidence_expired', message: `the ${type} evidence has expired${gaps}`, ref: type }
        : { code: 'evidence_missing', message: `no ${type} evidence is attached${gaps}`, ref: type },
    );
  }
  for (const f of state.findings) {
    if (!BLOCKING.has(f.severity)) continue;
    const unresolved = UNRESOLVED.has(f.state);
    const acceptanceLapsed =
      f.state === 'risk_accepted' && (f.acceptedUntil === null || Date.parse(f.acceptedUntil) <= t);
    if (unresolved || acceptanceLapsed)
      reasons.push({
        code: 'finding_open',
        message: acceptanceLapsed
          ? `the acceptance of ${f.severity} finding ${f.id} is no longer valid`
          : `${f.severity} finding ${f.id} is ${f.state.replace(/_/g, ' ')} without a valid risk acceptance`,
        ref: f.id,
      });
  }
  for (const c of state.conditions) {
    if (!c.met && Date.parse(c.dueAt) < t)
      reasons.push({ code: 'condition_overdue', message: `condition ${c.id} was due ${c.dueAt}`, ref: c.id });
  }
  return { allowed: reasons.length === 0, reasons };
}
