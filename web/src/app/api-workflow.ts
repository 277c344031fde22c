import type { Condition, Decision, DecisionCreate } from '../../../src/contracts/decisions.ts';
import type { Evidence } from '../../../src/contracts/evidence.ts';
import type { Acceptance, Finding, FindingCreate } from '../../../src/contracts/findings.ts';
import type { GateReason as ContractGateReason } from '../../../src/contracts/gate.ts';
import type { Token, User } from '../../../src/contracts/identity.ts';
import type { Review } from '../../../src/contracts/reviews.ts';
import type { SuggestedFinding as ContractSuggestedFinding } from '../../../src/contracts/validation-evidence.ts';

/**
 * View models of the workflow pages (dashboard, findings, reviews, gate, admin), built from the
 * contracts' types: fields the API gives are picked from its contract; fields the console computes
 * or joins are declared here with what they mean. The adapters (workflow-adapters.ts) fill them.
 */

/** A share: part of a whole. */
export interface Ratio {
  numerator: number;
  denominator: number;
}

/** The portfolio KPIs the dashboard draws. */
export interface DashboardMetrics {
  asOf: string;
  modelCount: number;
  inventoryCompleteness: Ratio;
  tieringCompleteness: Ratio;
  byTier: Record<string, number>;
  byStatus: Record<string, number>;
  timeToDecisionDays: { median: number | null; p90: number | null; count: number };
  openFindingsBySeverity: Record<string, number>;
  openFindingsByAge: { bucket: string; count: number }[];
  remediationSla: Ratio;
  /** Overdue findings, reviews, and decision conditions past due (shown as risk acceptances before). */
  overdue: { findings: number; reviews: number; riskAcceptances: number };
  reviewsDue: { within30: number; within60: number; within90: number };
  periodicReviewCompliance: Ratio;
  /** Reviews whose evidence was complete when submitted. */
  firstPassEvidence?: Ratio;
  /** The exception report's counts. */
  exceptions?: Record<string, number>;
}

/** The risk acceptance covering a finding (pending or active). */
export type FindingAcceptance = Pick<
  Acceptance,
  'id' | 'state' | 'requestedBy' | 'approvedBy' | 'expiresAt' | 'rationale'
>;

/** A finding as the board shows it, with the risk acceptance that covers it. */
export type FindingCard = Pick<
  Finding,
  'id' | 'modelKey' | 'title' | 'severity' | 'state' | 'owner' | 'createdAt' | 'dueAt' | 'remediationPlan'
> &
  Partial<
    Pick<
      Finding,
      'versionLabel' | 'overdue' | 'remediator' | 'closureEvidenceId' | 'verifiedBy' | 'rowVersion'
    >
  > & {
    /** The pending or active risk acceptance covering it. */
    acceptance?: FindingAcceptance | null;
    /** When the active acceptance runs out. */
    acceptanceExpiresAt: string | null;
  };

/** A move of a finding along its workflow, with what the move needs. */
export type FindingMove =
  | { event: 'start_remediation'; remediationPlan: string }
  | { event: 'submit_for_verification'; closure: { title: string; url?: string; file?: File } }
  | { event: 'verify'; note?: string }
  | { event: 'reject_verification'; note?: string };

/** A review in the list. */
export type ReviewRow = Pick<Review, 'id' | 'modelKey' | 'versionLabel' | 'state'> & {
  /** `type (gate gate)`. */
  kind: string;
  /** The review's `createdAt`. */
  openedAt: string;
  dueAt: string | null;
};

/** One reason the gate gives, with where the console can fix it. */
export type GateReason = Pick<ContractGateReason, 'code' | 'message'> & {
  /** A console path where the reason can be fixed. */
  fixPath: string | null;
};

/** The gate's answer. */
export interface GateResult {
  allowed: boolean;
  reasons: GateReason[];
  checkedAt: string;
  /** Valid lifecycle exceptions letting this version run although the gate denies (the decision is the gate's own). */
  exceptionNotes?: { exceptionId: string; until: string; message: string }[];
}

/** A user row for admin (the contract's user). */
export type UserRow = User;

/** A token row for admin (the contract's token: never the secret). */
export type TokenRow = Token;

/** The active policy with its version history. */
export interface PolicyView {
  name: string;
  version: number | string;
  activatedAt: string | null;
  activatedBy: string | null;
  /** The policy document as text (YAML or JSON). */
  document: string;
  tiers: {
    tier: number;
    name: string;
    minScore: number | null;
    validationDepth: string;
    reviewFrequencyMonths: number;
    signOff: string;
    productionEvidence: string;
  }[];
  severities: { severity: string; remediationDays: number }[];
  history: { version: number | string; activatedAt: string | null; activatedBy: string | null }[];
}

/** A piece of evidence attached to a checklist item. */
export type EvidenceItem = Pick<Evidence, 'id' | 'title' | 'validUntil'> & {
  /** `link`, or `file <name>`. */
  kind: string;
  /** The external URL, or the stored file's content path. */
  uri: string | null;
  sha256: string | null;
  addedBy: string | null;
  addedAt: string;
};

/** One item of a review's checklist. */
export interface ChecklistItem {
  id: string;
  title: string;
  required: boolean;
  status: string;
  evidence: EvidenceItem[];
  /** Earlier evidence a validator carried into this review: who, when, why. */
  carriedForward: { evidenceId: string; by: string; at: string; reason: string }[];
  /** Current evidence of this type from an earlier review cycle, which does not count unless carried forward. */
  earlierCycle: EvidenceItem[];
}

/** A finding the engine suggests from its evidence; a validator may adopt it. */
export type SuggestedFinding = Pick<ContractSuggestedFinding, 'id' | 'title' | 'severity'> &
  Partial<Pick<ContractSuggestedFinding, 'category'>> & {
    /** The validation evidence that suggests it (adopting sends both, so adopting twice finds the first). */
    evidenceId?: string;
    /** The suggestion's description and the evidence it comes from. */
    rationale: string;
  };

/** A decision: proposed, then signed by the people the policy asks for. */
export type DecisionView = Pick<Decision, 'id' | 'state' | 'outcome' | 'rationale'> & {
  /** Who still has to sign, e.g. "approver 1 of 2". */
  signOff: string;
  signedBy: string;
  signedAt: string;
  conditions: Pick<Condition, 'text' | 'dueAt'>[];
};

/** A review as its workspace shows it. */
export interface ReviewDetail extends ReviewRow {
  openedBy: string | null;
  submittedBy?: string | null;
  /** The assigned validator (independent of the model and the submitter). */
  validator?: string | null;
  tier: string | null;
  checklist: ChecklistItem[];
  /** Evidence attached from this time on counts for the review (null: all the version's evidence). */
  cycleStartsAt: string | null;
  findings: FindingCard[];
  suggestedFindings: SuggestedFinding[];
  decisions: DecisionView[];
  /** States the review may move to next, as the server says. */
  nextStates: string[];
  rowVersion: number;
}

/** A new finding from the workspace (the raise contract's fields; the severity as the form holds it). */
export type NewFinding = Pick<FindingCreate, 'title' | 'description' | 'category' | 'owner'> & {
  severity: string;
  suggestionId?: string;
  evidenceId?: string;
};

/** A decision to sign (the propose contract's outcome, rationale and conditions). */
export type NewDecision = Pick<DecisionCreate, 'outcome' | 'rationale'> & {
  conditions: NonNullable<DecisionCreate['conditions']>;
};

/** A histogram: bin edges (n+1) and counts (n). */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/** The validation evidence of one version, as the report viewer draws it. */
export interface ValidationReport {
  modelKey: string;
  versionLabel: string;
  generatedAt: string;
  sha256: string | null;
  datasetRows: number | null;
  metrics: { name: string; value: number }[];
  roc: [number, number][];
  pr: [number, number][];
  calibration: { predicted: number; observed: number; count: number }[];
  groups: {
    attribute: string;
    metric: string;
    /** The disparity the policy judges (ratio or difference), and its threshold when known. */
    disparity: number | null;
    threshold: number | null;
    rows: { group: string; count: number; value: number }[];
  }[];
  drift: {
    feature: string;
    statistic: string;
    value: number;
    drifted: boolean;
    reference: Histogram | null;
    current: Histogram | null;
  }[];
}
