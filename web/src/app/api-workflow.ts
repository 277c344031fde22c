/**
 * View models of the workflow pages (dashboard, findings, reviews, gate, admin). The adapters in
 * api.ts map the API's contracts onto these, so a contract change touches one place.
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
export interface FindingAcceptance {
  id: string;
  state: string;
  requestedBy: string;
  approvedBy: string | null;
  expiresAt: string;
  rationale: string;
}

/** A finding as the board shows it. */
export interface FindingCard {
  id: string;
  modelKey: string;
  /** The version the finding was raised on (closure evidence attaches there). */
  versionLabel?: string;
  title: string;
  severity: string;
  state: string;
  owner: string | null;
  createdAt: string;
  dueAt: string | null;
  /** The server's verdict: unresolved and past its due date. */
  overdue?: boolean;
  remediationPlan: string | null;
  remediator?: string | null;
  closureEvidenceId?: string | null;
  verifiedBy?: string | null;
  rowVersion?: number;
  /** The pending or active risk acceptance covering it. */
  acceptance?: FindingAcceptance | null;
  acceptanceExpiresAt: string | null;
}

/** A move of a finding along its workflow, with what the move needs. */
export type FindingMove =
  | { event: 'start_remediation'; remediationPlan: string }
  | { event: 'submit_for_verification'; closure: { title: string; url?: string; file?: File } }
  | { event: 'verify'; note?: string }
  | { event: 'reject_verification'; note?: string };

/** A review in the list. */
export interface ReviewRow {
  id: string;
  modelKey: string;
  versionLabel: string | null;
  kind: string;
  state: string;
  openedAt: string;
  dueAt: string | null;
}

/** One reason the gate gives. */
export interface GateReason {
  code: string;
  message: string;
  /** A console path where the reason can be fixed. */
  fixPath: string | null;
}

/** The gate's answer. */
export interface GateResult {
  allowed: boolean;
  reasons: GateReason[];
  checkedAt: string;
  /** Valid lifecycle exceptions letting this version run although the gate denies (the decision is the gate's own). */
  exceptionNotes?: { exceptionId: string; until: string; message: string }[];
}

/** A user row for admin. */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: string;
  disabled: boolean;
  createdAt: string;
}

/** A token row for admin (never the secret). */
export interface TokenRow {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scope: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

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
export interface EvidenceItem {
  id: string;
  title: string;
  kind: string;
  uri: string | null;
  sha256: string | null;
  validUntil: string | null;
  addedBy: string | null;
  addedAt: string;
}

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
export interface SuggestedFinding {
  id: string;
  /** The validation evidence that suggests it (adopting sends both, so adopting twice finds the first). */
  evidenceId?: string;
  title: string;
  severity: string;
  /** The policy taxonomy category of the breached rule. */
  category?: string;
  rationale: string;
}

/** A decision: proposed, then signed by the people the policy asks for. */
export interface DecisionView {
  id: string;
  state: string;
  /** Who still has to sign, e.g. "approver 1 of 2". */
  signOff: string;
  outcome: string;
  signedBy: string;
  signedAt: string;
  rationale: string | null;
  conditions: { text: string; dueAt: string | null }[];
}

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

/** A new finding from the workspace. */
export interface NewFinding {
  title: string;
  severity: string;
  description: string;
  category: string;
  owner: string;
  suggestionId?: string;
  evidenceId?: string;
}

/** A decision to sign. */
export interface NewDecision {
  outcome: 'approve' | 'approve_with_conditions' | 'reject' | 'hold';
  rationale: string;
  conditions: { text: string; owner: string; dueAt: string }[];
}

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
