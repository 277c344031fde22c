import type { Kysely } from 'kysely';
import type { Acceptance, AcceptanceCreate } from '../../contracts/findings.ts';
import type { Severity } from '../../contracts/policy.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import { offsetCursor } from '../../platform/db/cursor.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { RiskAcceptancesTable } from '../../platform/db/tables/workflow-decisions.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSeparation } from '../access/duty-steps.ts';
import { visibleModelIds } from '../access/visibility.ts';
import type { FindingsService } from '../findings/findings.service.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ReviewsService } from '../reviews/reviews.service.ts';
import {
  checkAcceptanceApprover,
  checkAcceptanceExpiry,
  checkAcceptanceRenewals,
} from './acceptance-rules.ts';
import {
  type AcceptanceRow,
  acceptanceById,
  acceptanceFindingIds,
  acceptanceView,
  activeAcceptanceExpiries,
  approvedAcceptanceLinks,
  insertAcceptance,
  listAcceptanceRows,
  updateAcceptance,
} from './acceptances.store.ts';

const ACCEPTABLE_STATES = new Set(['open', 'in_remediation', 'ready_for_verification']);

/**
 * Risk acceptances: one or more findings of one model, requested by one person and approved by
 * another whose role the policy allows for the severity, until an expiry the policy caps. On
 * expiry the findings reopen and a review opens.
 */
export class AcceptancesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: PolicyService,
    private readonly models: ModelsService,
    private readonly findings: FindingsService,
    private readonly reviews: ReviewsService,
  ) {}

  /** Requests accepting the residual risk of findings. Audited as `acceptance.requested`. */
  async request(caller: Caller, input: AcceptanceCreate): Promise<Acceptance> {
    const policy = await this.policy.active();
    const now = this.clock.now();
    return this.db.write(async (tx) => {
      const rows = [];
      for (const [i, id] of [...new Set(input.findingIds)].entries()) {
        const f = await this.findings.rowIn(tx, id);
        if (!f) throw new ValidationError(`no finding '${id}'`, `findingIds.${i}`);
        rows.push(f);
      }
      const modelKeys = new Set(rows.map((r) => r.model_key));
      if (modelKeys.size !== 1)
        throw new ValidationError('all findings of an acceptance belong to one model', 'findingIds');
      const model = await this.models.authorize(
        caller.principal,
        rows[0]!.model_key,
        'acceptance.request',
        tx,
      );
      const notOpen = rows.find((r) => !ACCEPTABLE_STATES.has(r.state));
      if (notOpen)
        throw new ConflictError(
          `finding ${notOpen.id} is ${notOpen.state}; only unresolved findings can be accepted`,
        );
      checkAcceptanceExpiry(
        policy.document,
        rows.map((r) => r.severity as Severity),
        new Date(input.expiresAt),
        now,
      );
      checkAcceptanceRenewals(policy.document, await this.renewalFacts(tx, rows));
      const row: RiskAcceptancesTable = {
        id: newId(),
        model_id: model.id,
        rationale: input.rationale,
        state: 'pending',
        requested_by: caller.audit.actor,
        requested_at: now.toISOString(),
        approved_by: null,
        decided_at: null,
        expires_at: new Date(input.expiresAt).toISOString(),
        expired_at: null,
        row_version: 1,
      };
      await insertAcceptance(
        tx,
        row,
        rows.map((f) => f.id),
      );
      const view = await this.view(tx, { ...row, model_key: model.key });
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'acceptance.requested',
        entityType: 'acceptance',
        entityId: row.id,
        modelId: model.id,
        after: view,
      });
      return view;
    });
  }

  /** Approves: not the requester, a role the policy allows; the findings become risk_accepted. */
  async approve(caller: Caller, id: string, note?: string): Promise<Acceptance> {
    const policy = await this.policy.active();
    return this.db.write(async (tx) => {
      const row = await this.readable(caller, id, tx);
      await this.models.authorize(caller.principal, row.model_key, 'acceptance.approve', tx);
      if (row.state !== 'pending') throw new ConflictError(`acceptance ${id} is ${row.state}`);
      await this.assertDecider(tx, row, caller.audit.actor);
      const findings = await this.findingRows(tx, id);
      checkAcceptanceApprover(policy.document, {
        approverRole: caller.principal.role,
        severities: findings.map((f) => f.severity as Severity),
      });
      checkAcceptanceRenewals(policy.document, await this.renewalFacts(tx, findings));
      // The cap is checked again at approval against the policy in force now.
      checkAcceptanceExpiry(
        policy.document,
        findings.map((f) => f.severity as Severity),
        new Date(row.expires_at),
        this.clock.now(),
      );
      for (const f of findings)
        await this.findings.applyIn(tx, caller.audit, f, 'accept_risk', {}, `accepted by ${id}`);
      return this.commit(
        tx,
        caller.audit,
        row,
        { state: 'active', approved_by: caller.audit.actor, decided_at: this.now() },
        'acceptance.approved',
        note,
      );
    });
  }

  /** Rejects a pending acceptance (not by the requester). */
  async reject(caller: Caller, id: string, note?: string): Promise<Acceptance> {
    return this.db.write(async (tx) => {
      const row = await this.readable(caller, id, tx);
      await this.models.authorize(caller.principal, row.model_key, 'acceptance.approve', tx);
      if (row.state !== 'pending') throw new ConflictError(`acceptance ${id} is ${row.state}`);
      await this.assertDecider(tx, row, caller.audit.actor);
      return this.commit(
        tx,
        caller.audit,
        row,
        { state: 'rejected', approved_by: caller.audit.actor, decided_at: this.now() },
        'acceptance.rejected',
        note,
      );
    });
  }

  /**
   * Expires an active acceptance inside `tx` (the scheduler): its findings reopen and an incident
   * review of each affected version opens. Audited as `acceptance.expired`.
   */
  async expireIn(tx: Kysely<Database>, audit: AuditContext, id: string): Promise<void> {
    const row = await this.rowIn(tx, id);
    if (row?.state !== 'active') return;
    const findings = await this.findingRows(tx, id);
    const versions = new Set<string>();
    for (const f of findings) {
      if (f.state !== 'risk_accepted') continue;
      await this.findings.applyIn(tx, audit, f, 'reopen', {}, `risk acceptance ${id} expired`);
      versions.add(f.version_label);
    }
    await this.commit(tx, audit, row, { state: 'expired', expired_at: this.now() }, 'acceptance.expired');
    for (const label of versions)
      await this.reviews.openReviewIn(
        tx,
        { principal: null, audit },
        {
          modelKey: row.model_key,
          versionLabel: label,
          type: 'incident',
          gate: 'production',
          reason: `risk acceptance ${id} expired`,
        },
        { reuseOpen: true },
      );
  }

  /** One acceptance. */
  async get(caller: Caller, id: string): Promise<Acceptance> {
    return this.view(this.db.kysely, await this.readable(caller, id, this.db.kysely));
  }

  /** A page of acceptances the caller may see. */
  async list(
    caller: Caller,
    q: {
      state?: string | undefined;
      modelKey?: string | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<{ items: Acceptance[]; nextCursor: string | null }> {
    const visible = await visibleModelIds(this.db.kysely, caller.principal);
    if (visible !== null && visible.length === 0) return { items: [], nextCursor: null };
    const { offset, next } = offsetCursor(q.cursor, q.limit);
    const rows = await listAcceptanceRows(this.db.kysely, q, visible, offset);
    const items = await Promise.all(rows.slice(0, q.limit).map((r) => this.view(this.db.kysely, r)));
    return { items, nextCursor: rows.length > q.limit ? next : null };
  }

  /** The active acceptance expiry of each finding of a version (the gate). */
  async acceptedUntilIn(tx: Kysely<Database>, findingIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (findingIds.length === 0) return out;
    const rows = await activeAcceptanceExpiries(tx, findingIds);
    for (const r of rows) {
      const prev = out.get(r.finding_id);
      if (!prev || prev < r.expires_at) out.set(r.finding_id, r.expires_at);
    }
    return out;
  }

  private async commit(
    tx: Kysely<Database>,
    audit: AuditContext,
    row: AcceptanceRow,
    patch: Partial<RiskAcceptancesTable>,
    action: string,
    note?: string,
  ): Promise<Acceptance> {
    const before = await this.view(tx, row);
    const next = { ...row, ...patch, row_version: Number(row.row_version) + 1 };
    if (!(await updateAcceptance(tx, next, row.row_version)))
      throw new ConflictError(`acceptance '${row.id}' was changed concurrently; retry`);
    const after = await this.view(tx, next);
    await appendAuditEvent(tx, this.clock, audit, {
      action,
      entityType: 'acceptance',
      entityId: row.id,
      modelId: row.model_id,
      before,
      after: note ? { ...after, note } : after,
    });
    return after;
  }

  /** Separation of duties: the decider is not the requester nor a maker of the model. */
  private async assertDecider(tx: Kysely<Database>, row: AcceptanceRow, person: string): Promise<void> {
    await assertSeparation(tx, row.model_id, { kind: 'approve_acceptance', person }, [
      { kind: 'request_acceptance', person: row.requested_by, live: true, ref: row.id },
    ]);
  }

  /** How many approved acceptances (active or expired) each finding already had. */
  private async renewalFacts(
    tx: Kysely<Database>,
    findings: readonly { id: string; severity: string }[],
  ): Promise<{ id: string; severity: Severity; priorApprovals: number }[]> {
    if (findings.length === 0) return [];
    const rows = await approvedAcceptanceLinks(
      tx,
      findings.map((f) => f.id),
    );
    return findings.map((f) => ({
      id: f.id,
      severity: f.severity as Severity,
      priorApprovals: rows.filter((r) => r.finding_id === f.id).length,
    }));
  }

  private async findingRows(tx: Kysely<Database>, acceptanceId: string) {
    const rows = [];
    for (const findingId of await acceptanceFindingIds(tx, acceptanceId)) {
      const f = await this.findings.rowIn(tx, findingId);
      if (f) rows.push(f);
    }
    return rows;
  }

  private rowIn(tx: Kysely<Database>, id: string): Promise<AcceptanceRow | undefined> {
    return acceptanceById(tx, id);
  }

  private async readable(caller: Caller, id: string, tx: Kysely<Database>): Promise<AcceptanceRow> {
    const row = await this.rowIn(tx, id);
    if (!row) throw new NotFoundError('acceptance', id);
    try {
      await this.models.authorize(caller.principal, row.model_key, 'model.read', tx);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('acceptance', id);
      throw err;
    }
    return row;
  }

  private view(tx: Kysely<Database>, row: AcceptanceRow): Promise<Acceptance> {
    return acceptanceView(tx, row);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
