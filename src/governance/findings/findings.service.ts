import type { Kysely } from 'kysely';
import type {
  Finding,
  FindingCreate,
  FindingEvent,
  FindingListQuery,
  FindingTransition,
} from '../../contracts/findings.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { decide, demandTokenScope } from '../../platform/auth/permissions.ts';
import { aRole } from '../../platform/auth/roles.ts';
import { usernameExists } from '../../platform/auth/users.queries.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { FindingsTable } from '../../platform/db/tables/workflow-decisions.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertSeparation } from '../access/duty-steps.ts';
import { visibleModelIds } from '../access/visibility.ts';
import { evidenceFactsOf } from '../evidence/evidence.queries.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import { reviewStateOf } from '../reviews/reviews.queries.ts';
import {
  checkCategory,
  checkClosureEvidenceDate,
  checkVerification,
  findingDueAt,
  findRepeat,
  nextFindingState,
} from './finding-rules.ts';
import {
  type FindingRow,
  findingById,
  findingBySuggestion,
  findingsOfModel,
  findingsOfVersion,
  findingView,
  insertFinding,
  listFindings,
  updateFinding,
} from './findings.store.ts';

/** Findings: raised against a version (and review), remediated, verified by someone else, or risk-accepted. */
export class FindingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly policy: PolicyService,
    private readonly models: ModelsService,
    private readonly versions: VersionsService,
  ) {}

  /** Raises a finding; the due date comes from the policy's SLA; repeats are linked. Audited. */
  async raise(caller: Caller, key: string, label: string, input: FindingCreate): Promise<Finding> {
    return (await this.raiseOrAdopt(caller, key, label, input)).finding;
  }

  /**
   * `raise`, and for a suggestion adopted a second time the finding it already became
   * (`created: false`, nothing written).
   */
  async raiseOrAdopt(
    caller: Caller,
    key: string,
    label: string,
    input: FindingCreate,
  ): Promise<{ finding: Finding; created: boolean }> {
    const policy = await this.policy.active();
    checkCategory(policy.document, input.category);
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'finding.raise', tx);
      const version = await this.versions.find(model, label, tx);
      if (input.suggestion) {
        const ev = await evidenceFactsOf(tx, input.suggestion.evidenceId);
        if (
          ev?.version_id !== version.id ||
          (ev.type !== 'validation_report' && ev.type !== 'genai_evaluation')
        )
          throw new ValidationError(
            `evidence '${input.suggestion.evidenceId}' is not validation or GenAI evidence of ${key}@${label}`,
            'suggestion.evidenceId',
          );
        const { evidenceId, suggestionId } = input.suggestion;
        const adopted = await findingBySuggestion(tx, evidenceId, suggestionId);
        if (adopted) return { finding: findingView(adopted, this.clock.now()), created: false };
      }
      if (!(await usernameExists(tx, input.owner)))
        throw new ValidationError(`no user '${input.owner}'`, 'owner');
      if (input.reviewId) {
        const review = await reviewStateOf(tx, input.reviewId);
        if (!review || review.version_id !== version.id)
          throw new ValidationError(
            `review '${input.reviewId}' is not a review of ${key}@${label}`,
            'reviewId',
          );
        // A finished review is a record of what its decision saw: a later finding stands on its own.
        if (review.state === 'closed' || review.state === 'withdrawn')
          throw new ValidationError(
            `review '${input.reviewId}' is ${review.state}: log the finding without a review, or in a new review of ${key}@${label}`,
            'reviewId',
          );
      }
      const earlier = await findingsOfModel(tx, model.id);
      let repeatOf: string | null;
      if (input.repeatOf) {
        if (!earlier.some((e) => e.id === input.repeatOf))
          throw new ValidationError(
            `finding '${input.repeatOf}' is not a finding of model '${key}'`,
            'repeatOf',
          );
        repeatOf = input.repeatOf;
      } else {
        repeatOf = findRepeat(
          input,
          earlier.map((e) => ({ ...e, createdAt: e.created_at })),
        );
      }
      const now = this.clock.now();
      const row: FindingsTable = {
        id: newId(),
        model_id: model.id,
        version_id: version.id,
        review_id: input.reviewId ?? null,
        title: input.title,
        description: input.description,
        category: input.category,
        severity: input.severity,
        state: 'open',
        owner: input.owner,
        remediator: null,
        remediation_plan: null,
        due_at: findingDueAt(policy.document, input.severity, now),
        closure_evidence_id: null,
        verified_by: null,
        closed_at: null,
        repeat_of: repeatOf,
        policy_version: policy.version,
        opened_by: caller.audit.actor,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        row_version: 1,
        source_evidence_id: input.suggestion?.evidenceId ?? null,
        source_suggestion_id: input.suggestion?.suggestionId ?? null,
      };
      await insertFinding(tx, row);
      const view = findingView({ ...row, model_key: model.key, version_label: version.label }, now);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'finding.raised',
        entityType: 'finding',
        entityId: row.id,
        modelId: model.id,
        after: view,
      });
      return { finding: view, created: true };
    });
  }

  /** One finding (404 when the caller may not see its model). */
  async get(caller: Caller, id: string): Promise<Finding> {
    return findingView(await this.readable(caller, id, this.db.kysely), this.clock.now());
  }

  /** A page of findings the caller may see. */
  async list(caller: Caller, q: FindingListQuery): Promise<{ items: Finding[]; nextCursor: string | null }> {
    const now = this.clock.now();
    const page = await listFindings(
      this.db.kysely,
      q,
      await visibleModelIds(this.db.kysely, caller.principal),
      now,
    );
    return { items: page.rows.map((r) => findingView(r, now)), nextCursor: page.nextCursor };
  }

  /** Findings of one version, read in `tx` without permission checks (decisions, gate). */
  async forVersionIn(tx: Kysely<Database>, versionId: string): Promise<Finding[]> {
    const rows = await findingsOfVersion(tx, versionId);
    const now = this.clock.now();
    return rows.map((r) => findingView(r, now));
  }

  /** Moves a finding: remediation by the model's makers, verification by someone independent. */
  async transition(caller: Caller, id: string, input: FindingTransition, ifMatch?: number): Promise<Finding> {
    return this.db.write(async (tx) => {
      const row = await this.readable(caller, id, tx);
      const isOwner = row.owner === caller.audit.actor;
      if (isOwner) demandTokenScope(caller.principal, 'finding.remediate'); // the owner shortcut still needs a write token
      if (input.event === 'start_remediation' || input.event === 'submit_for_verification') {
        if (!isOwner) await this.models.authorize(caller.principal, row.model_key, 'finding.remediate', tx);
      } else if (decide(caller.principal, 'finding.verify') !== 'allow') {
        throw new ForbiddenError(`${aRole(caller.principal.role)} may not verify findings`);
      }
      if (ifMatch !== undefined && ifMatch !== Number(row.row_version))
        throw new ConflictError(`finding '${id}' is at row version ${row.row_version}, not ${ifMatch}`);
      const patch: Partial<FindingsTable> = {};
      if (input.event === 'start_remediation') {
        const plan = input.remediationPlan ?? row.remediation_plan;
        if (!plan)
          throw new ValidationError('starting remediation needs a remediationPlan', 'remediationPlan');
        patch.remediation_plan = plan;
        patch.remediator = caller.audit.actor;
      }
      if (input.event === 'submit_for_verification') {
        if (!input.closureEvidenceId)
          throw new ValidationError(
            'submitting for verification needs closureEvidenceId',
            'closureEvidenceId',
          );
        const ev = await evidenceFactsOf(tx, input.closureEvidenceId);
        if (!ev || ev.model_id !== row.model_id || ev.superseded_at !== null)
          throw new ValidationError(
            `evidence '${input.closureEvidenceId}' is not current evidence of model '${row.model_key}'`,
            'closureEvidenceId',
          );
        checkClosureEvidenceDate({ findingCreatedAt: row.created_at, evidenceCreatedAt: ev.created_at });
        patch.closure_evidence_id = input.closureEvidenceId;
        if (!row.remediator) patch.remediator = caller.audit.actor;
        if (input.remediationPlan) patch.remediation_plan = input.remediationPlan;
      }
      if (input.event === 'verify') {
        checkVerification({ closureEvidenceId: row.closure_evidence_id });
        // The verifier is independent of the remediation (or, with none on record, of the finding's
        // owner) and of the model's development, as everyone stands now.
        await assertSeparation(tx, row.model_id, { kind: 'verify_finding', person: caller.audit.actor }, [
          { kind: 'remediate_finding', person: row.remediator ?? row.owner, live: true, ref: row.id },
        ]);
        patch.verified_by = caller.audit.actor;
        patch.closed_at = this.clock.now().toISOString();
      }
      if (input.event === 'reject_verification') patch.closure_evidence_id = null;
      return this.applyIn(tx, caller.audit, row, input.event, patch, input.note);
    });
  }

  /**
   * Applies `event` to a finding inside `tx` without permission checks (risk acceptances use
   * `accept_risk` and `reopen`). Audited as `finding.<event>`.
   */
  async applyIn(
    tx: Kysely<Database>,
    audit: AuditContext,
    row: FindingRow,
    event: FindingEvent,
    patch: Partial<FindingsTable> = {},
    note?: string,
  ): Promise<Finding> {
    const state = nextFindingState(row.state as Finding['state'], event);
    const now = this.clock.now();
    const { model_key, version_label, ...table } = row;
    const next: FindingsTable = {
      ...table,
      ...patch,
      state,
      updated_at: now.toISOString(),
      row_version: Number(row.row_version) + 1,
    };
    await updateFinding(tx, next, Number(row.row_version));
    const after = findingView({ ...next, model_key, version_label }, now);
    await appendAuditEvent(tx, this.clock, audit, {
      action: `finding.${event}`,
      entityType: 'finding',
      entityId: row.id,
      modelId: row.model_id,
      before: findingView(row, now),
      after: note ? { ...after, note } : after,
    });
    return after;
  }

  /** A finding row read in `tx` (no permission check). */
  rowIn(tx: Kysely<Database>, id: string): Promise<FindingRow | undefined> {
    return findingById(tx, id);
  }

  private async readable(caller: Caller, id: string, tx: Kysely<Database>): Promise<FindingRow> {
    const row = await findingById(tx, id);
    if (!row) throw new NotFoundError('finding', id);
    try {
      await this.models.authorize(caller.principal, row.model_key, 'model.read', tx);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('finding', id);
      throw err;
    }
    return row;
  }
}
