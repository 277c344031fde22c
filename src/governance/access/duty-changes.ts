import type { Kysely } from 'kysely';
import type { AuditContext } from '../../platform/audit/audit-trail.ts';
import type { ModelRelation, Role } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { DecisionWithdrawalService } from '../decisions/decision-withdrawal.service.ts';
import type { ReviewsService } from '../reviews/reviews.service.ts';
import { type RecordedStep, recheckSteps, reviewSteps, type StandingOverride } from './duty-steps.ts';
import type { SodRefusal } from './separation-of-duties.ts';

const LIVE_REVIEW_STATES = ['draft', 'submitted', 'in_validation', 'decision_pending'];
const APPROVALS = ['approve', 'approve_with_conditions'];

/**
 * Separation of duties when relations or roles change. What the gate relies on is protected by
 * refusal; live work is invalidated and redone:
 *
 * - a relation change that would make a signer or the validator of an unexpired final approval,
 *   or the approver of an active risk acceptance, a maker of the model is refused (409 naming the
 *   step): void the decision first (governance, with a reason) if that is really meant;
 * - on a live review, a validator who is no longer independent (a maker of the model now, or no
 *   longer a validator) is unassigned, the review returns to `submitted` and its pending decision
 *   is voided; a pending decision whose signer is no longer independent (or no longer holds the
 *   role they signed in) is voided and the review takes a new one. Each with an audit event.
 *
 * A role change never touches a final decision: the signatures were independent when given and
 * independence is about relations, which a role change does not alter.
 */
export class DutyChangeGuard {
  constructor(
    private readonly clock: Clock,
    private readonly reviews: ReviewsService,
    private readonly withdrawals: DecisionWithdrawalService,
  ) {}

  /** Before `next` replaces the relations of a model: refuse, or invalidate what the change taints. */
  async relationsChanging(
    tx: Kysely<Database>,
    audit: AuditContext,
    modelId: string,
    next: readonly { user_id: string; relation: string }[],
  ): Promise<void> {
    const ids = [...new Set(next.map((r) => r.user_id))];
    const users = ids.length
      ? await tx.selectFrom('users').select(['id', 'username']).where('id', 'in', ids).execute()
      : [];
    const nameOf = new Map(users.map((u) => [u.id, u.username]));
    const relations = new Map<string, ModelRelation[]>();
    for (const r of next) {
      const name = nameOf.get(r.user_id);
      if (name) relations.set(name, [...(relations.get(name) ?? []), r.relation as ModelRelation]);
    }
    const override: StandingOverride = (person, stored) => ({
      role: stored.role,
      relations: relations.get(person) ?? [],
    });
    await this.refuseTaintingFinal(tx, modelId, override);
    const live = await tx
      .selectFrom('reviews')
      .select('id')
      .where('model_id', '=', modelId)
      .where('state', 'in', LIVE_REVIEW_STATES)
      .execute();
    for (const r of live)
      await this.repairReview(tx, audit, modelId, r.id, override, "a change of the model's relations");
  }

  /** Before a user's role changes: invalidate their live validations and pending signatures. */
  async roleChanging(
    tx: Kysely<Database>,
    audit: AuditContext,
    user: { id: string; username: string },
    nextRole: Role,
  ): Promise<void> {
    const override: StandingOverride = (person, stored) =>
      person === user.username ? { role: nextRole, relations: stored.relations } : stored;
    const asValidator = await tx
      .selectFrom('reviews')
      .select(['id', 'model_id'])
      .where('validator_id', '=', user.username)
      .where('state', 'in', LIVE_REVIEW_STATES)
      .execute();
    const asSigner = await tx
      .selectFrom('decision_signatures')
      .innerJoin('decisions', 'decisions.id', 'decision_signatures.decision_id')
      .select(['decisions.review_id as id', 'decisions.model_id'])
      .where('decision_signatures.signer', '=', user.username)
      .where('decisions.state', '=', 'pending')
      .execute();
    const seen = new Set<string>();
    for (const r of [...asValidator, ...asSigner]) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      await this.repairReview(
        tx,
        audit,
        r.model_id,
        r.id,
        override,
        `${user.username}'s role change to ${nextRole}`,
      );
    }
  }

  /** 409 when the change would make a step of an unexpired final approval or an active acceptance non-independent. */
  private async refuseTaintingFinal(
    tx: Kysely<Database>,
    modelId: string,
    override: StandingOverride,
  ): Promise<void> {
    const now = this.clock.now().toISOString();
    const approvals = await tx
      .selectFrom('decisions')
      .select(['id', 'review_id'])
      .where('model_id', '=', modelId)
      .where('state', '=', 'final')
      .where('outcome', 'in', APPROVALS)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    for (const d of approvals) {
      // The steps this approval stands on: the review's submitter and validator and its own signatures.
      const steps = (await reviewSteps(tx, d.review_id)).filter(
        (s) => s.kind !== 'sign_decision' || s.ref === d.id,
      );
      const refusal = await recheckSteps(tx, modelId, steps, override);
      if (refusal) throw tainted(refusal, `final approval ${d.id}`, { decisionId: d.id });
    }
    const acceptances = await tx
      .selectFrom('risk_acceptances')
      .select(['id', 'approved_by'])
      .where('model_id', '=', modelId)
      .where('state', '=', 'active')
      .execute();
    for (const a of acceptances) {
      if (!a.approved_by) continue;
      const steps: RecordedStep[] = [
        { kind: 'approve_acceptance', person: a.approved_by, live: true, ref: a.id },
      ];
      const refusal = await recheckSteps(tx, modelId, steps, override);
      if (refusal) throw tainted(refusal, `active risk acceptance ${a.id}`, { acceptanceId: a.id });
    }
  }

  /**
   * Re-checks a live review with the changed standings and invalidates each broken step until none
   * is left: a validator is unassigned (the review returns to `submitted`, its pending decisions
   * voided); a pending decision with a broken signature is voided.
   */
  private async repairReview(
    tx: Kysely<Database>,
    audit: AuditContext,
    modelId: string,
    reviewId: string,
    override: StandingOverride,
    cause: string,
  ): Promise<void> {
    for (let guard = 0; guard < 50; guard++) {
      const refusal = await recheckSteps(tx, modelId, await reviewSteps(tx, reviewId), override);
      if (!refusal) return;
      const reason = `separation of duties after ${cause}: ${refusal.message}`;
      if (refusal.step === 'validate') {
        const pending = await tx
          .selectFrom('decisions')
          .select('id')
          .where('review_id', '=', reviewId)
          .where('state', '=', 'pending')
          .execute();
        for (const d of pending) await this.withdrawals.voidIn(tx, audit, d.id, reason);
        await this.reviews.invalidateValidationIn(tx, audit, reviewId, reason);
      } else if (refusal.step === 'sign_decision' && refusal.ref) {
        await this.withdrawals.voidIn(tx, audit, refusal.ref, reason);
      } else {
        throw tainted(refusal, `review ${reviewId}`, { reviewId });
      }
    }
    throw new ConflictError(`review ${reviewId} could not be brought back to independence`);
  }
}

function tainted(r: SodRefusal, what: string, extra: Record<string, unknown>): ConflictError {
  const { message, ...details } = r;
  return new ConflictError(
    `separation of duties: this change would make a step of ${what} non-independent (${message}); void or withdraw it first`,
    { ...details, ...extra },
  );
}
