import type { Kysely } from 'kysely';
import type { Alert, AlertListQuery, Silence } from '../../contracts/alerts.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  AlertCheckStatesTable,
  AlertDeliveriesTable,
  AlertSilencesTable,
  AlertsTable,
} from '../../platform/db/tables/alerts.ts';
import { type CheckState, type SilenceMatchers, silenceActive } from './alert-rules.ts';

type Tx = Kysely<Database>;

/** An alert row with the labels joined from the inventory. */
export type AlertRow = AlertsTable & { model_key: string; version_label: string; environment: string };

export function alertQuery(tx: Tx) {
  return tx
    .selectFrom('alerts')
    .innerJoin('models', 'models.id', 'alerts.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'alerts.version_id')
    .innerJoin('deployments', 'deployments.id', 'alerts.deployment_id')
    .selectAll('alerts')
    .select(['models.key as model_key', 'model_versions.label as version_label', 'deployments.environment']);
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** The API view of an alert row; `silenced` is decided by the caller with the clock. */
export function alertView(r: AlertRow, silenced: boolean): Alert {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    deploymentId: r.deployment_id,
    environment: r.environment,
    modelKey: r.model_key,
    versionLabel: r.version_label,
    planId: r.plan_id,
    planVersion: Number(r.plan_version),
    check: r.check_name,
    kind: r.kind as Alert['kind'],
    metric: r.metric,
    feature: r.feature,
    severity: r.severity as Alert['severity'],
    state: r.state as Alert['state'],
    value: num(r.value),
    warning: num(r.warning),
    critical: num(r.critical),
    direction: r.direction as Alert['direction'],
    forWindows: Number(r.for_windows),
    runbookUrl: r.runbook_url,
    startsAt: r.starts_at,
    firedAt: r.fired_at,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    evidence: { windowId: r.evidence_window_id, url: r.evidence_url },
    resolvedAt: r.resolved_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    assignee: r.assignee,
    triage: r.triage as Alert['triage'],
    triageRef: r.triage_ref,
    silenced,
    lastNotifiedAt: r.last_notified_at,
    notifications: Number(r.notifications),
    updatedAt: r.updated_at,
    rowVersion: Number(r.row_version),
  };
}

export async function alertById(tx: Tx, id: string): Promise<AlertRow | undefined> {
  return alertQuery(tx).where('alerts.id', '=', id).executeTakeFirst();
}

export async function firingByFingerprint(tx: Tx, fingerprint: string): Promise<AlertRow | undefined> {
  return alertQuery(tx)
    .where('alerts.fingerprint', '=', fingerprint)
    .where('alerts.state', '=', 'firing')
    .executeTakeFirst();
}

export async function listAlertRows(
  tx: Tx,
  q: AlertListQuery,
  visible: string[] | null,
): Promise<AlertRow[]> {
  if (visible !== null && visible.length === 0) return [];
  let query = alertQuery(tx);
  if (visible !== null) query = query.where('alerts.model_id', 'in', visible);
  if (q.state) query = query.where('alerts.state', '=', q.state);
  if (q.severity) query = query.where('alerts.severity', '=', q.severity);
  if (q.deploymentId) query = query.where('alerts.deployment_id', '=', q.deploymentId);
  return query.orderBy('alerts.fired_at', 'desc').orderBy('alerts.id').limit(q.limit).execute();
}

export async function insertAlert(tx: Tx, row: AlertsTable): Promise<void> {
  await tx.insertInto('alerts').values(row).execute();
}

export async function updateAlert(tx: Tx, id: string, patch: Partial<AlertsTable>): Promise<void> {
  await tx.updateTable('alerts').set(patch).where('id', '=', id).execute();
}

/** The state machine's memory for one fingerprint. */
export async function checkState(
  tx: Tx,
  fingerprint: string,
): Promise<(CheckState & { criticalStreak: number }) | null> {
  const r = await tx
    .selectFrom('alert_check_states')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
  if (!r) return null;
  return {
    streak: Number(r.streak),
    streakStart: r.streak_start,
    firing: Number(r.firing) === 1,
    severity: r.severity as CheckState['severity'],
    lastWindowEnd: r.last_window_end,
    criticalStreak: Number(r.critical_streak),
  };
}

export async function saveCheckState(tx: Tx, row: AlertCheckStatesTable): Promise<void> {
  const n = await tx
    .updateTable('alert_check_states')
    .set(row)
    .where('fingerprint', '=', row.fingerprint)
    .executeTakeFirst();
  if (Number(n.numUpdatedRows) === 0) await tx.insertInto('alert_check_states').values(row).execute();
}

/** Deployments that sent at least one check signal since `since` (monitoring coverage). */
export async function signalledDeployments(tx: Tx, since: string): Promise<Set<string>> {
  const rows = await tx
    .selectFrom('alert_check_states')
    .select('deployment_id')
    .where('updated_at', '>=', since)
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.deployment_id));
}

export function silenceView(r: AlertSilencesTable, now: Date): Silence {
  const w = { matchers: {}, startsAt: r.starts_at, endsAt: r.ends_at, endedAt: r.ended_at };
  return {
    id: r.id,
    matchers: JSON.parse(r.matchers_json) as Record<string, string>,
    reason: r.reason,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    endedAt: r.ended_at,
    endedBy: r.ended_by,
    active: silenceActive(w, now),
    createdBy: r.created_by,
    createdAt: r.created_at,
    rowVersion: Number(r.row_version),
  };
}

export async function silenceRows(tx: Tx): Promise<AlertSilencesTable[]> {
  return tx.selectFrom('alert_silences').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
}

/** Silences that have not ended by `now` (in force or yet to start). */
export async function liveSilences(
  tx: Tx,
  now: Date,
): Promise<{ id: string; matchers: SilenceMatchers; window: Parameters<typeof silenceActive>[0] }[]> {
  const t = now.toISOString();
  const rows = await tx
    .selectFrom('alert_silences')
    .selectAll()
    .where('ends_at', '>', t)
    .where('ended_at', 'is', null)
    .execute();
  return rows.map((r) => {
    const matchers = JSON.parse(r.matchers_json) as SilenceMatchers;
    return {
      id: r.id,
      matchers,
      window: { matchers, startsAt: r.starts_at, endsAt: r.ends_at, endedAt: r.ended_at },
    };
  });
}

export async function insertSilence(tx: Tx, row: AlertSilencesTable): Promise<void> {
  await tx.insertInto('alert_silences').values(row).execute();
}

export async function silenceById(tx: Tx, id: string): Promise<AlertSilencesTable | undefined> {
  return tx.selectFrom('alert_silences').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function endSilence(
  tx: Tx,
  id: string,
  at: string,
  by: string,
  rowVersion: number,
): Promise<void> {
  await tx
    .updateTable('alert_silences')
    .set({ ended_at: at, ended_by: by, row_version: rowVersion })
    .where('id', '=', id)
    .execute();
}

export async function insertDelivery(tx: Tx, row: AlertDeliveriesTable): Promise<void> {
  await tx.insertInto('alert_deliveries').values(row).execute();
}

export async function dueDeliveries(tx: Tx, now: string, limit: number): Promise<AlertDeliveriesTable[]> {
  return tx
    .selectFrom('alert_deliveries')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function updateDelivery(
  tx: Tx,
  id: string,
  patch: Partial<AlertDeliveriesTable>,
): Promise<void> {
  await tx.updateTable('alert_deliveries').set(patch).where('id', '=', id).execute();
}

export async function deliveriesOf(tx: Tx, alertId: string): Promise<AlertDeliveriesTable[]> {
  return tx
    .selectFrom('alert_deliveries')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Firing alerts (for repeat notifications and KPIs). */
export async function firingRows(tx: Tx): Promise<AlertRow[]> {
  return alertQuery(tx).where('alerts.state', '=', 'firing').execute();
}

/** Every alert's times, for the KPIs (time to acknowledge). */
export async function alertTimes(
  tx: Tx,
): Promise<{ state: string; severity: string; fired_at: string; acknowledged_at: string | null }[]> {
  return tx.selectFrom('alerts').select(['state', 'severity', 'fired_at', 'acknowledged_at']).execute();
}

/** A deployment's model and version (with the model's key and tier), for a signal. */
export async function deploymentLabels(tx: Tx, id: string) {
  return tx
    .selectFrom('deployments')
    .innerJoin('models', 'models.id', 'deployments.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'deployments.version_id')
    .select([
      'deployments.model_id',
      'deployments.version_id',
      'models.key',
      'models.tier',
      'model_versions.label as version_label',
    ])
    .where('deployments.id', '=', id)
    .executeTakeFirst();
}

export async function userExists(tx: Tx, username: string): Promise<boolean> {
  return (
    (await tx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) !==
    undefined
  );
}
