import type { Kysely } from 'kysely';
import type { Gate } from '../../contracts/policy.ts';
import type {
  Checklist,
  Review,
  ReviewDetail,
  ReviewEvent,
  ReviewListQuery,
  ReviewType,
} from '../../contracts/reviews.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole, type Principal } from '../../platform/auth/roles.ts';
import { userRoleOf } from '../../platform/auth/users.queries.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ReviewsTable } from '../../platform/db/tables/workflow-reviews.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSeparation, assertStepsHold, reviewSteps } from '../access/duty-steps.ts';
import { visibleModelIds } from '../access/visibility.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import { modelRowByKey } from '../inventory/inventory.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { classificationOf } from '../tiering/tiering.queries.ts';
import { enqueueWebhookEvent } from '../webhooks/webhook-outbox.ts';
import { reviewCycleOf } from './review-cycles.store.ts';
import { type ChecklistDocuments, checklistFor, checklistStatus, nextReviewState } from './review-rules.ts';
import {
  insertReview,
  listReviewRows,
  openReviewRows,
  type ReviewRow,
  reviewRowById,
  reviewView,
  updateReviewRow,
} from './reviews.store.ts';

/** A caller, or the system (scheduler, hooks) when `principal` is null: system calls skip permission checks. */
export interface WorkflowCaller {
  principal: Principal | null;
  audit: AuditContext;
}

/** What opens a review. */
export interface OpenReviewInput {
  modelKey: string;
  versionLabel: string;
  type: ReviewType;
  gate: Gate;
  reason?: string | undefined;
}

/** How structured documents of a version stand for a tier (set by the composition root from the documentation module). */
export type DocumentStandingSource = (
  tx: Kysely<Database>,
  versionId: string,
  tier: number | null,
) => Promise<ChecklistDocuments>;

/** Reviews: open, submit, assign an independent validator, move through states; checklists derived live. */
export class ReviewsService {
  private documentStanding: DocumentStandingSource | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: PolicyService,
    private readonly models: ModelsService,
    private readonly versions: VersionsService,
    private readonly evidence: EvidenceService,
  ) {}

  /**
   * Opens a review of a version (in its own transaction). With `reuseOpen`, an already open review
   * of the same version, type and gate is returned instead of a conflict (the scheduler and hooks
   * use it so that a trigger never opens two).
   */
  async openReview(
    caller: WorkflowCaller,
    input: OpenReviewInput,
    options: { reuseOpen?: boolean } = {},
  ): Promise<{ review: Review; created: boolean }> {
    return this.db.write((tx) => this.openReviewIn(tx, caller, input, options));
  }

  /**
   * `openReview` inside a transaction the caller already holds (the scheduler, an acceptance
   * expiry). Queues the `review.opened` webhook event when it creates a review.
   */
  async openReviewIn(
    tx: Kysely<Database>,
    caller: WorkflowCaller,
    input: OpenReviewInput,
    options: { reuseOpen?: boolean } = {},
  ): Promise<{ review: Review; created: boolean }> {
    const model = caller.principal
      ? await this.models.authorize(caller.principal, input.modelKey, 'review.open', tx)
      : await modelRowByKey(tx, input.modelKey);
    if (!model) throw new NotFoundError('model', input.modelKey);
    if (model.status === 'retired') throw new ConflictError(`model '${model.key}' is retired`);
    const version = await this.versions.find(model, input.versionLabel, tx);
    const open = (await openReviewRows(tx, version.id)).find(
      (r) => r.type === input.type && r.gate === input.gate,
    );
    if (open) {
      if (options.reuseOpen) return { review: reviewView(open), created: false };
      throw new ConflictError(
        `review ${open.id} (${open.type}, ${open.gate}) is already open for ${model.key}@${version.label}`,
        {
          reviewId: open.id,
        },
      );
    }
    const policy = await this.policy.active(tx);
    const tier = model.tier === null ? null : Number(model.tier);
    const now = this.clock.now().toISOString();
    const row: ReviewsTable = {
      id: newId(),
      model_id: model.id,
      version_id: version.id,
      type: input.type,
      gate: input.gate,
      state: 'draft',
      reason: input.reason ?? null,
      tier,
      policy_version: policy.version,
      checklist_json: JSON.stringify(
        checklistFor(policy.document, tier, input.gate, await classificationOf(tx, model.id)),
      ),
      opened_by: caller.audit.actor,
      submitted_by: null,
      validator_id: null,
      outcome: null,
      created_at: now,
      updated_at: now,
      submitted_at: null,
      closed_at: null,
      row_version: 1,
    };
    await insertReview(tx, row);
    const view = reviewView({ ...row, model_key: model.key, version_label: version.label });
    await appendAuditEvent(tx, this.clock, caller.audit, {
      action: 'review.opened',
      entityType: 'review',
      entityId: row.id,
      modelId: model.id,
      after: view,
    });
    // Every path that opens a review (a user, the scheduler, an acceptance expiry, a material
    // change) comes through here, so `review.opened` is sent exactly once per review, and only
    // if the review commits (outbox in the same transaction).
    await enqueueWebhookEvent(tx, this.clock, 'review.opened', {
      reviewId: view.id,
      modelKey: model.key,
      versionLabel: version.label,
      type: view.type,
      gate: view.gate,
      openedBy: view.openedBy,
      reason: view.reason,
    });
    return { review: view, created: true };
  }

  /** Lets model cards and datasheets count for the model_card / data_sheet items only when they pass. */
  setDocumentStanding(source: DocumentStandingSource): void {
    this.documentStanding = source;
  }

  /** A review with its checklist. */
  async getReview(caller: Caller, id: string): Promise<ReviewDetail> {
    const row = await this.readable(caller.principal, id);
    return { ...reviewView(row), checklist: await this.checklistOf(row) };
  }

  /** The checklist of a review, derived from current evidence and the clock. */
  async checklist(caller: Caller, id: string): Promise<Checklist> {
    return this.checklistOf(await this.readable(caller.principal, id));
  }

  /** A review and its checklist read inside `tx`, without permission checks (for W2's decisions and gate). */
  async reviewIn(tx: Kysely<Database>, id: string): Promise<ReviewDetail> {
    const row = await reviewRowById(tx, id);
    if (!row) throw new NotFoundError('review', id);
    return { ...reviewView(row), checklist: await this.checklistOf(row, tx) };
  }

  /** A page of reviews the caller may see. */
  async list(
    caller: Caller,
    query: ReviewListQuery,
  ): Promise<{ items: Review[]; nextCursor: string | null }> {
    const visible = await visibleModelIds(this.db.kysely, caller.principal);
    const page = await listReviewRows(this.db.kysely, query, visible);
    return { items: page.rows.map(reviewView), nextCursor: page.nextCursor };
  }

  /** Submits a draft review. The submitter must not be its assigned validator. */
  async submit(caller: Caller, id: string, ifMatch?: number): Promise<Review> {
    return this.change(
      caller,
      id,
      ifMatch,
      'review.submit',
      async (row, tx) => {
        // The submitter is never the review's validator, and the validator stays independent.
        await assertSeparation(
          tx,
          row.model_id,
          { kind: 'submit_review', person: caller.audit.actor },
          await reviewSteps(tx, row.id),
        );
        return {
          state: nextReviewState(row.state as Review['state'], 'submit'),
          submitted_by: caller.audit.actor,
          submitted_at: this.now(),
        };
      },
      'review.submitted',
    );
  }

  /** Assigns a validator, who must have the validator role and be independent of the model and the submitter. */
  async assignValidator(caller: Caller, id: string, validator: string, ifMatch?: number): Promise<Review> {
    return this.change(
      caller,
      id,
      ifMatch,
      'review.assign',
      async (row, tx) => {
        if (row.state === 'closed' || row.state === 'withdrawn')
          throw new ConflictError(`a ${row.state} review cannot be reassigned`);
        const user = await userRoleOf(tx, validator);
        if (!user) throw new ValidationError(`no user '${validator}'`, 'validator');
        if (user.role !== 'validator')
          throw new ValidationError(`'${validator}' does not have the validator role`, 'validator');
        // The validator being replaced no longer carries the review (but stays in its history).
        const earlier = (await reviewSteps(tx, row.id)).map((s) =>
          s.kind === 'validate' && s.person === row.validator_id ? { ...s, live: false } : s,
        );
        await assertSeparation(tx, row.model_id, { kind: 'validate', person: validator }, earlier);
        return { validator_id: validator };
      },
      'review.validator_assigned',
    );
  }

  /** start_validation, request_decision, return_to_validation or withdraw. */
  async transition(
    caller: Caller,
    id: string,
    event: Exclude<ReviewEvent, 'submit' | 'close'>,
    ifMatch?: number,
    note?: string,
  ): Promise<Review> {
    const action = event === 'withdraw' ? 'review.submit' : 'review.manage';
    return this.change(
      caller,
      id,
      ifMatch,
      action,
      async (row, tx) => {
        const next = nextReviewState(row.state as Review['state'], event);
        if (event !== 'withdraw') {
          if (row.validator_id === null)
            throw new ConflictError('assign a validator first', { rule: 'validator_required' });
          const steward = caller.principal.role === 'admin' || caller.principal.role === 'governance';
          if (!steward && row.validator_id !== caller.audit.actor)
            throw new ForbiddenError('only the assigned validator or governance can move validation on');
          // Every validation step re-checks the validator (and everyone before) as they stand now.
          const earlier = await reviewSteps(tx, row.id);
          if (row.validator_id === caller.audit.actor)
            await assertSeparation(
              tx,
              row.model_id,
              { kind: 'validate', person: caller.audit.actor },
              earlier,
            );
          else await assertStepsHold(tx, row.model_id, earlier);
        }
        return {
          state: next,
          ...(next === 'withdrawn' ? { closed_at: this.now(), outcome: 'withdrawn' } : {}),
        };
      },
      `review.${event}`,
      note,
    );
  }

  /**
   * Applies a state event inside `tx` without permission checks, for W2's decisions (`close` with the
   * decision outcome; `return_to_validation` on hold). Audited as `review.<event>`.
   */
  async applyEventIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    id: string,
    event: ReviewEvent,
    outcome?: string,
  ): Promise<Review> {
    const row = await reviewRowById(tx, id);
    if (!row) throw new NotFoundError('review', id);
    const state = nextReviewState(row.state as Review['state'], event);
    const terminal = state === 'closed' || state === 'withdrawn';
    return this.commit(
      tx,
      audit,
      row,
      { state, ...(terminal ? { closed_at: this.now(), outcome: outcome ?? state } : {}) },
      `review.${event}`,
    );
  }

  /**
   * Separation of duties: the validator no longer counts (a relation or role change made them
   * non-independent). The validator is unassigned and validation starts again from `submitted`.
   * Audited as `review.validation_invalidated` with the reason. Outside the state machine on purpose:
   * it is a control's correction, not a step of the workflow.
   */
  async invalidateValidationIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    id: string,
    reason: string,
  ): Promise<Review | null> {
    const row = await reviewRowById(tx, id);
    if (!row || row.state === 'closed' || row.state === 'withdrawn') return null;
    const back = row.state === 'in_validation' || row.state === 'decision_pending';
    return this.commit(
      tx,
      audit,
      row,
      { validator_id: null, ...(back ? { state: 'submitted' } : {}) },
      'review.validation_invalidated',
      reason,
    );
  }

  /**
   * A voided final decision closed this review: the review returns to `decision_pending` so a new
   * decision can be proposed, unless another review of the same version, type and gate is open
   * (that one takes the new decision). Audited as `review.reopened`.
   */
  async reopenForDecisionIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    id: string,
    reason: string,
  ): Promise<Review | null> {
    const row = await reviewRowById(tx, id);
    if (row?.state !== 'closed') return null;
    const open = (await openReviewRows(tx, row.version_id)).find(
      (r) => r.type === row.type && r.gate === row.gate,
    );
    if (open) return null;
    return this.commit(
      tx,
      audit,
      row,
      { state: 'decision_pending', closed_at: null, outcome: null },
      'review.reopened',
      reason,
    );
  }

  private async change(
    caller: Caller,
    id: string,
    ifMatch: number | undefined,
    action: 'review.submit' | 'review.assign' | 'review.manage',
    mutate: (row: ReviewRow, tx: Kysely<Database>) => Promise<Partial<ReviewsTable>>,
    auditAction: string,
    note?: string,
  ): Promise<Review> {
    return this.db.write(async (tx) => {
      const row = await this.readable(caller.principal, id, tx);
      if (action === 'review.manage' || action === 'review.assign') {
        if (decide(caller.principal, action) !== 'allow')
          throw new ForbiddenError(`${aRole(caller.principal.role)} may not do ${action}`);
      } else {
        await this.models.authorize(caller.principal, row.model_key, action, tx);
      }
      if (ifMatch !== undefined && ifMatch !== Number(row.row_version))
        throw new ConflictError(`review '${id}' is at row version ${row.row_version}, not ${ifMatch}`);
      return this.commit(tx, caller.audit, row, await mutate(row, tx), auditAction, note);
    });
  }

  private async commit(
    tx: Kysely<Database>,
    audit: AuditContext,
    row: ReviewRow,
    patch: Partial<ReviewsTable>,
    action: string,
    note?: string,
  ): Promise<Review> {
    const { model_key, version_label, ...table } = row;
    const next: ReviewsTable = {
      ...table,
      ...patch,
      updated_at: this.now(),
      row_version: Number(row.row_version) + 1,
    };
    if (!(await updateReviewRow(tx, next, Number(row.row_version))))
      throw new ConflictError(`review '${row.id}' was changed concurrently; reload and retry`);
    const after = reviewView({ ...next, model_key, version_label });
    await appendAuditEvent(tx, this.clock, audit, {
      action,
      entityType: 'review',
      entityId: row.id,
      modelId: row.model_id,
      before: reviewView(row),
      after: note ? { ...after, note } : after,
    });
    return after;
  }

  private async checklistOf(row: ReviewRow, tx: Kysely<Database> = this.db.kysely): Promise<Checklist> {
    const required = JSON.parse(row.checklist_json) as Checklist['items'][number]['evidenceType'][];
    const now = this.clock.now();
    const evidence = await this.evidence.currentForVersion(row.version_id, tx);
    const tier = row.tier === null ? null : Number(row.tier);
    const documents = this.documentStanding ? await this.documentStanding(tx, row.version_id, tier) : {};
    // Only evidence of this review's cycle counts (fresh, named for it, or carried forward).
    const cycle = await reviewCycleOf(tx, row);
    const items = checklistStatus(required, evidence, now, documents, cycle);
    return {
      gate: row.gate as Gate,
      tier: row.tier === null ? null : Number(row.tier),
      policyVersion: Number(row.policy_version),
      cycleStartsAt: cycle.startsAt,
      complete: items.every((i) => i.status === 'satisfied'),
      items,
      evaluatedAt: now.toISOString(),
    };
  }

  private async readable(
    principal: Principal,
    id: string,
    tx: Kysely<Database> = this.db.kysely,
  ): Promise<ReviewRow> {
    const row = await reviewRowById(tx, id);
    if (!row) throw new NotFoundError('review', id);
    try {
      await this.models.authorize(principal, row.model_key, 'model.read', tx);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('review', id);
      throw err;
    }
    return row;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
