import type { Kysely } from 'kysely';
import type { GateNote, GateResult } from '../../contracts/gate.ts';
import type { ModelException } from '../../contracts/inventory.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { DecisionsService } from '../decisions/decisions.service.ts';
import type { GateService } from '../gate/gate.service.ts';
import { lifecycleCandidateVersions } from '../inventory/inventory.queries.ts';
import type { LifecycleGuard } from '../inventory/lifecycle-guard.ts';
import { covers } from './exception-rules.ts';
import { type ExceptionsService, exceptionFacts } from './exceptions.service.ts';

const APPROVING = new Set(['approve', 'approve_with_conditions']);

/**
 * The lifecycle guard: a model becomes `approved` through a final approval of one of its active
 * versions (decisions' finalize makes that move itself) and goes to `production` through a final
 * approval whose version passes the production gate at that moment; a production deployment passes
 * the gate at that moment. Otherwise only a valid recorded exception allows it, and the audit trail
 * says which.
 */
export class LifecycleControls implements LifecycleGuard {
  constructor(
    private readonly clock: Clock,
    private readonly deps: { exceptions: ExceptionsService; gate: GateService; decisions: DecisionsService },
  ) {}

  async statusMove(
    tx: Kysely<Database>,
    model: ModelsTable,
    to: 'approved' | 'production',
    versionLabel: string | undefined,
  ): Promise<{ basis: string; exceptionId: string | null }> {
    const now = this.clock.now();
    const candidates = await lifecycleCandidateVersions(tx, model.id, versionLabel);
    if (versionLabel && candidates.length === 0)
      throw new ConflictError(`model '${model.key}' has no version '${versionLabel}'`, {
        rule: 'lifecycle_needs_decision',
        field: 'version',
      });
    let approvedVersion: { version: ModelVersionsTable; decisionId: string } | null = null;
    for (const v of candidates) {
      if (v.status !== 'active') continue;
      const d = await this.deps.decisions.latestFinalIn(tx, v.id);
      if (d && APPROVING.has(d.outcome) && d.expiresAt !== null && Date.parse(d.expiresAt) > now.getTime()) {
        approvedVersion = { version: v, decisionId: d.id };
        break;
      }
    }
    let gate: GateResult | null = null;
    if (approvedVersion) {
      const { version, decisionId } = approvedVersion;
      if (to === 'approved')
        return { basis: `approved by decision ${decisionId} on ${version.label}`, exceptionId: null };
      gate = await this.deps.gate.evaluateIn(tx, model, version, 'production');
      if (gate.allowed)
        return {
          basis: `approved by decision ${decisionId}; the production gate allows ${version.label}`,
          exceptionId: null,
        };
    }
    const allow = to === 'approved' ? 'status_approved' : 'status_production';
    const exception = (await this.deps.exceptions.validIn(tx, [model.id])).find((e) =>
      covers(exceptionFacts(e), { allow }, now),
    );
    if (exception)
      return {
        basis: `allowed by exception ${exception.id} until ${exception.until}`,
        exceptionId: exception.id,
      };
    if (approvedVersion && gate)
      throw new ConflictError(
        `'${model.key}' cannot go to production: the production gate denies ${approvedVersion.version.label} (${gate.reasons.map((r) => r.code).join(', ')}) and no valid exception allows it`,
        { rule: 'lifecycle_gate_denied', version: approvedVersion.version.label, reasons: gate.reasons },
      );
    throw new ConflictError(
      `'${model.key}' cannot become ${to} without a decision: ${versionLabel ? `version ${versionLabel} has no valid final approval` : 'no active version has a valid final approval'}, and no valid exception allows it`,
      { rule: 'lifecycle_needs_decision', to },
    );
  }

  async productionDeployment(
    tx: Kysely<Database>,
    model: ModelsTable,
    version: ModelVersionsTable,
  ): Promise<{ basis: string; exceptionId: string | null }> {
    const gate = await this.deps.gate.evaluateIn(tx, model, version, 'production');
    if (gate.allowed) return { basis: 'the production gate allowed it', exceptionId: null };
    const now = this.clock.now();
    const exception = (await this.deps.exceptions.validIn(tx, [model.id])).find((e) =>
      covers(
        exceptionFacts(e),
        { allow: 'production_deployment', versionId: version.id, deploymentId: null },
        now,
      ),
    );
    if (exception)
      return {
        basis: `allowed by exception ${exception.id} until ${exception.until}`,
        exceptionId: exception.id,
      };
    throw new ConflictError(
      `the production gate denies ${model.key}@${version.label}: ${gate.reasons.map((r) => r.message).join('; ')}`,
      { rule: 'deployment_gate_denied', reasons: gate.reasons },
    );
  }

  async exceptionsOf(
    tx: Kysely<Database>,
    modelIds: readonly string[],
  ): Promise<Map<string, ModelException>> {
    const out = new Map<string, ModelException>();
    for (const e of await this.deps.exceptions.validIn(tx, modelIds))
      if (!out.has(e.model_id)) out.set(e.model_id, { id: e.id, until: e.until, reason: e.reason });
    return out;
  }

  /** The gate's `allowed_by_exception` notes for a version: valid exceptions letting it run in production. */
  async gateNotes(
    tx: Kysely<Database>,
    model: ModelsTable,
    version: ModelVersionsTable,
  ): Promise<GateNote[]> {
    const now = this.clock.now();
    return (await this.deps.exceptions.validIn(tx, [model.id]))
      .filter((e) => {
        const facts = exceptionFacts(e);
        return covers(
          facts,
          { allow: 'production_deployment', versionId: version.id, deploymentId: facts.deploymentId },
          now,
        );
      })
      .map((e) => ({
        code: 'allowed_by_exception' as const,
        message: `the gate denies, but exception ${e.id} allows ${model.key}@${version.label} in production until ${e.until}`,
        ref: e.id,
        until: e.until,
        reason: e.reason,
      }));
  }
}
