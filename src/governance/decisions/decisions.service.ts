import type { Kysely } from 'kysely';
import type { Condition, Decision, DecisionCreate } from '../../contracts/decisions.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { demandTokenScope } from '../../platform/auth/permissions.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { userIdOf } from '../../platform/auth/users.queries.ts';
import type { Clock } from '../../platform/clock.ts';
import { offsetCursor } from '../../platform/db/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { DecisionConditionsTable, DecisionsTable } from '../../platform/db/tables/workflow-decisions.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSeparation, reviewSteps } from '../access/duty-steps.ts';
import { visibleModelIds } from '../access/visibility.ts';
import { modelRowById, modelRowByKeyOrThrow, versionRowById } from '../inventory/inventory.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ReviewsService } from '../reviews/reviews.service.ts';
import { enqueueWebhookEvent } from '../webhooks/webhook-outbox.ts';
import { assertNotProhibited } from './binding-rules.ts';
import { currentBinding } from './decisions.queries.ts';
import {
  conditionById,
  conditionView,
  type DecisionRow,
  decisionById,
  decisionPage,
  decisionView,
  insertDecision,
  insertSignature,
  latestFinalDecision,
  markConditionMet,
  pendingDecisionId,
  signaturesOf,
  updateDecision,
} from './decisions.store.ts';
import {
  addMonths,
  isApproval,
  isDecisionComplete,
  type SignOffRequirement,
  signerViolation,
} from './sign-off-rules.ts';

/**
 * Decisions on a review: proposed by an approver or governance, signed by the people the tier
 * requires (never the model's owner, developers or the review's submitter), final when enough
 * signed. A final approval freezes the version, closes the review and approves the model.
 */
export class DecisionsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: PolicyService,
    private readonly models: ModelsService,
    private readonly versions: VersionsService,
    private readonly reviews: ReviewsService,
  ) {}

  /** Proposes a decision on a review waiting for one. Audited as `decision.proposed`. */
  async propose(caller: Caller, reviewId: string, input: DecisionCreate): Promise<Decision> {
    const conditions = input.conditions ?? [];
    if (input.outcome === 'approve_with_conditions' && conditions.length === 0)
      throw new ValidationError('approve_with_conditions needs at least one condition', 'conditions');
    if (input.outcome !== 'approve_with_conditions' && conditions.length > 0)
      throw new ValidationError('only approve_with_conditions takes conditions', 'conditions');
    const now = this.clock.now();
    conditions.forEach((c, i) => {
      if (Date.parse(c.dueAt) <= now.getTime())
        throw new ValidationError('a condition is due in the future', `conditions.${i}.dueAt`);
    });
    const policy = await this.policy.active();
    return this.db.write(async (tx) => {
      const review = await this.reviews.reviewIn(tx, reviewId).catch(() => null);
      if (!review) throw new NotFoundError('review', reviewId);
      const model = await this.models
        .authorize(caller.principal, review.modelKey, 'decision.propose', tx)
        .catch((err) => {
          throw err instanceof NotFoundError ? new NotFoundError('review', reviewId) : err;
        });
      if (review.state !== 'decision_pending')
        throw new ConflictError(`review ${reviewId} is ${review.state}; a decision needs decision_pending`, {
          state: review.state,
        });
      const pending = await pendingDecisionId(tx, reviewId);
      if (pending !== undefined)
        throw new ConflictError(`decision ${pending} is already pending on this review`, {
          decisionId: pending,
        });
      if (isApproval(input.outcome)) assertNotProhibited(model);
      if (isApproval(input.outcome) && !review.checklist.complete) {
        const missing = review.checklist.items
          .filter((i) => i.status !== 'satisfied')
          .map((i) => i.evidenceType);
        throw new ConflictError(`the checklist is not complete: ${missing.join(', ')}`, {
          rule: 'checklist',
          missing,
        });
      }
      for (const [i, c] of conditions.entries()) {
        if ((await userIdOf(tx, c.owner)) === undefined)
          throw new ValidationError(`no user '${c.owner}'`, `conditions.${i}.owner`);
      }
      const tiers = [...policy.document.tiers].sort((a, b) => a.tier - b.tier);
      const tier = (review.tier === null ? tiers[0] : tiers.find((t) => t.tier === review.tier)) ?? tiers[0]!;
      const version = await this.versions.find(model, review.versionLabel, tx);
      const row: DecisionsTable = {
        id: newId(),
        model_id: model.id,
        version_id: version.id,
        review_id: reviewId,
        outcome: input.outcome,
        state: 'pending',
        rationale: input.rationale,
        tier: review.tier,
        policy_version: policy.version,
        sign_off_json: JSON.stringify(tier.signOff),
        binding_json: null,
        submitted_by: review.submittedBy,
        proposed_by: caller.audit.actor,
        created_at: now.toISOString(),
        finalized_at: null,
        expires_at: null,
        row_version: 1,
      };
      const conds: DecisionConditionsTable[] = [];
      for (const c of conditions) {
        conds.push({
          id: newId(),
          decision_id: row.id,
          model_id: model.id,
          version_id: version.id,
          text: c.text,
          owner: c.owner,
          due_at: new Date(c.dueAt).toISOString(),
          met_at: null,
          met_by: null,
          row_version: 1,
        });
      }
      await insertDecision(tx, row, conds);
      const view = await decisionView(
        tx,
        { ...row, model_key: model.key, version_label: version.label },
        now,
      );
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'decision.proposed',
        entityType: 'decision',
        entityId: row.id,
        modelId: model.id,
        after: view,
      });
      return view;
    });
  }

  /**
   * Signs a pending decision. Refused for the model's owner, developers and the review's submitter,
   * for roles the tier does not require (or already full), and when the version's evidence or open
   * findings changed since the first signature. Audited as `decision.signed`.
   */
  async sign(caller: Caller, id: string, note?: string): Promise<Decision> {
    const policy = await this.policy.active();
    return this.db.write(async (tx) => {
      const row = await this.readable(caller, id, tx);
      await this.models.authorize(caller.principal, row.model_key, 'decision.sign', tx);
      if (row.state !== 'pending')
        throw new ConflictError(`decision ${id} is ${row.state}`, { state: row.state });
      // Separation of duties first: never the model's makers, the submitter or the validator, and
      // everyone who acted before on this review still independent now.
      await assertSeparation(
        tx,
        row.model_id,
        { kind: 'sign_decision', person: caller.audit.actor },
        await reviewSteps(tx, row.review_id),
      );
      const signatures = await signaturesOf(tx, id);
      const requirements = JSON.parse(row.sign_off_json) as SignOffRequirement[];
      const violation = signerViolation({
        signer: caller.audit.actor,
        signerRole: caller.principal.role,
        requirements,
        signatures: signatures.map((s) => ({ signer: s.signer, role: s.role as Role })),
      });
      if (violation)
        throw new ForbiddenError(signerMessage(violation, caller.principal.role), {
          rule: 'sign_off',
          violation,
        });
      if (isApproval(row.outcome)) assertNotProhibited(await modelRowById(tx, row.model_id));
      const version = await versionRowById(tx, row.version_id);
      const binding = await currentBinding(tx, version);
      // The sign-off and checklist were fixed for the review's tier: a riskier tier since needs a new review.
      if (row.tier !== null && binding.tier != null && binding.tier < Number(row.tier))
        throw new ConflictError(
          `the model is Tier ${binding.tier} now, riskier than the Tier ${row.tier} this review was opened at; open a new review`,
          { rule: 'binding_changed', field: 'tier' },
        );
      if (row.binding_json) {
        const first = JSON.parse(row.binding_json) as { digest: string };
        if (first.digest !== binding.digest)
          throw new ConflictError(
            'the version, its tier, tiering or EU AI Act class, its evidence or its open findings changed since the first signature; propose a new decision',
            {
              rule: 'binding_changed',
            },
          );
      }
      const now = this.clock.now();
      const before = await decisionView(tx, row, now);
      await insertSignature(tx, {
        decision_id: id,
        signer: caller.audit.actor,
        role: caller.principal.role,
        signed_at: now.toISOString(),
        note: note ?? null,
        binding_digest: binding.digest,
      });
      const all = [...signatures.map((s) => ({ role: s.role as Role })), { role: caller.principal.role }];
      const complete = isDecisionComplete(row.outcome, requirements, all);
      const tiers = policy.document.tiers;
      const validity =
        tiers.find((t) => t.tier === row.tier)?.approvalValidityMonths ??
        Math.min(...tiers.map((t) => t.approvalValidityMonths));
      const next: DecisionsTable = {
        ...stripJoin(row),
        binding_json: row.binding_json ?? JSON.stringify(binding),
        state: complete ? 'final' : 'pending',
        finalized_at: complete ? now.toISOString() : null,
        expires_at: complete && isApproval(row.outcome) ? addMonths(now, validity).toISOString() : null,
        row_version: Number(row.row_version) + 1,
      };
      await this.update(tx, next, Number(row.row_version));
      const after = await decisionView(
        tx,
        { ...next, model_key: row.model_key, version_label: row.version_label },
        now,
      );
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'decision.signed',
        entityType: 'decision',
        entityId: id,
        modelId: row.model_id,
        before,
        after,
      });
      await enqueueWebhookEvent(tx, this.clock, 'decision.signed', {
        decisionId: id,
        modelKey: row.model_key,
        versionLabel: row.version_label,
        outcome: row.outcome,
        signer: caller.audit.actor,
        final: complete,
      });
      if (complete) await this.finalize(tx, caller.audit, after, version.label);
      return after;
    });
  }

  /** Marks a condition met (the model's makers or governance). Audited. */
  async meetCondition(caller: Caller, id: string, note?: string): Promise<Condition> {
    return this.db.write(async (tx) => {
      const c = await conditionById(tx, id);
      if (!c) throw new NotFoundError('condition', id);
      const model = await modelRowById(tx, c.model_id);
      if (c.owner !== caller.audit.actor)
        await this.models.authorize(caller.principal, model.key, 'condition.meet', tx).catch((err) => {
          throw err instanceof NotFoundError ? new NotFoundError('condition', id) : err;
        });
      else demandTokenScope(caller.principal, 'condition.meet'); // the owner shortcut still needs a write token
      if (c.met_at !== null) throw new ConflictError(`condition ${id} is already met`);
      const now = this.clock.now();
      const next = {
        ...c,
        met_at: now.toISOString(),
        met_by: caller.audit.actor,
        row_version: Number(c.row_version) + 1,
      };
      await markConditionMet(tx, next);
      const after = conditionView(next, now);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'condition.met',
        entityType: 'condition',
        entityId: id,
        modelId: c.model_id,
        before: conditionView(c, now),
        after: note ? { ...after, note } : after,
      });
      return after;
    });
  }

  /** One decision. */
  async get(caller: Caller, id: string): Promise<Decision> {
    return decisionView(this.db.kysely, await this.readable(caller, id, this.db.kysely), this.clock.now());
  }

  /** A page of decisions the caller may see. */
  async list(
    caller: Caller,
    q: {
      modelKey?: string | undefined;
      state?: string | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<{ items: Decision[]; nextCursor: string | null }> {
    const visible = await visibleModelIds(this.db.kysely, caller.principal);
    if (visible !== null && visible.length === 0) return { items: [], nextCursor: null };
    const { offset, next } = offsetCursor(q.cursor, q.limit);
    const rows = await decisionPage(this.db.kysely, { ...q, visible, offset });
    const now = this.clock.now();
    const items = await Promise.all(rows.slice(0, q.limit).map((r) => decisionView(this.db.kysely, r, now)));
    return { items, nextCursor: rows.length > q.limit ? next : null };
  }

  /** The latest final decision of a version, read in `tx` (the gate). */
  async latestFinalIn(tx: Kysely<Database>, versionId: string): Promise<Decision | null> {
    const row = await latestFinalDecision(tx, versionId);
    return row ? decisionView(tx, row, this.clock.now()) : null;
  }

  private async finalize(
    tx: Kysely<Database>,
    audit: AuditContext,
    d: Decision,
    label: string,
  ): Promise<void> {
    const model = await modelRowByKeyOrThrow(tx, d.modelKey);
    if (d.outcome === 'hold') {
      await this.reviews.applyEventIn(tx, audit, d.reviewId, 'return_to_validation');
      return;
    }
    await this.reviews.applyEventIn(
      tx,
      audit,
      d.reviewId,
      'close',
      d.outcome === 'reject' ? 'rejected' : d.outcome,
    );
    if (d.outcome === 'reject') return;
    await this.versions.freezeIn(tx, audit, model, label);
    if (model.status === 'validation') {
      // The lifecycle's gated move, made by the signed decision rather than by a person.
      await this.models.transitionIn(tx, audit, model.id, 'approved', `approved by decision ${d.id}`);
    }
  }

  private async update(tx: Kysely<Database>, next: DecisionsTable, expected: number): Promise<void> {
    const written = await updateDecision(
      tx,
      next.id,
      {
        state: next.state,
        binding_json: next.binding_json,
        finalized_at: next.finalized_at,
        expires_at: next.expires_at,
        row_version: next.row_version,
      },
      expected,
    );
    if (!written) throw new ConflictError(`decision '${next.id}' was changed concurrently; retry`);
  }

  private async readable(caller: Caller, id: string, tx: Kysely<Database>): Promise<DecisionRow> {
    const row = await decisionById(tx, id);
    if (!row) throw new NotFoundError('decision', id);
    try {
      await this.models.authorize(caller.principal, row.model_key, 'model.read', tx);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('decision', id);
      throw err;
    }
    return row;
  }
}

function stripJoin(row: DecisionRow): DecisionsTable {
  const { model_key, version_label, ...table } = row;
  return table;
}

function signerMessage(v: string, role: string): string {
  switch (v) {
    case 'already_signed':
      return 'you have already signed this decision';
    case 'role_full':
      return `enough ${role}s have already signed this decision`;
    default:
      return `the tier does not require a ${role}'s signature`;
  }
}
