import type { Kysely } from 'kysely';
import type { Condition, Decision, DecisionBinding } from '../../contracts/decisions.ts';
import type { Role } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  DecisionConditionsTable,
  DecisionSignaturesTable,
  DecisionsTable,
} from '../../platform/db/tables/workflow-decisions.ts';
import { type SignOffRequirement, signOffProgress } from './sign-off-rules.ts';

export type DecisionRow = DecisionsTable & { model_key: string; version_label: string };

function decisionQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('decisions')
    .innerJoin('models', 'models.id', 'decisions.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'decisions.version_id')
    .selectAll('decisions')
    .select(['models.key as model_key', 'model_versions.label as version_label']);
}

/** A decision by id, with its model's key and its version's label. */
export function decisionById(tx: Kysely<Database>, id: string): Promise<DecisionRow | undefined> {
  return decisionQuery(tx).where('decisions.id', '=', id).executeTakeFirst();
}

/**
 * A page of decisions, newest first (one row more than `limit`, to tell whether a next page
 * exists): of the `visible` models only (null: all), of one model key and in one state when asked.
 */
export function decisionPage(
  tx: Kysely<Database>,
  q: {
    visible: readonly string[] | null;
    modelKey?: string | undefined;
    state?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<DecisionRow[]> {
  let query = decisionQuery(tx);
  if (q.visible !== null) query = query.where('decisions.model_id', 'in', [...q.visible]);
  if (q.modelKey) query = query.where('models.key', '=', q.modelKey);
  if (q.state) query = query.where('decisions.state', '=', q.state);
  return query
    .orderBy('decisions.created_at', 'desc')
    .orderBy('decisions.id', 'desc')
    .limit(q.limit + 1)
    .offset(q.offset)
    .execute();
}

/** The latest final decision of a version (by finalisation time), if any. */
export function latestFinalDecision(
  tx: Kysely<Database>,
  versionId: string,
): Promise<DecisionRow | undefined> {
  return decisionQuery(tx)
    .where('decisions.version_id', '=', versionId)
    .where('decisions.state', '=', 'final')
    .orderBy('decisions.finalized_at', 'desc')
    .orderBy('decisions.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function conditionView(c: DecisionConditionsTable, now: Date): Condition {
  return {
    id: c.id,
    decisionId: c.decision_id,
    text: c.text,
    owner: c.owner,
    dueAt: c.due_at,
    met: c.met_at !== null,
    metAt: c.met_at,
    metBy: c.met_by,
    overdue: c.met_at === null && Date.parse(c.due_at) < now.getTime(),
    rowVersion: Number(c.row_version),
  };
}

/** The full API view of a decision: signatures, progress, binding and conditions, read in `tx`. */
export async function decisionView(tx: Kysely<Database>, row: DecisionRow, now: Date): Promise<Decision> {
  const signatures = await tx
    .selectFrom('decision_signatures')
    .selectAll()
    .where('decision_id', '=', row.id)
    .orderBy('signed_at')
    .orderBy('signer')
    .execute();
  const conditions = await tx
    .selectFrom('decision_conditions')
    .selectAll()
    .where('decision_id', '=', row.id)
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  const requirements = JSON.parse(row.sign_off_json) as SignOffRequirement[];
  return {
    id: row.id,
    modelKey: row.model_key,
    versionLabel: row.version_label,
    reviewId: row.review_id,
    outcome: row.outcome as Decision['outcome'],
    state: row.state as Decision['state'],
    rationale: row.rationale,
    tier: row.tier === null ? null : Number(row.tier),
    policyVersion: Number(row.policy_version),
    proposedBy: row.proposed_by,
    createdAt: row.created_at,
    finalizedAt: row.finalized_at,
    expiresAt: row.expires_at,
    expired: row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime(),
    signOff: signOffProgress(
      requirements,
      signatures.map((s) => ({ role: s.role as Role })),
    ),
    signatures: signatures.map((s) => ({
      signer: s.signer,
      role: s.role as Role,
      signedAt: s.signed_at,
      note: s.note,
      bindingDigest: s.binding_digest,
    })),
    binding: row.binding_json ? (JSON.parse(row.binding_json) as DecisionBinding) : null,
    conditions: conditions.map((c) => conditionView(c, now)),
    rowVersion: Number(row.row_version),
    voidedAt: row.voided_at ?? null,
    voidedBy: row.voided_by ?? null,
    voidReason: row.void_reason ?? null,
  };
}

/** Writes `patch` to a decision if its row version is still `expected`; false when someone else changed it. */
export async function updateDecision(
  tx: Kysely<Database>,
  id: string,
  patch: Partial<DecisionsTable>,
  expected: number,
): Promise<boolean> {
  const res = await tx
    .updateTable('decisions')
    .set(patch)
    .where('id', '=', id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The pending decision of a review, if any (its id). */
export async function pendingDecisionId(tx: Kysely<Database>, reviewId: string): Promise<string | undefined> {
  const pending = await tx
    .selectFrom('decisions')
    .select('id')
    .where('review_id', '=', reviewId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return pending?.id;
}

/** A new decision and its conditions. */
export async function insertDecision(
  tx: Kysely<Database>,
  row: DecisionsTable,
  conditions: readonly DecisionConditionsTable[],
): Promise<void> {
  await tx.insertInto('decisions').values(row).execute();
  for (const cond of conditions) await tx.insertInto('decision_conditions').values(cond).execute();
}

/** The signatures of a decision. */
export function signaturesOf(tx: Kysely<Database>, decisionId: string) {
  return tx.selectFrom('decision_signatures').selectAll().where('decision_id', '=', decisionId).execute();
}

export async function insertSignature(
  tx: Kysely<Database>,
  signature: DecisionSignaturesTable,
): Promise<void> {
  await tx.insertInto('decision_signatures').values(signature).execute();
}

export function conditionById(
  tx: Kysely<Database>,
  id: string,
): Promise<DecisionConditionsTable | undefined> {
  return tx.selectFrom('decision_conditions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes that a condition was met (met_at, met_by, row version). */
export async function markConditionMet(tx: Kysely<Database>, next: DecisionConditionsTable): Promise<void> {
  await tx
    .updateTable('decision_conditions')
    .set({ met_at: next.met_at, met_by: next.met_by, row_version: next.row_version })
    .where('id', '=', next.id)
    .execute();
}
