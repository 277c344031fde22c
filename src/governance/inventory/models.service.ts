import type { Kysely } from 'kysely';
import type {
  Model,
  ModelCreate,
  ModelDetail,
  ModelListItem,
  ModelListQuery,
  ModelStatus,
  ModelUpdate,
} from '../../contracts/inventory.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { type Action, decide } from '../../platform/auth/permissions.ts';
import { aRole, type Principal } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { endActiveDeploymentsIn } from './deployments.ts';
import { modelRowById } from './inventory.queries.ts';
import type { LifecycleGuard } from './lifecycle-guard.ts';
import { modelListPage, type NextReviewDateSource } from './model-list.ts';
import { type RelationsGuard, resolveModelRelations, resolveNamedModelRelations } from './model-relations.ts';
import { assertTransition, computeCompleteness, GATED_STATUSES, newModelRow } from './model-rules.ts';
import {
  insertModel,
  insertModelRelations,
  modelById,
  modelByKey,
  modelRelations,
  relationsOfUser,
  replaceModelRelations,
  toModelView,
  updateModel,
} from './models.store.ts';

export type { NextReviewDateSource } from './model-list.ts';
export type { RelationsGuard } from './model-relations.ts';

/** Inventory use cases for models: register, read, list, update, transition, retire, relations. */
export class ModelsService {
  private nextReviewDates: NextReviewDateSource | null = null;
  private guard: LifecycleGuard | null = null;
  private relationsGuard: RelationsGuard | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly requiredFields: readonly string[],
  ) {}

  /** Lets the inventory show each model's next periodic review date (the reviews module's schedule). */
  setNextReviewDates(source: NextReviewDateSource): void {
    this.nextReviewDates = source;
  }

  /** Sets what decides moves to approved and production and production deployments (the composition root). */
  setLifecycleGuard(guard: LifecycleGuard): void {
    this.guard = guard;
  }

  /** The lifecycle guard; without one, gated moves are refused rather than let through. */
  lifecycleGuard(): LifecycleGuard {
    if (!this.guard)
      throw new Error('no lifecycle guard is configured: approved/production moves are refused');
    return this.guard;
  }

  /** Adds to model details the valid lifecycle exception each stands on (`exception`, null when none). */
  async withExceptions<T extends ModelDetail>(
    details: readonly T[],
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<T[]> {
    if (!this.guard) return [...details];
    const found = await this.guard.exceptionsOf(
      tx,
      details.map((d) => d.id),
    );
    return details.map((d) => ({ ...d, exception: found.get(d.id) ?? null }));
  }

  /** Lets separation of duties check every change of a model's relations. */
  setRelationsGuard(guard: RelationsGuard): void {
    this.relationsGuard = guard;
  }

  /** Runs the relations guard (if set) before `next` replaces a model's relations in `tx`. */
  async relationsChangingIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    modelId: string,
    next: readonly { user_id: string; relation: string }[],
  ): Promise<void> {
    if (this.relationsGuard) await this.relationsGuard(tx, audit, modelId, next);
  }

  /** Loads a model for `action`: 404 when absent or not visible to the caller, 403 when not allowed. */
  async authorize(
    principal: Principal,
    key: string,
    action: Action,
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<ModelsTable> {
    const row = await modelByKey(tx, key);
    if (!row) throw new NotFoundError('model', key);
    const relations = await relationsOfUser(tx, row.id, principal.userId);
    const decision = decide(principal, action, relations);
    if (decision === 'hidden') throw new NotFoundError('model', key);
    if (decision === 'deny') {
      throw new ForbiddenError(
        `${principal.role} '${principal.username}' may not ${action.replace('.', ' ')} on model '${key}'`,
        {
          action,
        },
      );
    }
    return row;
  }

  /** The API view of a model row (with relations) read in `tx`. */
  async view(row: ModelsTable, tx: Kysely<Database> = this.db.kysely): Promise<Model> {
    return toModelView(row, await modelRelations(tx, row.id));
  }

  /** Adds completeness to a model view. */
  detail(model: Model): ModelDetail {
    return { ...model, completeness: computeCompleteness(model, this.requiredFields) };
  }

  /** One model, as the caller may see it, with its next periodic review date. */
  async get(principal: Principal, key: string): Promise<ModelDetail> {
    const row = await this.authorize(principal, key, 'model.read');
    const dates =
      this.nextReviewDates && row.status !== 'retired' ? await this.nextReviewDates([row.id]) : null;
    const detail = (await this.withExceptions([this.detail(await this.view(row))]))[0]!;
    return { ...detail, ...(dates ? { nextReviewDate: dates.get(row.id) ?? null } : {}) };
  }

  /** Registers a model. The owner defaults to the caller; developers must be existing users. */
  async register(caller: Caller, input: ModelCreate): Promise<ModelDetail> {
    if (decide(caller.principal, 'model.create') !== 'allow') {
      throw new ForbiddenError(`${aRole(caller.principal.role)} may not register models`, {
        action: 'model.create',
      });
    }
    if (input.vendor === false && input.vendorName)
      throw new ValidationError('vendorName is only for vendor models', 'vendorName');
    const now = this.clock.now().toISOString();
    const register = async (tx: Kysely<Database>) => {
      const ownerName = input.owner ?? caller.principal.username;
      const developers = input.developers ?? [];
      // Lock at audit append. Only the caller named: no user read, the key's unique index gives 409.
      const others = [ownerName, ...developers].some((n) => n !== caller.principal.username);
      if (others && (await modelByKey(tx, input.key)))
        throw new ConflictError(`model '${input.key}' already exists`, { field: 'key' });
      const relations = await resolveNamedModelRelations(tx, ownerName, developers, [], caller.principal);
      const ownerId = relations.find((r) => r.relation === 'owner')!.user_id;
      const row = newModelRow(input, newId(), ownerId, now);
      await insertModel(tx, row);
      await insertModelRelations(tx, row.id, relations);
      const after = toModelView(row, relations);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'model.registered',
        entityType: 'model',
        entityId: row.id,
        modelId: row.id,
        after,
      });
      return this.detail(after);
    };
    return this.db.write(register, { lock: 'audit' });
  }

  /** Updates fields of a model (optimistic concurrency with `ifMatch`). */
  async update(caller: Caller, key: string, patch: ModelUpdate, ifMatch?: number): Promise<ModelDetail> {
    return this.db.write(async (tx) => {
      const row = await this.authorize(caller.principal, key, 'model.update', tx);
      if (row.status === 'retired') throw new ConflictError(`model '${key}' is retired and cannot be edited`);
      this.checkVersion(row, ifMatch);
      const before = await this.view(row, tx);
      const next: ModelsTable = {
        ...row,
        name: patch.name ?? row.name,
        description: patch.description === undefined ? row.description : patch.description,
        purpose: patch.purpose === undefined ? row.purpose : patch.purpose,
        intended_use: patch.intendedUse === undefined ? row.intended_use : patch.intendedUse,
        intended_users: patch.intendedUsers === undefined ? row.intended_users : patch.intendedUsers,
        out_of_scope_uses: patch.outOfScopeUses === undefined ? row.out_of_scope_uses : patch.outOfScopeUses,
        type: patch.type ?? row.type,
        business_unit: patch.businessUnit === undefined ? row.business_unit : patch.businessUnit,
        vendor: patch.vendor === undefined ? row.vendor : patch.vendor ? 1 : 0,
        vendor_name: patch.vendorName === undefined ? row.vendor_name : patch.vendorName,
        genai: patch.genai === undefined ? row.genai : patch.genai ? 1 : 0,
        decision_impact: patch.decisionImpact === undefined ? row.decision_impact : patch.decisionImpact,
        tags: patch.tags === undefined ? row.tags : JSON.stringify([...new Set(patch.tags)]),
        links:
          patch.links === undefined
            ? row.links
            : JSON.stringify({ ...JSON.parse(row.links), ...patch.links }),
        updated_at: this.clock.now().toISOString(),
        row_version: row.row_version + 1,
      };
      if (patch.owner !== undefined || patch.developers !== undefined) {
        if (
          decide(caller.principal, 'model.relations') !== 'allow' &&
          patch.owner !== undefined &&
          patch.owner !== before.owner
        ) {
          throw new ForbiddenError('only governance may change a model owner', { field: 'owner' });
        }
        const relations = await resolveModelRelations(
          tx,
          patch.owner ?? before.owner ?? caller.principal.username,
          patch.developers ?? before.developers,
          before.validators,
        );
        next.owner_id = relations.find((r) => r.relation === 'owner')!.user_id;
        await this.relationsChangingIn(tx, caller.audit, row.id, relations);
        await replaceModelRelations(tx, row.id, relations);
      }
      return this.commitChange(tx, caller.audit, row, next, before, 'model.updated');
    });
  }

  /**
   * Moves a model along its lifecycle. Approved and production need governance, and more than a
   * governance user's word: a final approval (and, for production, the production gate passing
   * now) or a valid recorded exception (the lifecycle guard decides; 409 with `details.rule`
   * otherwise). Retiring ends the model's active deployments.
   */
  async transition(
    caller: Caller,
    key: string,
    to: ModelStatus,
    reason?: string,
    ifMatch?: number,
    versionLabel?: string,
  ): Promise<ModelDetail> {
    return this.db.write(async (tx) => {
      const action: Action =
        to === 'retired' ? 'model.retire' : GATED_STATUSES.has(to) ? 'model.status.gated' : 'model.update';
      // Whether the lifecycle allows the move is said before whether this caller may make it.
      const visible = await this.authorize(caller.principal, key, 'model.read', tx);
      assertTransition(visible.status as ModelStatus, to);
      const row = await this.authorize(caller.principal, key, action, tx);
      this.checkVersion(row, ifMatch);
      let why = reason;
      if (to === 'approved' || to === 'production') {
        const allowed = await this.lifecycleGuard().statusMove(tx, row, to, versionLabel);
        why = reason ? `${reason} (${allowed.basis})` : allowed.basis;
      }
      const moved = await this.move(tx, caller.audit, row, to, why);
      return (await this.withExceptions([moved], tx))[0]!;
    });
  }

  /**
   * Moves a model along its lifecycle inside a write transaction the caller holds, without a
   * permission check: for workflow steps that make the gated move themselves (a final approval
   * moves `validation` to `approved`). The lifecycle rule still applies (409 otherwise). Audited as
   * `model.transitioned` (or `model.retired`) with `reason`.
   */
  async transitionIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    modelId: string,
    to: ModelStatus,
    reason?: string,
  ): Promise<ModelDetail> {
    const row = await modelById(tx, modelId);
    if (!row) throw new NotFoundError('model', modelId);
    assertTransition(row.status as ModelStatus, to);
    return this.move(tx, audit, row, to, reason);
  }

  /** Writes a lifecycle move the caller has checked, audited as `model.transitioned` or `model.retired`. */
  private async move(
    tx: Kysely<Database>,
    audit: AuditContext,
    row: ModelsTable,
    to: ModelStatus,
    reason: string | undefined,
  ): Promise<ModelDetail> {
    // Nothing of a retired model keeps running: its deployments end with it, one event each.
    if (to === 'retired')
      await endActiveDeploymentsIn(
        tx,
        this.clock,
        audit,
        row,
        reason ? `model retired: ${reason}` : 'model retired',
      );
    const before = await this.view(row, tx);
    const now = this.clock.now().toISOString();
    const next: ModelsTable = {
      ...row,
      status: to,
      retired_at: to === 'retired' ? now : row.retired_at,
      updated_at: now,
      row_version: row.row_version + 1,
    };
    return this.commitChange(
      tx,
      audit,
      row,
      next,
      before,
      to === 'retired' ? 'model.retired' : 'model.transitioned',
      reason,
    );
  }

  /** Replaces the owner, developers and validators of a model. */
  async setRelations(
    caller: Caller,
    key: string,
    input: { owner: string; developers: string[]; validators: string[] },
  ): Promise<ModelDetail> {
    return this.db.write(async (tx) => {
      const row = await this.authorize(caller.principal, key, 'model.relations', tx);
      const before = await this.view(row, tx);
      const relations = await resolveModelRelations(tx, input.owner, input.developers, input.validators);
      await this.relationsChangingIn(tx, caller.audit, row.id, relations);
      await replaceModelRelations(tx, row.id, relations);
      const next: ModelsTable = {
        ...row,
        owner_id: relations.find((r) => r.relation === 'owner')!.user_id,
        updated_at: this.clock.now().toISOString(),
        row_version: row.row_version + 1,
      };
      return this.commitChange(tx, caller.audit, row, next, before, 'model.relations_changed');
    });
  }

  /** Sets the tier (and, when given, the EU AI Act class) of a model (called by the workflow's tiering). */
  async setTier(
    tx: Kysely<Database>,
    audit: AuditContext,
    modelId: string,
    tier: number | null,
    euAiActClass?: string | null,
  ): Promise<void> {
    const row = await modelRowById(tx, modelId);
    const before = await this.view(row, tx);
    const next = {
      ...row,
      tier,
      eu_ai_act_class: euAiActClass === undefined ? row.eu_ai_act_class : euAiActClass,
      updated_at: this.clock.now().toISOString(),
      row_version: row.row_version + 1,
    };
    await this.commitChange(tx, audit, row, next, before, 'model.tiered');
  }

  /** A page of the inventory as the caller may see it. */
  async list(
    principal: Principal,
    query: ModelListQuery,
  ): Promise<{ items: ModelListItem[]; nextCursor: string | null }> {
    const deps = {
      detail: (m: Model) => this.detail(m),
      nextReviewDates: this.nextReviewDates,
      guard: this.guard,
    };
    return modelListPage(this.db.kysely, principal, query, deps);
  }

  private checkVersion(row: ModelsTable, ifMatch: number | undefined): void {
    if (ifMatch !== undefined && ifMatch !== row.row_version) {
      const message = `model '${row.key}' was changed by someone else (version ${row.row_version}, you sent ${ifMatch}); reload and retry`;
      throw new ConflictError(message, { rowVersion: row.row_version });
    }
  }

  private async commitChange(
    tx: Kysely<Database>,
    audit: AuditContext,
    row: ModelsTable,
    next: ModelsTable,
    before: Model,
    action: string,
    reason?: string,
  ): Promise<ModelDetail> {
    if (!(await updateModel(tx, next, row.row_version))) {
      throw new ConflictError(`model '${row.key}' was changed concurrently; reload and retry`);
    }
    const after = await this.view(next, tx);
    await appendAuditEvent(tx, this.clock, audit, {
      action,
      entityType: 'model',
      entityId: row.id,
      modelId: row.id,
      before,
      after: reason ? { ...after, reason } : after,
    });
    return this.detail(after);
  }
}
