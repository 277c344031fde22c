import type { Kysely } from 'kysely';
import type { PolicyDocument } from '../../contracts/policy.ts';
import type { Database } from '../../platform/db/schema.ts';
import { nextPeriodicReview, type PeriodicReviewDue } from './review-schedule.ts';

/** An approved version and when it is next reviewed. */
export interface ScheduledReview extends PeriodicReviewDue {
  modelId: string;
  modelKey: string;
  versionId: string;
  versionLabel: string;
  tier: number | null;
  /** The version's latest final approval. */
  decisionId: string;
  approvedAt: string;
  /** That approval's expiry (approvalValidityMonths), which the gate judges separately. */
  approvalExpiresAt: string | null;
  lastPeriodicReviewAt: string | null;
}

const APPROVALS = ['approve', 'approve_with_conditions'];

/**
 * The periodic review schedule of every approved version that still counts (version not
 * superseded, model not retired), optionally of some models only: one query for the approvals,
 * one for the closed periodic reviews, then the pure rule `nextPeriodicReview` under the policy
 * `policyOf` gives, asked only when there is an approval to schedule (an inventory page of models
 * without approvals reads neither the reviews nor the policy).
 */
export async function periodicReviewSchedule(
  tx: Kysely<Database>,
  policyOf: () => Promise<PolicyDocument>,
  modelIds?: readonly string[],
): Promise<ScheduledReview[]> {
  if (modelIds && modelIds.length === 0) return [];
  let q = tx
    .selectFrom('decisions')
    .innerJoin('model_versions', 'model_versions.id', 'decisions.version_id')
    .innerJoin('models', 'models.id', 'decisions.model_id')
    .select([
      'decisions.id',
      'decisions.version_id',
      'decisions.finalized_at',
      'decisions.expires_at',
      'models.id as model_id',
      'models.key as model_key',
      'models.tier',
      'model_versions.label',
    ])
    .where('decisions.state', '=', 'final')
    .where('decisions.outcome', 'in', APPROVALS)
    .where('decisions.finalized_at', 'is not', null)
    .where('model_versions.status', '!=', 'superseded')
    .where('models.status', '!=', 'retired');
  if (modelIds) q = q.where('models.id', 'in', [...modelIds]);
  const finals = await q.execute();
  const latest = new Map<string, (typeof finals)[number]>();
  for (const d of finals) {
    const prev = latest.get(d.version_id);
    if (!prev || (prev.finalized_at ?? '') < (d.finalized_at ?? '')) latest.set(d.version_id, d);
  }
  if (latest.size === 0) return [];
  const policy = await policyOf();
  const closed = await tx
    .selectFrom('reviews')
    .select(['version_id', (eb) => eb.fn.max('closed_at').as('closed_at')])
    .where('version_id', 'in', [...latest.keys()])
    .where('type', '=', 'periodic')
    .where('state', '=', 'closed')
    .groupBy('version_id')
    .execute();
  const lastPeriodic = new Map(closed.map((r) => [r.version_id, (r.closed_at as string | null) ?? null]));
  return [...latest.values()].map((d) => {
    const tier = d.tier === null ? null : Number(d.tier);
    const facts = {
      approvedAt: d.finalized_at!,
      lastPeriodicReviewAt: lastPeriodic.get(d.version_id) ?? null,
      tier,
    };
    return {
      modelId: d.model_id,
      modelKey: d.model_key,
      versionId: d.version_id,
      versionLabel: d.label,
      tier,
      decisionId: d.id,
      approvedAt: facts.approvedAt,
      approvalExpiresAt: d.expires_at,
      lastPeriodicReviewAt: facts.lastPeriodicReviewAt,
      ...nextPeriodicReview(facts, policy),
    };
  });
}
