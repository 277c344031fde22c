import type { ExceptionAllowance, ExceptionReport } from '../../contracts/exceptions.ts';
import type { ModelException } from '../../contracts/inventory.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import { ForbiddenError } from '../../platform/errors.ts';
import { bindingChanges, TIER_BINDING_CHANGES } from '../decisions/binding-rules.ts';
import { bindingNowIn } from '../decisions/decisions.queries.ts';
import type { DecisionsService } from '../decisions/decisions.service.ts';
import type { GateService } from '../gate/gate.service.ts';
import {
  allModels,
  allVersions,
  lapsedAcceptances,
  overdueConditionsOfLiveModels,
  runningDeployments,
} from './exception-report.queries.ts';
import { covers } from './exception-rules.ts';
import { type ExceptionsService, exceptionFacts } from './exceptions.service.ts';

const APPROVING = new Set(['approve', 'approve_with_conditions']);
type TierChange = ExceptionReport['approvalsOnSupersededTier'][number]['changed'][number];

/**
 * The exception report: what an auditor looks for first, computed from the store with the clock.
 * Models in production without a valid approval (and the exception that covers it, if any),
 * production deployments the gate denies now, retired models still deployed, approvals on a tier
 * the model no longer has, overdue conditions, acceptances past expiry, and the exceptions in force.
 */
export class ExceptionReportService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: { exceptions: ExceptionsService; gate: GateService; decisions: DecisionsService },
  ) {}

  /** The whole report at now (global readers only: it spans the portfolio). */
  async report(caller: Caller): Promise<ExceptionReport> {
    if (decide(caller.principal, 'report.read') !== 'allow')
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not read the exception report`, {
        action: 'report.read',
      });
    return this.compute();
  }

  /** The report without a permission check (the metrics API's counts). */
  async compute(): Promise<ExceptionReport> {
    const k = this.db.kysely;
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const models = await allModels(k);
    const byId = new Map(models.map((m) => [m.id, m]));
    const versions = await allVersions(k);
    const versionById = new Map(versions.map((v) => [v.id, v]));
    const active = await runningDeployments(k);
    const valid = await this.deps.exceptions.validIn(
      k,
      models.map((m) => m.id),
    );
    const coverOf = (
      modelId: string,
      need: { allow: ExceptionAllowance; versionId?: string; deploymentId?: string },
    ): ModelException | null => {
      const e = valid.find(
        (x) =>
          x.model_id === modelId &&
          covers(
            exceptionFacts(x),
            need.allow === 'production_deployment'
              ? { ...need, deploymentId: x.deployment_id === null ? null : (need.deploymentId ?? null) }
              : need,
            now,
          ),
      );
      return e ? { id: e.id, until: e.until, reason: e.reason } : null;
    };

    const report: ExceptionReport = {
      asOf: nowIso,
      counts: {
        productionWithoutApproval: 0,
        deploymentsGateDenied: 0,
        retiredStillDeployed: 0,
        approvalsOnSupersededTier: 0,
        overdueConditions: 0,
        expiredAcceptances: 0,
        exceptionsInForce: 0,
      },
      productionWithoutApproval: [],
      deploymentsGateDenied: [],
      retiredStillDeployed: [],
      approvalsOnSupersededTier: [],
      overdueConditions: [],
      expiredAcceptances: [],
      exceptionsInForce: [],
    };

    // Production without a valid approval: the versions it runs in production (or its newest active one).
    for (const m of models.filter((x) => x.status === 'production')) {
      const running = [
        ...new Set(
          active
            .filter((d) => d.model_id === m.id && d.environment === 'production')
            .map((d) => d.version_id),
        ),
      ];
      const newest = versions.find((v) => v.model_id === m.id && v.status === 'active');
      const ids = running.length ? running : newest ? [newest.id] : [];
      if (ids.length === 0) {
        report.productionWithoutApproval.push({
          modelKey: m.key,
          modelName: m.name,
          versionLabel: null,
          problem: 'no_approval',
          decisionId: null,
          exception: coverOf(m.id, { allow: 'status_production' }),
        });
        continue;
      }
      for (const id of ids) {
        const d = await this.deps.decisions.latestFinalIn(k, id);
        const problem = !d
          ? ('no_approval' as const)
          : !APPROVING.has(d.outcome)
            ? ('not_approved' as const)
            : d.expiresAt === null || Date.parse(d.expiresAt) <= now.getTime()
              ? ('approval_expired' as const)
              : null;
        if (!problem) continue;
        report.productionWithoutApproval.push({
          modelKey: m.key,
          modelName: m.name,
          versionLabel: versionById.get(id)?.label ?? null,
          problem,
          decisionId: d?.id ?? null,
          exception: coverOf(m.id, { allow: 'status_production' }),
        });
      }
    }

    // Production deployments the gate denies now, and anything of a retired model still running.
    for (const d of active) {
      const m = byId.get(d.model_id)!;
      const v = versionById.get(d.version_id)!;
      if (m.status === 'retired') {
        report.retiredStillDeployed.push({
          modelKey: m.key,
          versionLabel: v.label,
          deploymentId: d.id,
          environment: d.environment,
          retiredAt: m.retired_at,
        });
        continue;
      }
      if (d.environment !== 'production') continue;
      const gate = await this.deps.gate.evaluateIn(k, m as ModelsTable, v, 'production');
      if (gate.allowed) continue;
      report.deploymentsGateDenied.push({
        modelKey: m.key,
        versionLabel: v.label,
        deploymentId: d.id,
        environment: d.environment,
        endpoint: d.endpoint,
        startedAt: d.started_at,
        reasons: [...new Set(gate.reasons.map((r) => r.code))],
        exception: coverOf(m.id, { allow: 'production_deployment', versionId: v.id, deploymentId: d.id }),
      });
    }

    // Approvals whose bound tier no longer holds: the tier, the tiering record behind it or the
    // approved override changed since (the gate's binding_changed reasons for the tier).
    for (const v of versions.filter((x) => x.status === 'active')) {
      const m = byId.get(v.model_id)!;
      if (m.status === 'retired') continue;
      const d = await this.deps.decisions.latestFinalIn(k, v.id);
      if (!d || !APPROVING.has(d.outcome)) continue;
      const currentTier = m.tier === null ? null : Number(m.tier);
      const binding = await bindingNowIn(k, v, d);
      const changed = binding
        ? bindingChanges(binding.bound, binding.now)
            .map((c) => c.kind)
            .filter((kind): kind is TierChange => TIER_BINDING_CHANGES.has(kind))
        : d.tier === currentTier
          ? []
          : (['tier'] as TierChange[]);
      if (changed.length === 0) continue;
      report.approvalsOnSupersededTier.push({
        modelKey: m.key,
        versionLabel: v.label,
        decisionId: d.id,
        decisionTier: binding ? (binding.bound.tier ?? null) : d.tier,
        currentTier,
        changed,
      });
    }

    const conditions = await overdueConditionsOfLiveModels(k, nowIso);
    for (const c of conditions)
      report.overdueConditions.push({
        modelKey: c.key,
        versionLabel: c.label,
        decisionId: c.decision_id,
        conditionId: c.id,
        text: c.text,
        owner: c.owner,
        dueAt: c.due_at,
      });

    // Acceptances past expiry whose findings are still not closed: the risk nobody accepts any more.
    const lapsed = await lapsedAcceptances(k, nowIso);
    for (const a of lapsed)
      report.expiredAcceptances.push({
        modelKey: a.key,
        acceptanceId: a.id,
        state: a.state,
        expiresAt: a.expires_at,
        rationale: a.rationale,
      });

    for (const e of [...valid].sort((x, y) => x.until.localeCompare(y.until) || x.id.localeCompare(y.id)))
      report.exceptionsInForce.push({
        modelKey: byId.get(e.model_id)!.key,
        exceptionId: e.id,
        versionLabel: e.version_id ? (versionById.get(e.version_id)?.label ?? null) : null,
        allows: [...exceptionFacts(e).allows],
        until: e.until,
        reason: e.reason,
        requestedBy: e.requested_by,
        decidedBy: e.decided_by,
      });

    report.counts = {
      productionWithoutApproval: report.productionWithoutApproval.length,
      deploymentsGateDenied: report.deploymentsGateDenied.length,
      retiredStillDeployed: report.retiredStillDeployed.length,
      approvalsOnSupersededTier: report.approvalsOnSupersededTier.length,
      overdueConditions: report.overdueConditions.length,
      expiredAcceptances: report.expiredAcceptances.length,
      exceptionsInForce: report.exceptionsInForce.length,
    };
    return report;
  }
}
