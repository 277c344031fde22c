import type { Kysely } from 'kysely';
import type { EuClassification } from '../../contracts/policy.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { TieringsTable, TierOverridesTable } from '../../platform/db/tables/workflow-reviews.ts';

// Read model: the tier in force. Other features (decisions, gate, reviews) read a model's tiering
// and override through these, inside their own transaction.

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
