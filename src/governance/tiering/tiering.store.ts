import type { Kysely } from 'kysely';
import type { EuAiActAnswers, EuClassification, Tiering, TierOverride } from '../../contracts/policy.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { TieringsTable, TierOverridesTable } from '../../platform/db/tables/workflow-reviews.ts';
import { answersFromClassification } from './eu-obligations.ts';

/** The EU AI Act answers a tiering was classified from (derived for rows older than migration 0033). */
export function tieringAnswers(row: TieringsTable): EuAiActAnswers {
  if (row.eu_answers_json) return JSON.parse(row.eu_answers_json) as EuAiActAnswers;
  return answersFromClassification(JSON.parse(row.eu_json) as EuClassification);
}

/** The API view of a tiering row. */
export function tieringView(row: TieringsTable, modelKey: string, versionLabel: string): Tiering {
  const rationale = JSON.parse(row.rationale_json) as {
    items: Tiering['rationale'];
    summary: string;
    maxScore: number;
  };
  return {
    id: row.id,
    modelKey,
    versionLabel,
    policyVersion: Number(row.policy_version),
    answers: JSON.parse(row.answers_json) as Record<string, string>,
    score: Number(row.score),
    maxScore: rationale.maxScore,
    computedTier: Number(row.computed_tier),
    rationale: rationale.items,
    summary: rationale.summary,
    euAiAct: JSON.parse(row.eu_json) as EuClassification,
    euAiActAnswers: tieringAnswers(row),
    assessedBy: row.assessed_by,
    assessedAt: row.assessed_at,
    status: row.status as Tiering['status'],
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    rowVersion: Number(row.row_version),
  };
}

/** The API view of a tier override row. */
export function overrideView(row: TierOverridesTable, modelKey: string): TierOverride {
  return {
    id: row.id,
    modelKey,
    tieringId: row.tiering_id,
    fromTier: Number(row.from_tier),
    toTier: Number(row.to_tier),
    justification: row.justification,
    status: row.status as TierOverride['status'],
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    carriedToTieringId: row.carried_to_tiering_id ?? null,
    supersededByTieringId: row.superseded_by_tiering_id ?? null,
    supersededAt: row.superseded_at ?? null,
    rowVersion: Number(row.row_version),
  };
}

export async function insertTiering(tx: Kysely<Database>, row: TieringsTable): Promise<void> {
  await tx.insertInto('tierings').values(row).execute();
}

export function tieringById(tx: Kysely<Database>, id: string): Promise<TieringsTable | undefined> {
  return tx.selectFrom('tierings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every tiering of a model with its version's label, newest first. */
export function tieringHistory(tx: Kysely<Database>, modelId: string) {
  return tx
    .selectFrom('tierings')
    .innerJoin('model_versions', 'model_versions.id', 'tierings.version_id')
    .selectAll('tierings')
    .select('model_versions.label')
    .where('tierings.model_id', '=', modelId)
    .orderBy('tierings.assessed_at', 'desc')
    .orderBy('tierings.id', 'desc')
    .execute();
}

/** The pending tier override of a model, if any (its id). */
export async function pendingOverrideId(tx: Kysely<Database>, modelId: string): Promise<string | undefined> {
  const pending = await tx
    .selectFrom('tier_overrides')
    .select('id')
    .where('model_id', '=', modelId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return pending?.id;
}

export async function insertOverride(tx: Kysely<Database>, row: TierOverridesTable): Promise<void> {
  await tx.insertInto('tier_overrides').values(row).execute();
}

export function overrideById(tx: Kysely<Database>, id: string): Promise<TierOverridesTable | undefined> {
  return tx.selectFrom('tier_overrides').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes the decision on an override if its row version is still `expected`; false otherwise. */
export async function decideOverride(
  tx: Kysely<Database>,
  next: TierOverridesTable,
  expected: number,
): Promise<boolean> {
  const updated = await tx
    .updateTable('tier_overrides')
    .set({
      status: next.status,
      decided_by: next.decided_by,
      decided_at: next.decided_at,
      decision_note: next.decision_note,
      row_version: next.row_version,
    })
    .where('id', '=', next.id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** The overrides of a model, newest request first. */
export function overridesOf(tx: Kysely<Database>, modelId: string): Promise<TierOverridesTable[]> {
  return tx
    .selectFrom('tier_overrides')
    .selectAll()
    .where('model_id', '=', modelId)
    .orderBy('requested_at', 'desc')
    .execute();
}
