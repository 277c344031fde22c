import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

// Read model: the portfolio figures the metrics are computed from. It reads across features
// (inventory, reviews, evidence, findings, decisions, risk acceptances) and never writes.

/** Models not retired. */
export function activeModels(k: Kysely<Database>) {
  return k.selectFrom('models').selectAll().where('status', '!=', 'retired').execute();
}

/** How many models are retired. */
export async function retiredModelCount(k: Kysely<Database>): Promise<number> {
  const retired = await k
    .selectFrom('models')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('status', '=', 'retired')
    .executeTakeFirst();
  return Number(retired?.n ?? 0);
}

/** Final decisions with when their review was submitted. */
export function finalDecisionTimes(k: Kysely<Database>) {
  return k
    .selectFrom('decisions')
    .innerJoin('reviews', 'reviews.id', 'decisions.review_id')
    .select(['decisions.id', 'decisions.finalized_at', 'reviews.submitted_at'])
    .where('decisions.state', '=', 'final')
    .execute();
}

/** Reviews that were submitted, with their checklists. */
export function submittedReviews(k: Kysely<Database>) {
  return k
    .selectFrom('reviews')
    .select(['id', 'type', 'version_id', 'checklist_json', 'created_at', 'submitted_at'])
    .where('submitted_at', 'is not', null)
    .execute();
}

/** Every evidence record's type, version, validity and review. */
export function evidenceValidity(k: Kysely<Database>) {
  return k
    .selectFrom('evidence')
    .select(['id', 'version_id', 'type', 'created_at', 'valid_until', 'superseded_at', 'review_id'])
    .execute();
}

/** Evidence carried forward into reviews. */
export function carryForwards(k: Kysely<Database>) {
  return k.selectFrom('review_carry_forwards').select(['review_id', 'evidence_id', 'created_at']).execute();
}

/** Every finding's severity, state and dates. */
export function findingFigures(k: Kysely<Database>) {
  return k
    .selectFrom('findings')
    .select(['severity', 'state', 'due_at', 'created_at', 'closed_at'])
    .execute();
}

/** Unmet conditions of final decisions due before `nowIso`. */
export function overdueConditions(k: Kysely<Database>, nowIso: string) {
  return k
    .selectFrom('decision_conditions')
    .innerJoin('decisions', 'decisions.id', 'decision_conditions.decision_id')
    .select('decision_conditions.id')
    .where('decisions.state', '=', 'final')
    .where('decision_conditions.met_at', 'is', null)
    .where('decision_conditions.due_at', '<', nowIso)
    .execute();
}

/** Risk acceptances with their model's key, soonest expiry first. */
export function acceptanceFigures(k: Kysely<Database>) {
  return k
    .selectFrom('risk_acceptances')
    .innerJoin('models', 'models.id', 'risk_acceptances.model_id')
    .select([
      'risk_acceptances.id',
      'models.key',
      'risk_acceptances.requested_by',
      'risk_acceptances.approved_by',
      'risk_acceptances.rationale',
      'risk_acceptances.state',
      'risk_acceptances.expires_at',
    ])
    .orderBy('risk_acceptances.expires_at')
    .execute();
}

/** Which acceptance covers which finding (acceptance ids only). */
export function acceptanceLinks(k: Kysely<Database>) {
  return k.selectFrom('acceptance_findings').select('acceptance_id').execute();
}
