import type { Kysely } from 'kysely';
import type { Deployment } from '../../contracts/inventory.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { DeploymentsTable, ModelsTable } from '../../platform/db/tables/inventory.ts';
import { endDeploymentRow, runningDeploymentsOldestFirst } from './versions.store.ts';

/** The API view of a deployment row. */
export function deploymentView(
  model: Pick<ModelsTable, 'id' | 'key'>,
  version: { id: string; label: string },
  d: DeploymentsTable,
): Deployment {
  return {
    id: d.id,
    modelKey: model.key,
    modelId: model.id,
    version: version.label,
    versionId: version.id,
    environment: d.environment,
    endpoint: d.endpoint,
    startedAt: d.started_at,
    endedAt: d.ended_at,
    createdBy: d.created_by,
    rowVersion: Number(d.row_version),
  };
}

/**
 * Ends every deployment of `model` that has not ended, now, inside the caller's transaction: one
 * `deployment.ended` event each, with `reason` (retiring a model stops what runs of it).
 * Returns the ended deployments.
 */
export async function endActiveDeploymentsIn(
  tx: Kysely<Database>,
  clock: Clock,
  audit: AuditContext,
  model: Pick<ModelsTable, 'id' | 'key'>,
  reason: string,
): Promise<Deployment[]> {
  const rows = await runningDeploymentsOldestFirst(tx, model.id);
  const ended: Deployment[] = [];
  for (const { label, ...d } of rows) {
    const version = { id: d.version_id, label };
    // An end never precedes its start (a deployment recorded with a future start).
    const now = clock.now().toISOString();
    const end = [now, d.started_at].sort().at(-1)!;
    const next: DeploymentsTable = {
      ...d,
      ended_at: end,
      row_version: d.row_version + 1,
    };
    await endDeploymentRow(tx, next);
    const after = deploymentView(model, version, next);
    await appendAuditEvent(tx, clock, audit, {
      action: 'deployment.ended',
      entityType: 'deployment',
      entityId: d.id,
      modelId: model.id,
      before: deploymentView(model, version, d),
      after: { ...after, reason },
    });
    ended.push(after);
  }
  return ended;
}
