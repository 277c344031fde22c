/** Row types of alerts and incidents (migrations 0045, 0046). */

export interface AlertsTable {
  id: string;
  fingerprint: string;
  deployment_id: string;
  model_id: string;
  version_id: string;
  plan_id: string;
  plan_version: number;
  check_name: string;
  /** drift | data_quality | volume | performance | estimated_performance */
  kind: string;
  metric: string;
  feature: string | null;
  /** warning | critical (the latest window's) */
  severity: string;
  /** firing | resolved */
  state: string;
  value: number | null;
  warning: number | null;
  critical: number | null;
  direction: string;
  for_windows: number;
  runbook_url: string | null;
  /** Start of the first bad window of the streak that fired it. */
  starts_at: string;
  fired_at: string;
  window_start: string;
  window_end: string;
  evidence_window_id: string;
  evidence_url: string;
  resolved_at: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  assignee: string | null;
  /** finding | incident (null until triaged) */
  triage: string | null;
  triage_ref: string | null;
  routing_json: string;
  last_notified_at: string | null;
  notifications: number;
  updated_at: string;
  row_version: number;
}

export interface AlertCheckStatesTable {
  fingerprint: string;
  deployment_id: string;
  check_name: string;
  streak: number;
  streak_start: string | null;
  firing: number;
  severity: string | null;
  last_window_end: string | null;
  critical_streak: number;
  updated_at: string;
}

export interface AlertSilencesTable {
  id: string;
  matchers_json: string;
  reason: string;
  starts_at: string;
  ends_at: string;
  ended_at: string | null;
  ended_by: string | null;
  created_by: string;
  created_at: string;
  row_version: number;
}

export interface AlertDeliveriesTable {
  id: string;
  alert_id: string;
  /** webhook | alertmanager */
  route_type: string;
  url: string;
  /** firing | resolved: what this notification says */
  status_sent: string;
  payload: string;
  /** pending | delivered | failed */
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface IncidentsTable {
  id: string;
  title: string;
  description: string;
  severity: string;
  /** open | acknowledged | mitigated | resolved */
  state: string;
  impact_began_at: string;
  detected_at: string;
  acknowledged_at: string | null;
  mitigated_at: string | null;
  resolved_at: string | null;
  serious: number;
  serious_category: string | null;
  reporting_due_at: string | null;
  reported_at: string | null;
  commander: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  row_version: number;
}

export interface IncidentDeploymentsTable {
  incident_id: string;
  deployment_id: string;
}

export interface IncidentEventsTable {
  id: string;
  incident_id: string;
  at: string;
  actor: string;
  /** opened | acknowledged | mitigated | resolved | note | alert_linked | action_added | serious_flagged | reported | deployment_added */
  kind: string;
  note: string | null;
  ref: string | null;
}

export interface AlertsTables {
  alerts: AlertsTable;
  alert_check_states: AlertCheckStatesTable;
  alert_silences: AlertSilencesTable;
  alert_deliveries: AlertDeliveriesTable;
  incidents: IncidentsTable;
  incident_deployments: IncidentDeploymentsTable;
  incident_events: IncidentEventsTable;
}
