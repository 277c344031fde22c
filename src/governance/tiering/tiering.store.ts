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

/**
 * The latest effective tiering of a version (`versionId`) or of a model (`modelId`): the one that
 * set the model's tier and class. Pending and rejected re-tierings never count.
 */
export async function latestEffectiveTiering(
  tx: Kysely<Database>,
  of: { versionId: string } | { modelId: string },
): Promise<TieringsTable | undefined> {
  let q = tx.selectFrom('tierings').selectAll().where('status', '=', 'effective');
  q = 'versionId' in of ? q.where('version_id', '=', of.versionId) : q.where('model_id', '=', of.modelId);
  return q.orderBy('assessed_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The EU AI Act classification in force for a model (its latest effective tiering's), or null when untiered. */
export async function classificationOf(
  tx: Kysely<Database>,
  modelId: string,
): Promise<EuClassification | null> {
  const row = await latestEffectiveTiering(tx, { modelId });
  return row ? (JSON.parse(row.eu_json) as EuClassification) : null;
}

/** The approved tier override in force for a model (the latest approved one), if any. */
export async function overrideInForce(
  tx: Kysely<Database>,
  modelId: string,
): Promise<TierOverridesTable | undefined> {
  return tx
    .selectFrom('tier_overrides')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('status', '=', 'approved')
    .orderBy('decided_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
