import type { Kysely } from 'kysely';
import type { EuAiActClass, Tiering, TieringRequest, TierOverride } from '../../contracts/policy.ts';
import { euAiActAnswersSchema } from '../../contracts/policy.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { TieringsTable, TierOverridesTable } from '../../platform/db/tables/workflow-reviews.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSeparation } from '../access/duty-steps.ts';
import { hasFinalApproval } from '../decisions/decisions.queries.ts';
import { modelRelations, modelRowById, versionLabelOf } from '../inventory/inventory.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { planRetiering } from './retiering-rules.ts';
import { latestEffectiveTiering, overrideInForce } from './tiering.queries.ts';
import {
  decideOverride,
  insertOverride,
  insertTiering,
  overrideById,
  overridesOf,
  overrideView,
  pendingOverrideId,
  tieringAnswers,
  tieringById,
  tieringHistory,
  tieringView,
} from './tiering.store.ts';
import { takeEffect, updateTiering, voidPendingTierings } from './tiering-effects.ts';
import { classifyEuAiAct, scoreTiering } from './tiering-rules.ts';

/** Tiering questionnaires per model version, the EU AI Act classification, and tier overrides. */
export class TieringService {
  constructor(
    private readonly db: Db,
    readonly clock: Clock,
    private readonly policy: PolicyService,
    readonly models: ModelsService,
    private readonly versions: VersionsService,
  ) {}

  /**
   * Scores the questionnaire for one version with the active policy and classifies it under the EU
   * AI Act (omitted EU answers: the previous tiering's, re-classified under the current policy).
   * On a frozen or approved version only governance independent of the model may re-tier (403
   * `retiering_governance`), and a re-tiering that lowers the tier or class is stored pending a
   * second governance person (status `pending`, nothing changes until approved). Otherwise it
   * takes effect: the model's tier and class follow it, an approved override is carried or
   * superseded (audited in the same transaction).
   */
  async assess(caller: Caller, key: string, label: string, input: TieringRequest): Promise<Tiering> {
    const policy = await this.policy.active();
    const now = this.clock.now();
    const score = scoreTiering(policy.document, input.answers);
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'tiering.assess', tx);
      if (model.status === 'retired') throw new ConflictError(`model '${key}' is retired`);
      const version = await this.versions.find(model, label, tx);
      const previous =
        (await latestEffectiveTiering(tx, { versionId: version.id })) ??
        (await latestEffectiveTiering(tx, { modelId: model.id }));
      const euAnswers = input.euAiAct
        ? euAiActAnswersSchema.parse(input.euAiAct)
        : previous
          ? tieringAnswers(previous)
          : euAiActAnswersSchema.parse({});
      const eu = classifyEuAiAct(policy.document, euAnswers, now);
      const makers = await this.makersOf(tx, model.id);
      const override = await overrideInForce(tx, model.id);
      const plan = planRetiering({
        locked: version.frozen_at !== null || (await this.hasFinalApproval(tx, version.id)),
        actorRole: caller.principal.role,
        actorIsMaker: makers.includes(caller.audit.actor),
        currentTier: model.tier === null ? null : Number(model.tier),
        currentClass: (model.eu_ai_act_class as EuAiActClass | null) ?? null,
        override: override
          ? { fromTier: Number(override.from_tier), toTier: Number(override.to_tier) }
          : null,
        newComputedTier: score.tier,
        newClass: eu.class,
      });
      if (plan.outcome === 'refused')
        throw new ForbiddenError(
          `${key}@${label} is frozen or approved: only governance independent of the model may re-tier it`,
          { rule: 'retiering_governance', modelKey: key, versionLabel: label },
        );
      const pending = plan.outcome === 'four_eyes';
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
        eu_answers_json: JSON.stringify(euAnswers),
        assessed_by: caller.audit.actor,
        assessed_at: now.toISOString(),
        status: pending ? 'pending' : 'effective',
        decided_by: null,
        decided_at: null,
        decision_note: null,
        row_version: 1,
      };
      // A pending re-tiering was argued against the state it saw; a newer assessment voids it.
      await voidPendingTierings(this, tx, caller, model);
      await insertTiering(tx, row);
      const view = tieringView(row, model.key, version.label);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: pending ? 'tiering.requested' : 'tiering.assessed',
        entityType: 'tiering',
        entityId: row.id,
        modelId: model.id,
        after: view,
      });
      if (!pending) await takeEffect(this, tx, caller, model, row, plan);
      return view;
    });
  }

  /**
   * Approves or rejects a pending re-tiering: a second person of a governance role, neither its
   * requester nor the model's owner or developers. Approved, it takes effect as a re-tiering would
   * (override carried or superseded against the state now).
   */
  async decideTiering(
    caller: Caller,
    id: string,
    outcome: 'approved' | 'rejected',
    note: string | undefined,
    ifMatch?: number,
  ): Promise<Tiering> {
    return this.db.write(async (tx) => {
      const row = await tieringById(tx, id);
      if (!row) throw new NotFoundError('tiering', id);
      const model = await this.visibleModelOf(tx, caller, row.model_id, 'tiering', id);
      if (decide(caller.principal, 'tiering.override.approve') !== 'allow')
        throw new ForbiddenError(`${aRole(caller.principal.role)} may not decide re-tierings`);
      // Four eyes through separation of duties: not the requester, not a maker of the model.
      await assertSeparation(tx, model.id, { kind: 'approve_retiering', person: caller.audit.actor }, [
        { kind: 'request_retiering', person: row.assessed_by, live: true, ref: row.id },
      ]);
      if (ifMatch !== undefined && ifMatch !== Number(row.row_version))
        throw new ConflictError(`tiering '${id}' is at row version ${row.row_version}, not ${ifMatch}`);
      if (row.status !== 'pending') throw new ConflictError(`tiering '${id}' is ${row.status}, not pending`);
      const version = { label: await versionLabelOf(tx, row.version_id) };
      const next: TieringsTable = {
        ...row,
        status: outcome === 'approved' ? 'effective' : 'rejected',
        decided_by: caller.audit.actor,
        decided_at: this.clock.now().toISOString(),
        decision_note: note ?? null,
        row_version: Number(row.row_version) + 1,
      };
      await updateTiering(tx, next, Number(row.row_version));
      const after = tieringView(next, model.key, version.label);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: `tiering.${outcome}`,
        entityType: 'tiering',
        entityId: id,
        modelId: model.id,
        before: tieringView(row, model.key, version.label),
        after,
      });
      if (outcome === 'approved') {
        const override = await overrideInForce(tx, model.id);
        const plan = planRetiering({
          locked: false,
          actorRole: caller.principal.role,
          actorIsMaker: false,
          currentTier: model.tier === null ? null : Number(model.tier),
          currentClass: (model.eu_ai_act_class as EuAiActClass | null) ?? null,
          override: override
            ? { fromTier: Number(override.from_tier), toTier: Number(override.to_tier) }
            : null,
          newComputedTier: Number(row.computed_tier),
          newClass: row.eu_class as EuAiActClass,
        });
        await takeEffect(this, tx, caller, model, next, plan);
      }
      return after;
    });
  }

  /** The latest effective tiering of a version (404 when never tiered); pending ones are in the history. */
  async latestForVersion(caller: Caller, key: string, label: string): Promise<Tiering> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const version = await this.versions.find(model, label);
    const row = await latestEffectiveTiering(this.db.kysely, { versionId: version.id });
    if (!row) throw new NotFoundError('tiering', `${key}@${label}`);
    return tieringView(row, model.key, version.label);
  }

  /** Every tiering of a model, newest first. */
  async history(caller: Caller, key: string): Promise<Tiering[]> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const rows = await tieringHistory(this.db.kysely, model.id);
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
      const latest = await latestEffectiveTiering(tx, { modelId: model.id });
      if (!latest)
        throw new ConflictError(`model '${key}' has no tiering to override; answer the questionnaire first`);
      const current = model.tier === null ? Number(latest.computed_tier) : Number(model.tier);
      if (current === tier) throw new ConflictError(`model '${key}' is already Tier ${tier}`);
      const pending = await pendingOverrideId(tx, model.id);
      if (pending !== undefined)
        throw new ConflictError(`model '${key}' already has a pending tier override`, {
          overrideId: pending,
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
        carried_to_tiering_id: null,
        superseded_by_tiering_id: null,
        superseded_at: null,
      };
      await insertOverride(tx, row);
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

  /**
   * The model a tiering or tier override belongs to, when the caller may see it; otherwise the
   * decided record itself is not found (404), so that a caller cannot learn that it exists.
   */
  private async visibleModelOf(
    tx: Kysely<Database>,
    caller: Caller,
    modelId: string,
    entity: 'tiering' | 'tier override',
    id: string,
  ) {
    const model = await modelRowById(tx, modelId);
    await this.models.authorize(caller.principal, model.key, 'model.read', tx).catch(() => {
      throw new NotFoundError(entity, id);
    });
    return model;
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
      const row = await overrideById(tx, id);
      if (!row) throw new NotFoundError('tier override', id);
      const model = await this.visibleModelOf(tx, caller, row.model_id, 'tier override', id);
      if (decide(caller.principal, 'tiering.override.approve') !== 'allow')
        throw new ForbiddenError(`${aRole(caller.principal.role)} may not decide tier overrides`);
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
      if (!(await decideOverride(tx, next, row.row_version)))
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
    const rows = await overridesOf(this.db.kysely, model.id);
    return rows.map((r) => overrideView(r, model.key));
  }

  private async makersOf(tx: Kysely<Database>, modelId: string): Promise<string[]> {
    const relations = await modelRelations(tx, modelId);
    return relations
      .filter((r) => r.relation === 'owner' || r.relation === 'developer')
      .map((r) => r.username);
  }

  private hasFinalApproval(tx: Kysely<Database>, versionId: string): Promise<boolean> {
    return hasFinalApproval(tx, versionId);
  }
}
