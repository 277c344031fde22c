import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type {
  MonitoringBatchesTable,
  MonitoringPlansTable,
  MonitoringResultsTable,
  MonitoringWindowsTable,
} from '../../platform/db/tables/monitoring.ts';

/** Every SQL statement of monitoring: plans, batch manifests, windows and results, unknown deployments. */

type Tx = Kysely<Database>;

export interface DeploymentRow {
  id: string;
  model_id: string;
  model_key: string;
  version_id: string;
  environment: string;
  ended_at: string | null;
}

/** A deployment with its model's key. */
export function deploymentRow(tx: Tx, id: string): Promise<DeploymentRow | undefined> {
  return tx
    .selectFrom('deployments')
    .innerJoin('models', 'models.id', 'deployments.model_id')
    .select([
      'deployments.id',
      'deployments.model_id',
      'models.key as model_key',
      'deployments.version_id',
      'deployments.environment',
      'deployments.ended_at',
    ])
    .where('deployments.id', '=', id)
    .executeTakeFirst();
}

// ---- plans ----------------------------------------------------------------------------------

/** The active plan of a deployment. */
export function activePlan(tx: Tx, deploymentId: string): Promise<MonitoringPlansTable | undefined> {
  return tx
    .selectFrom('monitoring_plans')
    .selectAll()
    .where('deployment_id', '=', deploymentId)
    .where('active', '=', 1)
    .executeTakeFirst();
}

/** One version of a deployment's plan. */
export function planVersion(
  tx: Tx,
  deploymentId: string,
  version: number,
): Promise<MonitoringPlansTable | undefined> {
  return tx
    .selectFrom('monitoring_plans')
    .selectAll()
    .where('deployment_id', '=', deploymentId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function planById(tx: Tx, id: string): Promise<MonitoringPlansTable | undefined> {
  return tx.selectFrom('monitoring_plans').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores a new plan version and makes it the active one. */
export async function insertPlan(tx: Tx, row: MonitoringPlansTable): Promise<void> {
  await tx
    .updateTable('monitoring_plans')
    .set({ active: 0 })
    .where('deployment_id', '=', row.deployment_id)
    .execute();
  await tx.insertInto('monitoring_plans').values(row).execute();
}

export async function latestPlanVersion(tx: Tx, deploymentId: string): Promise<number> {
  const r = await tx
    .selectFrom('monitoring_plans')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirst();
  return Number(r?.v ?? 0);
}

/** Active plans of deployments that have not ended (what the scheduler computes). */
export function activePlans(tx: Tx): Promise<MonitoringPlansTable[]> {
  return tx
    .selectFrom('monitoring_plans')
    .innerJoin('deployments', 'deployments.id', 'monitoring_plans.deployment_id')
    .selectAll('monitoring_plans')
    .where('monitoring_plans.active', '=', 1)
    .where('deployments.ended_at', 'is', null)
    .orderBy('monitoring_plans.deployment_id')
    .execute();
}

/** Active plans of the running deployments of a version (what satisfies the checklist's monitoring_plan). */
export function activePlansOfVersion(
  tx: Tx,
  versionId: string,
): Promise<(MonitoringPlansTable & { environment: string })[]> {
  return tx
    .selectFrom('monitoring_plans')
    .innerJoin('deployments', 'deployments.id', 'monitoring_plans.deployment_id')
    .selectAll('monitoring_plans')
    .select('deployments.environment')
    .where('deployments.version_id', '=', versionId)
    .where('deployments.ended_at', 'is', null)
    .where('monitoring_plans.active', '=', 1)
    .execute();
}

// ---- batches --------------------------------------------------------------------------------

export function batchByInput(
  tx: Tx,
  deploymentId: string,
  kind: string,
  sha256: string,
): Promise<MonitoringBatchesTable | undefined> {
  return tx
    .selectFrom('monitoring_batches')
    .selectAll()
    .where('deployment_id', '=', deploymentId)
    .where('kind', '=', kind)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

export async function nextBatchSeq(tx: Tx, deploymentId: string): Promise<number> {
  const r = await tx
    .selectFrom('monitoring_batches')
    .select((eb) => eb.fn.max('seq').as('s'))
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirst();
  return Number(r?.s ?? 0) + 1;
}

export async function insertBatch(tx: Tx, row: MonitoringBatchesTable): Promise<void> {
  await tx.insertInto('monitoring_batches').values(row).execute();
}

/** Every batch of a deployment (optionally one kind), in arrival order. */
export function batches(tx: Tx, deploymentId: string, kind?: string): Promise<MonitoringBatchesTable[]> {
  let q = tx.selectFrom('monitoring_batches').selectAll().where('deployment_id', '=', deploymentId);
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('seq').execute();
}

// ---- windows --------------------------------------------------------------------------------

export function windowsOf(
  tx: Tx,
  deploymentId: string,
  from?: string,
  to?: string,
): Promise<MonitoringWindowsTable[]> {
  let q = tx.selectFrom('monitoring_windows').selectAll().where('deployment_id', '=', deploymentId);
  if (from) q = q.where('window_start', '>=', from);
  if (to) q = q.where('window_start', '<', to);
  return q.orderBy('window_start').execute();
}

export function windowById(tx: Tx, id: string): Promise<MonitoringWindowsTable | undefined> {
  return tx.selectFrom('monitoring_windows').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Stores a computed window and its results. A recomputation of the same window keeps the window's
 * id (alerts and findings link to it) and replaces its figures. Returns the id.
 */
export async function saveWindow(
  tx: Tx,
  row: MonitoringWindowsTable,
  results: MonitoringResultsTable[],
): Promise<string> {
  const old = await tx
    .selectFrom('monitoring_windows')
    .select('id')
    .where('deployment_id', '=', row.deployment_id)
    .where('window_start', '=', row.window_start)
    .executeTakeFirst();
  const id = old?.id ?? row.id;
  if (old) {
    await tx.deleteFrom('monitoring_results').where('window_id', '=', id).execute();
    const { id: _id, ...rest } = row;
    await tx.updateTable('monitoring_windows').set(rest).where('id', '=', id).execute();
  } else {
    await tx.insertInto('monitoring_windows').values(row).execute();
  }
  const withId = results.map((r) => ({ ...r, window_id: id }));
  for (let i = 0; i < withId.length; i += 200) {
    await tx
      .insertInto('monitoring_results')
      .values(withId.slice(i, i + 200))
      .execute();
  }
  return id;
}

/** Points the batches' manifests at a compacted segment. */
export async function moveBatchesToSegment(
  tx: Tx,
  ids: string[],
  segment: string,
  sha256: string,
): Promise<void> {
  await tx
    .updateTable('monitoring_batches')
    .set({ segment, segment_sha256: sha256 })
    .where('id', 'in', ids)
    .execute();
}

export function resultsOfWindow(tx: Tx, windowId: string): Promise<MonitoringResultsTable[]> {
  return tx
    .selectFrom('monitoring_results')
    .selectAll()
    .where('window_id', '=', windowId)
    .orderBy('check_name')
    .execute();
}

/** The time series: results of a deployment by check, oldest window first. */
export function seriesRows(
  tx: Tx,
  deploymentId: string,
  q: { from?: string | undefined; to?: string | undefined; check?: string | undefined },
): Promise<(MonitoringResultsTable & { window_end: string; rows: number; labelled_rows: number })[]> {
  let sel = tx
    .selectFrom('monitoring_results')
    .innerJoin('monitoring_windows', 'monitoring_windows.id', 'monitoring_results.window_id')
    .selectAll('monitoring_results')
    .select(['monitoring_windows.window_end', 'monitoring_windows.rows', 'monitoring_windows.labelled_rows'])
    .where('monitoring_results.deployment_id', '=', deploymentId);
  if (q.from) sel = sel.where('monitoring_results.window_start', '>=', q.from);
  if (q.to) sel = sel.where('monitoring_results.window_start', '<', q.to);
  if (q.check) sel = sel.where('monitoring_results.check_name', '=', q.check);
  return sel.orderBy('monitoring_results.check_name').orderBy('monitoring_results.window_start').execute();
}

// ---- unknown deployments ----------------------------------------------------------------------

/** Records an ingestion attempt for a deployment id the inventory does not know; true on its first sighting. */
export async function recordUnknownDeployment(tx: Tx, deploymentId: string, at: string): Promise<boolean> {
  const row = await tx
    .selectFrom('monitoring_unknown_deployments')
    .selectAll()
    .where('deployment_id', '=', deploymentId)
    .executeTakeFirst();
  if (row) {
    await tx
      .updateTable('monitoring_unknown_deployments')
      .set({ last_seen_at: at, attempts: row.attempts + 1 })
      .where('deployment_id', '=', deploymentId)
      .execute();
    return false;
  }
  await tx
    .insertInto('monitoring_unknown_deployments')
    .values({ deployment_id: deploymentId, first_seen_at: at, last_seen_at: at, attempts: 1 })
    .execute();
  return true;
}

/**
 * Deployment ids ingestion has seen that the inventory does not know (yet), most recent first,
 * leaving out ids that have since been registered. Read by the shadow-model reconciliation.
 */
export async function listUnknownDeployments(
  tx: Tx,
): Promise<{ deploymentId: string; firstSeenAt: string; lastSeenAt: string; attempts: number }[]> {
  const rows = await tx
    .selectFrom('monitoring_unknown_deployments')
    .leftJoin('deployments', 'deployments.id', 'monitoring_unknown_deployments.deployment_id')
    .selectAll('monitoring_unknown_deployments')
    .where('deployments.id', 'is', null)
    .orderBy('monitoring_unknown_deployments.last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    deploymentId: r.deployment_id,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    attempts: r.attempts,
  }));
}
