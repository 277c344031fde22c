/** Row types of findings, decisions, risk acceptances, scheduler jobs and webhooks (migration 0011). */

export interface FindingsTable {
  id: string;
  model_id: string;
  version_id: string;
  review_id: string | null;
  title: string;
  description: string;
  category: string;
  severity: string;
  state: string;
  owner: string;
  remediator: string | null;
  remediation_plan: string | null;
  due_at: string;
  closure_evidence_id: string | null;
  verified_by: string | null;
  closed_at: string | null;
  repeat_of: string | null;
  policy_version: number;
  opened_by: string;
  created_at: string;
  updated_at: string;
  row_version: number;
  /** The validation evidence and suggestion a finding was adopted from (migration 0032). */
  source_evidence_id?: string | null;
  source_suggestion_id?: string | null;
}

export interface DecisionsTable {
  id: string;
  model_id: string;
  version_id: string;
  review_id: string;
  outcome: string;
  state: string;
  rationale: string;
  tier: number | null;
  policy_version: number;
  /** JSON array of { role, count } the tier requires. */
  sign_off_json: string;
  /** JSON of the binding (version, evidence hashes, open findings) at the first signature. */
  binding_json: string | null;
  submitted_by: string | null;
  proposed_by: string;
  created_at: string;
  finalized_at: string | null;
  expires_at: string | null;
  row_version: number;
  /** Withdrawn (pending) or voided (final, or invalidated by separation of duties): when, who, why (migration 0032). */
  voided_at?: string | null;
  voided_by?: string | null;
  void_reason?: string | null;
}

export interface DecisionSignaturesTable {
  decision_id: string;
  signer: string;
  role: string;
  signed_at: string;
  note: string | null;
  binding_digest: string;
}

export interface DecisionConditionsTable {
  id: string;
  decision_id: string;
  model_id: string;
  version_id: string;
  text: string;
  owner: string;
  due_at: string;
  met_at: string | null;
  met_by: string | null;
  row_version: number;
}

export interface RiskAcceptancesTable {
  id: string;
  model_id: string;
  rationale: string;
  state: string;
  requested_by: string;
  requested_at: string;
  approved_by: string | null;
  decided_at: string | null;
  expires_at: string;
  expired_at: string | null;
  row_version: number;
}

export interface AcceptanceFindingsTable {
  acceptance_id: string;
  finding_id: string;
}

/** One scheduler job that has fired; the primary key makes each fire at most once. */
export interface FiredJobsTable {
  key: string;
  kind: string;
  entity_id: string;
  fired_at: string;
}

export interface WebhooksTable {
  id: string;
  url: string;
  secret: string;
  events_json: string;
  allow_private: number;
  active: number;
  created_by: string;
  created_at: string;
  row_version: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event: string;
  event_id: string;
  payload: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WorkflowDecisionsTables {
  findings: FindingsTable;
  decisions: DecisionsTable;
  decision_signatures: DecisionSignaturesTable;
  decision_conditions: DecisionConditionsTable;
  risk_acceptances: RiskAcceptancesTable;
  acceptance_findings: AcceptanceFindingsTable;
  fired_jobs: FiredJobsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
