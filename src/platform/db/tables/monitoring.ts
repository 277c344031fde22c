/** Row types of production monitoring (migration 0040). Prediction rows themselves live in Parquet segments. */

export interface MonitoringPlansTable {
  id: string;
  deployment_id: string;
  model_id: string;
  version: number;
  /** 1 for the deployment's current plan version. */
  active: number;
  sha256: string;
  text: string;
  document_json: string;
  created_by: string;
  created_at: string;
}

export interface MonitoringBatchesTable {
  id: string;
  deployment_id: string;
  /** predictions | outcomes | reference */
  kind: string;
  /** Order of arrival within the deployment (1, 2, …). */
  seq: number;
  /** SHA-256 of the ingested input (a re-sent batch is recognised). */
  sha256: string;
  /** SHA-256 of the Parquet segment written. */
  segment_sha256: string;
  /** The segment's path under the monitoring directory. */
  segment: string;
  rows: number;
  from_ts: string | null;
  to_ts: string | null;
  /** JSON array of the segment's own columns. */
  columns_json: string;
  ingested_by: string;
  ingested_at: string;
}

export interface MonitoringWindowsTable {
  id: string;
  deployment_id: string;
  plan_id: string;
  plan_version: number;
  window_start: string;
  window_end: string;
  rows: number;
  labelled_rows: number;
  /** The highest batch seq of the deployment when computed (later overlapping batches make it stale). */
  computed_seq: number;
  computed_at: string;
  /** JSON: the engine evidence of the window ({ drift, performance, cbpe }). */
  evidence_json: string;
}

export interface MonitoringResultsTable {
  window_id: string;
  deployment_id: string;
  check_name: string;
  kind: string;
  metric: string;
  feature: string | null;
  window_start: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  warning: number | null;
  critical: number | null;
  direction: string;
  severity: string;
  note: string | null;
}

export interface MonitoringUnknownDeploymentsTable {
  deployment_id: string;
  first_seen_at: string;
  last_seen_at: string;
  attempts: number;
}

export interface MonitoringTables {
  monitoring_plans: MonitoringPlansTable;
  monitoring_batches: MonitoringBatchesTable;
  monitoring_windows: MonitoringWindowsTable;
  monitoring_results: MonitoringResultsTable;
  monitoring_unknown_deployments: MonitoringUnknownDeploymentsTable;
}
