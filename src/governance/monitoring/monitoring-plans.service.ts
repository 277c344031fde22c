import type { Kysely } from 'kysely';
import type { MonitoringPlan, MonitoringPlanDocument } from '../../contracts/monitoring.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Action } from '../../platform/auth/permissions.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { MonitoringPlansTable } from '../../platform/db/tables/monitoring.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { evidenceInputsOf } from '../evidence/evidence.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { DocumentStanding } from '../reviews/review-rules.ts';
import {
  activePlan,
  activePlansOfVersion,
  type DeploymentRow,
  deploymentRow,
  insertPlan,
  latestPlanVersion,
  planVersion,
} from './monitoring.store.ts';
import { parsePlan, planSha256 } from './plan-document.ts';

/** The API view of a stored plan version. */
export function planView(row: MonitoringPlansTable, modelKey: string): MonitoringPlan {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    modelKey,
    version: row.version,
    active: row.active === 1,
    sha256: row.sha256,
    text: row.text,
    document: JSON.parse(row.document_json) as MonitoringPlanDocument,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/**
 * The SHA-256 of the validation run's input a `validation` baseline names: the evidence must be of
 * the deployment's model and name that input (`reference:<path> sha256:<hex> …`, as
 * `assay validate --push` records it); a `sha256` written in the plan must agree.
 */
async function validationInputSha256(
  tx: Kysely<Database>,
  baseline: Extract<MonitoringPlanDocument['baseline'], { type: 'validation' }>,
  modelId: string,
): Promise<string> {
  const ev = await evidenceInputsOf(tx, baseline.evidence);
  if (!ev || ev.model_id !== modelId)
    throw new ValidationError(
      `baseline.evidence: no evidence '${baseline.evidence}' of this deployment's model`,
      'baseline.evidence',
    );
  const inputs = JSON.parse(ev.inputs_json) as string[];
  const hit = inputs
    .map((i) => new RegExp(`^${baseline.input}:.* sha256:([0-9a-f]{64})(\\s|$)`).exec(i))
    .find((m) => m !== null);
  if (!hit?.[1])
    throw new ValidationError(
      `baseline.evidence: evidence '${baseline.evidence}' records no ${baseline.input} input with a SHA-256 (a run pushed by assay validate --push records its inputs)`,
      'baseline.evidence',
    );
  if (baseline.sha256 && baseline.sha256 !== hit[1])
    throw new ValidationError(
      `baseline.sha256: the validation run's ${baseline.input} has SHA-256 ${hit[1]}, not ${baseline.sha256}`,
      'baseline.sha256',
    );
  return hit[1];
}

/**
 * Monitoring plans as code: one per deployment, versioned (every apply of a changed text is a new
 * version; the latest is active), validated with line and field in errors, audited.
 */
export class MonitoringPlansService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly models: ModelsService,
  ) {}

  /** The deployment, if the caller may do `action` on its model (404 when hidden or unknown). */
  async deployment(
    caller: Caller | null,
    deploymentId: string,
    action: Action,
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<DeploymentRow> {
    const dep = await deploymentRow(tx, deploymentId);
    if (!dep) throw new NotFoundError('deployment', deploymentId);
    return this.authorized(caller, dep, action, tx);
  }

  /** The deployment row already read, if the caller may do `action` on its model (404 when hidden). */
  async authorized(
    caller: Caller | null,
    dep: DeploymentRow,
    action: Action,
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<DeploymentRow> {
    if (caller) {
      try {
        await this.models.authorize(caller.principal, dep.model_key, action, tx);
      } catch (err) {
        if (err instanceof NotFoundError) throw new NotFoundError('deployment', dep.id);
        throw err;
      }
    }
    return dep;
  }

  /**
   * Applies a plan text (YAML or JSON) to a deployment: a new active version when the text
   * differs from the active one, else the active one unchanged. Audited as `monitoring.plan_applied`.
   */
  async apply(
    caller: Caller,
    deploymentId: string,
    text: string,
  ): Promise<{ plan: MonitoringPlan; changed: boolean }> {
    const document = parsePlan(text);
    const sha256 = planSha256(text);
    return this.db.write(async (tx) => {
      const dep = await this.deployment(caller, deploymentId, 'monitoring.plan', tx);
      if (dep.ended_at) throw new ValidationError(`deployment '${deploymentId}' has ended`, 'deploymentId');
      if (document.baseline.type === 'validation') {
        document.baseline.sha256 = await validationInputSha256(tx, document.baseline, dep.model_id);
      }
      const current = await activePlan(tx, dep.id);
      if (current && current.sha256 === sha256)
        return { plan: planView(current, dep.model_key), changed: false };
      const row: MonitoringPlansTable = {
        id: newId(),
        deployment_id: dep.id,
        model_id: dep.model_id,
        version: (await latestPlanVersion(tx, dep.id)) + 1,
        active: 1,
        sha256,
        text,
        document_json: JSON.stringify(document),
        created_by: caller.audit.actor,
        created_at: this.clock.now().toISOString(),
      };
      await insertPlan(tx, row);
      const plan = planView(row, dep.model_key);
      const { text: _text, ...snapshot } = plan;
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'monitoring.plan_applied',
        entityType: 'monitoring_plan',
        entityId: row.id,
        modelId: dep.model_id,
        before: current ? { id: current.id, version: current.version, sha256: current.sha256 } : null,
        after: snapshot,
      });
      return { plan, changed: true };
    });
  }

  /** The active plan (or one version) of a deployment. */
  async get(caller: Caller, deploymentId: string, version?: number): Promise<MonitoringPlan> {
    const dep = await this.deployment(caller, deploymentId, 'monitoring.read');
    const row =
      version === undefined
        ? await activePlan(this.db.kysely, dep.id)
        : await planVersion(this.db.kysely, dep.id, version);
    if (!row)
      throw new NotFoundError(
        'monitoring plan',
        `${deploymentId}${version === undefined ? '' : ` v${version}`}`,
      );
    return planView(row, dep.model_key);
  }

  /**
   * The checklist's `monitoring_plan` standing of a version: satisfied by an active structured plan
   * on a running deployment of the version (production preferred), as a passing model card
   * satisfies `model_card`. Uploaded monitoring-plan files still count too.
   */
  async standing(tx: Kysely<Database>, versionId: string): Promise<DocumentStanding> {
    const plans = await activePlansOfVersion(tx, versionId);
    if (plans.length > 0) {
      return { passing: plans.map((p) => p.id), gaps: [], uploadsCount: true };
    }
    return {
      passing: [],
      gaps: ['no running deployment of the version has an active monitoring plan (assay monitor plan apply)'],
      uploadsCount: true,
    };
  }
}
