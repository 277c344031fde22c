import type { CarriedForward, CarryForwardCreate, ReviewState } from '../../contracts/reviews.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ReviewCarryForwardsTable } from '../../platform/db/tables/review-cycles.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { evidenceFactsOf } from '../evidence/evidence.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import { countsForCycle } from './review-cycle-rules.ts';
import { carriedForwardView, insertCarryForward, reviewCycleOf } from './review-cycles.store.ts';
import { TERMINAL_REVIEW_STATES } from './review-rules.ts';
import { reviewRowById } from './reviews.store.ts';

/**
 * Review cycles: a periodic, change or incident review counts only evidence of its own cycle; a
 * validator may carry an earlier piece of evidence forward into it, with a recorded reason.
 */
export class ReviewCyclesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly models: ModelsService,
  ) {}

  /**
   * Carries earlier evidence of the review's version forward into the review, so that it counts
   * for the checklist: by the review's assigned validator, or governance/admin, with a reason.
   * Recorded (who, when, why, which evidence) and audited as `evidence.carried_forward`.
   */
  async carryForward(caller: Caller, reviewId: string, input: CarryForwardCreate): Promise<CarriedForward> {
    return this.db.write(async (tx) => {
      const row = await reviewRowById(tx, reviewId);
      if (!row) throw new NotFoundError('review', reviewId);
      try {
        await this.models.authorize(caller.principal, row.model_key, 'model.read', tx);
      } catch (err) {
        if (err instanceof NotFoundError) throw new NotFoundError('review', reviewId);
        throw err;
      }
      const { principal } = caller;
      if (decide(principal, 'review.carry_forward') !== 'allow')
        throw new ForbiddenError(`${aRole(principal.role)} may not carry evidence forward`, {
          rule: 'carry_forward',
        });
      if (principal.role === 'validator' && row.validator_id !== caller.audit.actor)
        throw new ForbiddenError('only the assigned validator or governance can carry evidence forward', {
          rule: 'carry_forward',
          validator: row.validator_id,
        });
      if (TERMINAL_REVIEW_STATES.has(row.state as ReviewState))
        throw new ConflictError(`a ${row.state} review takes no more evidence`);
      const evidence = await evidenceFactsOf(tx, input.evidenceId);
      if (!evidence || evidence.version_id !== row.version_id)
        throw new ValidationError(
          `evidence '${input.evidenceId}' is not evidence of ${row.model_key}@${row.version_label}`,
          'evidenceId',
        );
      if (evidence.superseded_at !== null)
        throw new ValidationError(`evidence '${input.evidenceId}' is superseded`, 'evidenceId');
      const cycle = await reviewCycleOf(tx, row);
      if (cycle.carried.some((c) => c.evidenceId === evidence.id))
        throw new ConflictError(`evidence '${evidence.id}' is already carried forward into review ${row.id}`);
      if (
        countsForCycle(
          { id: evidence.id, createdAt: evidence.created_at, reviewId: evidence.review_id },
          cycle,
        )
      )
        throw new ValidationError(
          `evidence '${evidence.id}' already counts for review ${row.id} (it belongs to this review cycle)`,
          'evidenceId',
        );
      const record: ReviewCarryForwardsTable = {
        id: newId(),
        review_id: row.id,
        evidence_id: evidence.id,
        carried_by: caller.audit.actor,
        reason: input.reason,
        created_at: this.clock.now().toISOString(),
      };
      await insertCarryForward(tx, record);
      const view = carriedForwardView({ ...record, evidence_type: evidence.type });
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'evidence.carried_forward',
        entityType: 'review_carry_forward',
        entityId: record.id,
        modelId: row.model_id,
        after: view,
      });
      return view;
    });
  }
}
