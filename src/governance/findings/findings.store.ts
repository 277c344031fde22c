import type { Kysely } from 'kysely';
import type { Finding, FindingListQuery } from '../../contracts/findings.ts';
import type { Severity } from '../../contracts/policy.ts';
import { offsetCursor } from '../../platform/db/cursor.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { FindingsTable } from '../../platform/db/tables/workflow-decisions.ts';
import { ConflictError } from '../../platform/errors.ts';
import { isFindingOverdue } from './finding-rules.ts';

/** A finding row with its model key and version label. */
export type FindingRow = FindingsTable & { model_key: string; version_label: string };

/** The API view of a finding at `now` (overdue derived). */
export function findingView(r: FindingRow, now: Date): Finding {
  return {
    id: r.id,
    modelKey: r.model_key,
    versionLabel: r.version_label,
    reviewId: r.review_id,
    title: r.title,
    description: r.description,
    category: r.category,
    severity: r.severity as Severity,
    state: r.state as Finding['state'],
    owner: r.owner,
    remediator: r.remediator,
    remediationPlan: r.remediation_plan,
    dueAt: r.due_at,
    overdue: isFindingOverdue({ state: r.state, dueAt: r.due_at }, now),
    closureEvidenceId: r.closure_evidence_id,
    verifiedBy: r.verified_by,
    closedAt: r.closed_at,
    repeatOf: r.repeat_of,
    policyVersion: Number(r.policy_version),
    openedBy: r.opened_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    rowVersion: Number(r.row_version),
    adoptedFrom:
      r.source_evidence_id && r.source_suggestion_id
        ? { evidenceId: r.source_evidence_id, suggestionId: r.source_suggestion_id }
        : null,
  };
}

/** Findings joined with their model key and version label. */
function findingQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('findings')
    .innerJoin('models', 'models.id', 'findings.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'findings.version_id')
    .selectAll('findings')
    .select(['models.key as model_key', 'model_versions.label as version_label']);
}

export function findingById(tx: Kysely<Database>, id: string): Promise<FindingRow | undefined> {
  return findingQuery(tx).where('findings.id', '=', id).executeTakeFirst();
}

/** The finding adopted from one suggestion of an evidence item, if any. */
export function findingBySuggestion(
  tx: Kysely<Database>,
  evidenceId: string,
  suggestionId: string,
): Promise<FindingRow | undefined> {
  return findingQuery(tx)
    .where('findings.source_evidence_id', '=', evidenceId)
    .where('findings.source_suggestion_id', '=', suggestionId)
    .executeTakeFirst();
}

/** The findings of a version. */
export function findingsOfVersion(tx: Kysely<Database>, versionId: string): Promise<FindingRow[]> {
  return findingQuery(tx).where('findings.version_id', '=', versionId).execute();
}

/** Writes a changed finding if nobody changed it since `expected`. */
export async function updateFinding(
  tx: Kysely<Database>,
  row: FindingsTable,
  expected: number,
): Promise<void> {
  const res = await tx
    .updateTable('findings')
    .set({
      state: row.state,
      remediator: row.remediator,
      remediation_plan: row.remediation_plan,
      closure_evidence_id: row.closure_evidence_id,
      verified_by: row.verified_by,
      closed_at: row.closed_at,
      updated_at: row.updated_at,
      row_version: row.row_version,
    })
    .where('id', '=', row.id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1)
    throw new ConflictError(`finding '${row.id}' was changed concurrently; reload and retry`);
}

/** A page of findings (newest first) among `visible` models (null: all). */
export async function listFindings(
  tx: Kysely<Database>,
  q: FindingListQuery,
  visible: readonly string[] | null,
  now: Date,
): Promise<{ rows: FindingRow[]; nextCursor: string | null }> {
  if (visible !== null && visible.length === 0) return { rows: [], nextCursor: null };
  let query = findingQuery(tx);
  if (visible !== null) query = query.where('findings.model_id', 'in', visible);
  if (q.modelKey) query = query.where('models.key', '=', q.modelKey);
  if (q.state) query = query.where('findings.state', '=', q.state);
  if (q.severity) query = query.where('findings.severity', '=', q.severity);
  if (q.overdue === 'true')
    query = query
      .where('findings.state', 'in', ['open', 'in_remediation', 'ready_for_verification'])
      .where('findings.due_at', '<', now.toISOString());
  const { offset, next } = offsetCursor(q.cursor, q.limit);
  const rows = await query
    .orderBy('findings.created_at', 'desc')
    .orderBy('findings.id', 'desc')
    .limit(q.limit + 1)
    .offset(offset)
    .execute();
  return { rows: rows.slice(0, q.limit), nextCursor: rows.length > q.limit ? next : null };
}

export async function insertFinding(tx: Kysely<Database>, row: FindingsTable): Promise<void> {
  await tx.insertInto('findings').values(row).execute();
}

/** Every finding of a model (id, category, title, time): what a new finding may repeat. */
export function findingsOfModel(tx: Kysely<Database>, modelId: string) {
  return tx
    .selectFrom('findings')
    .select(['id', 'category', 'title', 'created_at'])
    .where('model_id', '=', modelId)
    .execute();
}
