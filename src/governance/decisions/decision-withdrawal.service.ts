import type { Kysely } from 'kysely';
import type { Decision } from '../../contracts/decisions.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide } from '../../platform/auth/permissions.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { ReviewsService } from '../reviews/reviews.service.ts';
import { type DecisionRow, decisionById, decisionView, updateDecision } from './decisions.store.ts';

/**
 * Withdrawing and voiding decisions. Governance (or its proposer) withdraws a pending decision;
 * governance voids a final one. Either way the decision stops counting (the gate reads only final
 * decisions) and its review can take a new one: a closed review returns to `decision_pending`.
 * Separation of duties uses `voidIn` when a relation or role change makes a signer non-independent.
 */
export class DecisionWithdrawalService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly models: ModelsService,
    private readonly reviews: ReviewsService,
  ) {}

  /** Withdraws a pending decision (governance, or its proposer while they may still propose). Audited as `decision.withdrawn`. */
  async withdraw(caller: Caller, id: string, reason: string): Promise<Decision> {
    return this.db.write(async (tx) => {
      const row = await this.readable(caller, id, tx);
      const proposer =
        row.proposed_by === caller.audit.actor && decide(caller.principal, 'decision.propose') === 'allow';
      if (!proposer) await this.models.authorize(caller.principal, row.model_key, 'decision.withdraw', tx);
      if (row.state !== 'pending')
        throw new ConflictError(`decision ${id} is ${row.state}; only a pending decision can be withdrawn`, {
          state: row.state,
        });
      return this.endIn(tx, caller.audit, row, 'withdrawn', reason);
    });
  }

  /**
   * Voids a final decision (governance): it no longer counts for the gate, and the review it closed
   * returns to `decision_pending` for a new decision. Audited as `decision.voided`.
   */
  async voidFinal(caller: Caller, id: string, reason: string): Promise<Decision> {
    return this.db.write(async (tx) => {
      const row = await this.readable(caller, id, tx);
      await this.models.authorize(caller.principal, row.model_key, 'decision.void', tx);
      if (row.state !== 'final')
        throw new ConflictError(
          `decision ${id} is ${row.state}; only a final decision can be voided (withdraw a pending one)`,
          { state: row.state },
        );
      return this.endIn(tx, caller.audit, row, 'voided', reason);
    });
  }

  /** Voids a pending or final decision inside `tx` without permission checks (separation of duties). */
  async voidIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    id: string,
    reason: string,
  ): Promise<Decision | null> {
    const row = await decisionById(tx, id);
    if (!row || (row.state !== 'pending' && row.state !== 'final')) return null;
    return this.endIn(tx, audit, row, 'voided', reason);
  }

  private async endIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    row: DecisionRow,
    state: 'withdrawn' | 'voided',
    reason: string,
  ): Promise<Decision> {
    const now = this.clock.now();
    const before = await decisionView(tx, row, now);
    const wasFinal = row.state === 'final';
    const patch = {
      state,
      voided_at: now.toISOString(),
      voided_by: audit.actor,
      void_reason: reason,
      row_version: Number(row.row_version) + 1,
    };
    if (!(await updateDecision(tx, row.id, patch, Number(row.row_version))))
      throw new ConflictError(`decision '${row.id}' was changed concurrently; retry`);
    const after = await decisionView(tx, { ...row, ...patch }, now);
    await appendAuditEvent(tx, this.clock, audit, {
      action: `decision.${state}`,
      entityType: 'decision',
      entityId: row.id,
      modelId: row.model_id,
      before,
      after: { ...after, reason },
    });
    // A final approval or rejection closed its review: reopen it for a new decision. A final hold
    // already returned its review to validation; a pending decision's review is still waiting.
    if (wasFinal && row.outcome !== 'hold')
      await this.reviews.reopenForDecisionIn(
        tx,
        audit,
        row.review_id,
        `decision ${row.id} ${state}: ${reason}`,
      );
    return after;
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
