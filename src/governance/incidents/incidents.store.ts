import type { Kysely } from 'kysely';
import type { Incident, SeriousCategory } from '../../contracts/incidents.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { IncidentEventsTable, IncidentsTable } from '../../platform/db/tables/alerts.ts';
import { ART73_DEADLINES, minutesBetween } from './incident-rules.ts';

type Tx = Kysely<Database>;

export async function incidentRow(tx: Tx, id: string): Promise<IncidentsTable | undefined> {
  return tx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function incidentRows(
  tx: Tx,
  state: string | undefined,
  limit: number,
): Promise<IncidentsTable[]> {
  let q = tx.selectFrom('incidents').selectAll();
  if (state) q = q.where('state', '=', state);
  return q.orderBy('detected_at', 'desc').orderBy('id').limit(limit).execute();
}

export async function insertIncident(tx: Tx, row: IncidentsTable): Promise<void> {
  await tx.insertInto('incidents').values(row).execute();
}

export async function updateIncident(tx: Tx, id: string, patch: Partial<IncidentsTable>): Promise<void> {
  await tx.updateTable('incidents').set(patch).where('id', '=', id).execute();
}

export async function addDeployment(tx: Tx, incidentId: string, deploymentId: string): Promise<boolean> {
  const has = await tx
    .selectFrom('incident_deployments')
    .select('deployment_id')
    .where('incident_id', '=', incidentId)
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirst();
  if (has) return false;
  await tx
    .insertInto('incident_deployments')
    .values({ incident_id: incidentId, deployment_id: deploymentId })
    .execute();
  return true;
}

export async function addEvent(tx: Tx, row: IncidentEventsTable): Promise<void> {
  await tx.insertInto('incident_events').values(row).execute();
}

export async function deploymentsExist(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('deployments').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** The full API view of an incident, with its deployments, alerts, actions and timeline. */
export async function incidentView(tx: Tx, r: IncidentsTable, now: Date): Promise<Incident> {
  const deployments = await tx
    .selectFrom('incident_deployments')
    .innerJoin('deployments', 'deployments.id', 'incident_deployments.deployment_id')
    .innerJoin('models', 'models.id', 'deployments.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'deployments.version_id')
    .select(['deployments.id', 'models.key', 'model_versions.label', 'deployments.environment'])
    .where('incident_deployments.incident_id', '=', r.id)
    .orderBy('deployments.id')
    .execute();
  const alerts = await tx
    .selectFrom('alerts')
    .select('id')
    .where('triage', '=', 'incident')
    .where('triage_ref', '=', r.id)
    .orderBy('fired_at')
    .orderBy('id')
    .execute();
  const events = await tx
    .selectFrom('incident_events')
    .selectAll()
    .where('incident_id', '=', r.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const category = r.serious_category as SeriousCategory | null;
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity as Incident['severity'],
    state: r.state as Incident['state'],
    impactBeganAt: r.impact_began_at,
    detectedAt: r.detected_at,
    acknowledgedAt: r.acknowledged_at,
    mitigatedAt: r.mitigated_at,
    resolvedAt: r.resolved_at,
    timeToDetectMinutes: minutesBetween(r.impact_began_at, r.detected_at),
    timeToAcknowledgeMinutes: minutesBetween(r.detected_at, r.acknowledged_at),
    timeToResolveMinutes: minutesBetween(r.detected_at, r.resolved_at),
    serious: Number(r.serious) === 1,
    seriousCategory: category,
    reportingDueAt: r.reporting_due_at,
    reportingRule: category ? ART73_DEADLINES[category].rule : null,
    reportedAt: r.reported_at,
    reportingOverdue:
      Number(r.serious) === 1 &&
      r.reported_at === null &&
      r.reporting_due_at !== null &&
      r.reporting_due_at < now.toISOString(),
    commander: r.commander,
    deployments: deployments.map((d) => ({
      id: d.id,
      modelKey: d.key,
      versionLabel: d.label,
      environment: d.environment,
    })),
    alerts: alerts.map((a) => a.id),
    correctiveActions: events.filter((e) => e.kind === 'action_added' && e.ref).map((e) => e.ref as string),
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actor,
      kind: e.kind,
      note: e.note,
      ref: e.ref,
    })),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    rowVersion: Number(r.row_version),
  };
}
