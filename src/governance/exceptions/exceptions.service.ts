import type { Kysely } from 'kysely';
import type {
  ExceptionAllowance,
  ExceptionCreate,
  ExceptionListQuery,
  LifecycleException,
} from '../../contracts/exceptions.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import { offsetCursor } from '../../platform/db/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { LifecycleExceptionsTable } from '../../platform/db/tables/lifecycle-exceptions.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSeparation } from '../access/duty-steps.ts';
import { visibleModelIds } from '../access/visibility.ts';
import { deploymentOfModel, versionRowByLabel } from '../inventory/inventory.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import { checkExceptionRequest, type ExceptionFacts, exceptionState } from './exception-rules.ts';
import {
  type ExceptionRow,
  exceptionById,
  exceptionPage,
  insertException,
  updateException,
  validExceptions,
} from './exceptions.store.ts';

/** The rule facts of a stored exception. */
export function exceptionFacts(row: LifecycleExceptionsTable): ExceptionFacts {
  return {
    state: row.state,
    until: row.until,
    allows: JSON.parse(row.allows_json) as ExceptionAllowance[],
    versionId: row.version_id,
    deploymentId: row.deployment_id,
  };
}

/**
 * Lifecycle exceptions: a recorded, bounded permission for a model to be approved or in production
 * (or a version to run in production) without the decision and gate that normally allow it.
 * Requested by one person with a reason and an end date, approved by a second (governance or
 * admin, never the requester nor the model's owner or developers), revocable, and expiring by the
 * clock. Every step is audited.
 */
export class ExceptionsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly models: ModelsService,
  ) {}

  /** Asks for an exception. Audited as `exception.requested`. */
  async request(caller: Caller, input: ExceptionCreate): Promise<LifecycleException> {
    const now = this.clock.now();
    checkExceptionRequest(input, now);
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, input.modelKey, 'exception.request', tx);
      let versionId: string | null = null;
      if (input.versionLabel) {
        const v = await versionRowByLabel(tx, model.id, input.versionLabel);
        if (!v)
          throw new ValidationError(
            `model '${model.key}' has no version '${input.versionLabel}'`,
            'versionLabel',
          );
        versionId = v.id;
      }
      if (input.deploymentId) {
        const d = await deploymentOfModel(tx, model.id, input.deploymentId);
        if (!d)
          throw new ValidationError(
            `model '${model.key}' has no deployment '${input.deploymentId}'`,
            'deploymentId',
          );
        if (d.ended_at) throw new ValidationError(`deployment '${d.id}' has ended`, 'deploymentId');
        if (versionId && d.version_id !== versionId)
          throw new ValidationError('the deployment runs another version than versionLabel', 'deploymentId');
        versionId = d.version_id;
      }
      const row: LifecycleExceptionsTable = {
        id: newId(),
        model_id: model.id,
        version_id: versionId,
        deployment_id: input.deploymentId ?? null,
        allows_json: JSON.stringify([...new Set(input.allows)].sort()),
        reason: input.reason,
        state: 'requested',
        requested_by: caller.audit.actor,
        requested_at: now.toISOString(),
        until: new Date(input.until).toISOString(),
        decided_by: null,
        decided_at: null,
        decision_note: null,
        revoked_by: null,
        revoked_at: null,
        revoke_reason: null,
        row_version: 1,
      };
      await insertException(tx, row);
      const after = await this.viewIn(tx, row.id);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'exception.requested',
        entityType: 'exception',
        entityId: row.id,
        modelId: model.id,
        after,
      });
      return after;
    });
  }

  /** A second person approves: governance or admin, not the requester, not the model's owner or developers. */
  async approve(caller: Caller, id: string, note?: string): Promise<LifecycleException> {
    return this.decide(caller, id, 'approved', note);
  }

  /** Refuses a requested exception. */
  async reject(caller: Caller, id: string, note?: string): Promise<LifecycleException> {
    return this.decide(caller, id, 'rejected', note);
  }

  /** Ends an approved exception before its time, with a reason. Audited as `exception.revoked`. */
  async revoke(caller: Caller, id: string, reason: string): Promise<LifecycleException> {
    return this.db.write(async (tx) => {
      const row = await this.rowFor(caller, id, 'exception.revoke', tx);
      if (row.state !== 'approved')
        throw new ConflictError(`exception ${id} is ${row.state}; only an approved one can be revoked`);
      const now = this.clock.now().toISOString();
      return this.commit(
        tx,
        caller.audit,
        row,
        {
          state: 'revoked',
          revoked_by: caller.audit.actor,
          revoked_at: now,
          revoke_reason: reason,
        },
        'exception.revoked',
      );
    });
  }

  /** One exception, if the caller may see its model. */
  async get(caller: Caller, id: string): Promise<LifecycleException> {
    await this.rowFor(caller, id, 'model.read', this.db.kysely);
    return this.viewIn(this.db.kysely, id);
  }

  /** Exceptions the caller may see, newest first. */
  async list(
    caller: Caller,
    q: ExceptionListQuery,
  ): Promise<{ items: LifecycleException[]; nextCursor: string | null }> {
    const k = this.db.kysely;
    const now = this.clock.now().toISOString();
    const { offset, next } = offsetCursor(q.cursor, q.limit);
    const visible = await visibleModelIds(k, caller.principal);
    if (visible !== null && visible.length === 0) return { items: [], nextCursor: null };
    const rows = await exceptionPage(k, { ...q, visible, nowIso: now, offset });
    const items = rows.slice(0, q.limit).map((r) => this.toView(r));
    return { items, nextCursor: rows.length > q.limit ? next : null };
  }

  /** Approved exceptions of these models that have not expired at the clock's now, read in `tx`. */
  async validIn(tx: Kysely<Database>, modelIds: readonly string[]): Promise<LifecycleExceptionsTable[]> {
    if (modelIds.length === 0) return [];
    return validExceptions(tx, modelIds, this.clock.now().toISOString());
  }

  /** The API view of one exception, read in `tx`. */
  async viewIn(tx: Kysely<Database>, id: string): Promise<LifecycleException> {
    const row = await exceptionById(tx, id);
    if (!row) throw new NotFoundError('exception', id);
    return this.toView(row);
  }

  private toView(r: ExceptionRow): LifecycleException {
    const now = this.clock.now();
    const state = exceptionState(r, now);
    return {
      id: r.id,
      modelKey: r.model_key,
      versionLabel: r.version_label,
      deploymentId: r.deployment_id,
      allows: JSON.parse(r.allows_json) as ExceptionAllowance[],
      reason: r.reason,
      state,
      valid: state === 'approved',
      requestedBy: r.requested_by,
      requestedAt: r.requested_at,
      until: r.until,
      decidedBy: r.decided_by,
      decidedAt: r.decided_at,
      decisionNote: r.decision_note,
      revokedBy: r.revoked_by,
      revokedAt: r.revoked_at,
      revokeReason: r.revoke_reason,
      rowVersion: Number(r.row_version),
    };
  }

  private async decide(
    caller: Caller,
    id: string,
    outcome: 'approved' | 'rejected',
    note: string | undefined,
  ): Promise<LifecycleException> {
    return this.db.write(async (tx) => {
      const row = await this.rowFor(caller, id, 'exception.approve', tx);
      if (row.state !== 'requested')
        throw new ConflictError(`exception ${id} is ${row.state}; it was decided already`);
      const now = this.clock.now();
      if (outcome === 'approved') {
        // A second person, independent of the model: not the requester, not its owner or developers.
        await assertSeparation(tx, row.model_id, { kind: 'approve_exception', person: caller.audit.actor }, [
          { kind: 'request_exception', person: row.requested_by, live: true, ref: row.id },
        ]);
        if (Date.parse(row.until) <= now.getTime())
          throw new ConflictError(
            `exception ${id} ran until ${row.until}, which has passed; ask for a new one`,
            {
              rule: 'exception_expired',
            },
          );
      }
      return this.commit(
        tx,
        caller.audit,
        row,
        {
          state: outcome,
          decided_by: caller.audit.actor,
          decided_at: now.toISOString(),
          decision_note: note ?? null,
        },
        `exception.${outcome}`,
      );
    });
  }

  private async rowFor(
    caller: Caller,
    id: string,
    action: 'model.read' | 'exception.approve' | 'exception.revoke',
    tx: Kysely<Database>,
  ): Promise<ExceptionRow> {
    const row = await exceptionById(tx, id);
    if (!row) throw new NotFoundError('exception', id);
    try {
      await this.models.authorize(caller.principal, row.model_key, action, tx);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('exception', id);
      throw err;
    }
    return row;
  }

  private async commit(
    tx: Kysely<Database>,
    audit: AuditContext,
    row: ExceptionRow,
    patch: Partial<LifecycleExceptionsTable>,
    action: string,
  ): Promise<LifecycleException> {
    const before = this.toView(row);
    if (!(await updateException(tx, row.id, patch, row.row_version)))
      throw new ConflictError(`exception ${row.id} was changed concurrently; retry`);
    const after = await this.viewIn(tx, row.id);
    await appendAuditEvent(tx, this.clock, audit, {
      action,
      entityType: 'exception',
      entityId: row.id,
      modelId: row.model_id,
      before,
      after,
    });
    return after;
  }
}
