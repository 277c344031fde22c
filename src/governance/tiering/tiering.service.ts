import type { Kysely } from 'kysely';
import type { EuClassification, Tiering, TieringRequest, TierOverride } from '../../contracts/policy.ts';
import { euAiActAnswersSchema } from '../../contracts/policy.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import { decide } from '../../platform/auth/permissions.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import type { TieringsTable, TierOverridesTable } from '../../platform/db/tables/workflow-reviews.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSeparation } from '../access/duty-steps.ts';
import type { Caller, ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { classifyEuAiAct, scoreTiering } from './tiering-rules.ts';

function tieringView(row: TieringsTable, modelKey: string, versionLabel: string): Tiering {
  const rationale = JSON.parse(row.rationale_json) as {
    items: Tiering['rationale'];
    summary: string;
    maxScore: number;
  };
  return {
    id: row.id,
    modelKey,
    versionLabel,
    policyVersion: Number(row.policy_version),
    answers: JSON.parse(row.answers_json) as Record<string, string>,
    score: Number(row.score),
    maxScore: rationale.maxScore,
    computedTier: Number(row.computed_tier),
    rationale: rationale.items,
    summary: rationale.summary,
    euAiAct: JSON.parse(row.eu_json) as EuClassification,
    assessedBy: row.assessed_by,
    assessedAt: row.assessed_at,
  };
}

function overrideView(row: TierOverridesTable, modelKey: string): TierOverride {
  return {
    id: row.id,
    modelKey,
    tieringId: row.tiering_id,
    fromTier: Number(row.from_tier),
    toTier: Number(row.to_tier),
    justification: row.justification,
    status: row.status as TierOverride['status'],
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    rowVersion: Number(row.row_version),
  };
}

/** Tiering questionnaires per model version, the EU AI Act classification, and tier overrides. */
export class TieringService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: PolicyService,
    private readonly models: ModelsService,
    private readonly versions: VersionsService,
  ) {}

  /**
   * Scores the questionnaire for one version with the active policy, stores it with the policy
   * version used, and sets the model's tier to the computed tier (audited in the same transaction).
   */
  async assess(caller: Caller, key: string, label: string, input: TieringRequest): Promise<Tiering> {
    const policy = await this.policy.active();
    const now = this.clock.now();
    const score = scoreTiering(policy.document, input.answers);
    const eu = classifyEuAiAct(policy.document, euAiActAnswersSchema.parse(input.euAiAct ?? {}), now);
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'tiering.assess', tx);
      if (model.status === 'retired') throw new ConflictError(`model '${key}' is retired`);
      const version = await this.versions.find(model, label, tx);
      const row: TieringsTable = {
        id: newId(),
        model_id: model.id,
        version_id: version.id,
        policy_version: policy.version,
        answers_json: JSON.stringify(input.answers),
        score: score.score,
        computed_tier: score.tier,
        rationale_json: JSON.stringify({
          items: score.rationale,
          summary: score.summary,
          maxScore: score.maxScore,
        }),
        eu_class: eu.class,
        eu_json: JSON.stringify(eu),
        assessed_by: caller.audit.actor,
        assessed_at: now.toISOString(),
      };
      await tx.insertInto('tierings').values(row).execute();
      const view = tieringView(row, model.key, version.label);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'tiering.assessed',
        entityType: 'tiering',
        entityId: row.id,
        modelId: model.id,
        after: view,
      });
      // A pending override was argued against the previous score; a new assessment voids it.
      await this.voidPending(tx, caller, model);
      if (model.tier === null || Number(model.tier) !== score.tier) {
        await this.models.setTier(tx, caller.audit, model.id, score.tier);
      }
      return view;
    });
  }

  /** The latest tiering of a version (404 when never tiered). */
  async latestForVersion(caller: Caller, key: string, label: string): Promise<Tiering> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const version = await this.versions.find(model, label);
    const row = await this.db.kysely
      .selectFrom('tierings')
      .selectAll()
      .where('version_id', '=', version.id)
      .orderBy('assessed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('tiering', `${key}@${label}`);
    return tieringView(row, model.key, version.label);
  }

  /** Every tiering of a model, newest first. */
  async history(caller: Caller, key: string): Promise<Tiering[]> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const rows = await this.db.kysely
      .selectFrom('tierings')
      .innerJoin('model_versions', 'model_versions.id', 'tierings.version_id')
      .selectAll('tierings')
      .select('model_versions.label')
      .where('tierings.model_id', '=', model.id)
      .orderBy('tierings.assessed_at', 'desc')
      .orderBy('tierings.id', 'desc')
      .execute();
    return rows.map((r) => tieringView(r, model.key, r.label));
  }

  /** Asks for a tier other than the computed one; a second person must approve it. */
  async requestOverride(
    caller: Caller,
    key: string,
    tier: number,
    justification: string,
  ): Promise<TierOverride> {
    const policy = await this.policy.active();
    if (!policy.document.tiers.some((t) => t.tier === tier))
      throw new ValidationError(`tier ${tier} is not defined by the active policy`, 'tier');
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'tiering.override.request', tx);
      const latest = await tx
        .selectFrom('tierings')
        .selectAll()
        .where('model_id', '=', model.id)
        .orderBy('assessed_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!latest)
        throw new ConflictError(`model '${key}' has no tiering to override; answer the questionnaire first`);
      const current = model.tier === null ? Number(latest.computed_tier) : Number(model.tier);
      if (current === tier) throw new ConflictError(`model '${key}' is already Tier ${tier}`);
      const pending = await tx
        .selectFrom('tier_overrides')
        .select('id')
        .where('model_id', '=', model.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (pending)
        throw new ConflictError(`model '${key}' already has a pending tier override`, {
          overrideId: pending.id,
        });
      const row: TierOverridesTable = {
        id: newId(),
        model_id: model.id,
        tiering_id: latest.id,
        from_tier: current,
        to_tier: tier,
        justification,
        status: 'pending',
        requested_by: caller.audit.actor,
        requested_at: this.clock.now().toISOString(),
        decided_by: null,
        decided_at: null,
        decision_note: null,
        row_version: 1,
      };
      await tx.insertInto('tier_overrides').values(row).execute();
      const view = overrideView(row, model.key);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'tier_override.requested',
        entityType: 'tier_override',
        entityId: row.id,
        modelId: model.id,
        after: view,
      });
      return view;
    });
  }

  /** Approves or rejects a pending override. The approver must not be the requester. */
  async decideOverride(
    caller: Caller,
    id: string,
    outcome: 'approved' | 'rejected',
    note: string | undefined,
    ifMatch?: number,
  ): Promise<TierOverride> {
    return this.db.write(async (tx) => {
      const row = await tx.selectFrom('tier_overrides').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new NotFoundError('tier override', id);
      const model = await tx
        .selectFrom('models')
        .selectAll()
        .where('id', '=', row.model_id)
        .executeTakeFirstOrThrow();
      await this.models.authorize(caller.principal, model.key, 'model.read', tx).catch(() => {
        throw new NotFoundError('tier override', id);
      });
      if (decide(caller.principal, 'tiering.override.approve') !== 'allow')
        throw new ForbiddenError(`${caller.principal.role} may not decide tier overrides`);
      // Four eyes through separation of duties: not the requester, not a maker of the model.
      await assertSeparation(tx, model.id, { kind: 'approve_override', person: caller.audit.actor }, [
        { kind: 'request_override', person: row.requested_by, live: true, ref: row.id },
      ]);
      if (ifMatch !== undefined && ifMatch !== Number(row.row_version))
        throw new ConflictError(`tier override '${id}' is at row version ${row.row_version}, not ${ifMatch}`);
      if (row.status !== 'pending') throw new ConflictError(`tier override '${id}' is already ${row.status}`);
      const before = overrideView(row, model.key);
      const next: TierOverridesTable = {
        ...row,
        status: outcome,
        decided_by: caller.audit.actor,
        decided_at: this.clock.now().toISOString(),
        decision_note: note ?? null,
        row_version: Number(row.row_version) + 1,
      };
      const updated = await tx
        .updateTable('tier_overrides')
        .set({
          status: next.status,
          decided_by: next.decided_by,
          decided_at: next.decided_at,
          decision_note: next.decision_note,
          row_version: next.row_version,
        })
        .where('id', '=', id)
        .where('row_version', '=', row.row_version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1)
        throw new ConflictError(`tier override '${id}' changed concurrently`);
      const after = overrideView(next, model.key);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: `tier_override.${outcome}`,
        entityType: 'tier_override',
        entityId: id,
        modelId: model.id,
        before,
        after,
      });
      if (outcome === 'approved') await this.models.setTier(tx, caller.audit, model.id, Number(row.to_tier));
      return after;
    });
  }

  /** Overrides of a model, newest first. */
  async overrides(caller: Caller, key: string): Promise<TierOverride[]> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const rows = await this.db.kysely
      .selectFrom('tier_overrides')
      .selectAll()
      .where('model_id', '=', model.id)
      .orderBy('requested_at', 'desc')
      .execute();
    return rows.map((r) => overrideView(r, model.key));
  }

  private async voidPending(tx: Kysely<Database>, caller: Caller, model: ModelsTable): Promise<void> {
    const pending = await tx
      .selectFrom('tier_overrides')
      .selectAll()
      .where('model_id', '=', model.id)
      .where('status', '=', 'pending')
      .execute();
    for (const row of pending) {
      const next = {
        ...row,
        status: 'rejected',
        decided_by: 'system',
        decided_at: this.clock.now().toISOString(),
        decision_note: 'voided by a new tiering assessment',
        row_version: Number(row.row_version) + 1,
      };
      await tx
        .updateTable('tier_overrides')
        .set({
          status: next.status,
          decided_by: next.decided_by,
          decided_at: next.decided_at,
          decision_note: next.decision_note,
          row_version: next.row_version,
        })
        .where('id', '=', row.id)
        .execute();
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'tier_override.voided',
        entityType: 'tier_override',
        entityId: row.id,
        modelId: model.id,
        before: overrideView(row, model.key),
        after: overrideView(next, model.key),
      });
    }
  }
}
