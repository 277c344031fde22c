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
  overdue: { findings: number; reviews: number; riskAcceptances: number };
  reviewsDue: { within30: number; within60: number; within90: number };
  periodicReviewCompliance: Ratio;
}

/** A finding as the board shows it. */
export interface FindingCard {
  id: string;
  modelKey: string;
  title: string;
  severity: string;
  state: string;
  owner: string | null;
  createdAt: string;
  dueAt: string | null;
  remediationPlan: string | null;
  acceptanceExpiresAt: string | null;
}

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
  history: { version: number | string; activatedAt: string | null; activatedBy: string | null }[];
}
