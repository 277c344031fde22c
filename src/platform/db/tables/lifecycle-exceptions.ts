/** Row type of lifecycle exceptions (migration 0035). */

export interface LifecycleExceptionsTable {
  id: string;
  model_id: string;
  version_id: string | null;
  deployment_id: string | null;
  /** JSON array of what the exception allows: status_approved, status_production, production_deployment. */
  allows_json: string;
  reason: string;
  /** requested | approved | rejected | revoked (expiry is read off `until` with the clock). */
  state: string;
  requested_by: string;
  requested_at: string;
  until: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  revoked_by: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  row_version: number;
}

export interface LifecycleExceptionsTables {
  lifecycle_exceptions: LifecycleExceptionsTable;
}
