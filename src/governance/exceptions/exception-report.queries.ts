import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

// Read model: the portfolio the exception report walks (models, versions, running deployments,
// overdue conditions, lapsed acceptances). It reads across features and never writes.

const UNRESOLVED = ['open', 'in_remediation', 'ready_for_verification', 'risk_accepted'];

/** Every model, by key. */
export function allModels(k: Kysely<Database>) {
  return k.selectFrom('models').selectAll().orderBy('key').execute();
}

/** Every version, newest first. */
export function allVersions(k: Kysely<Database>) {
  return k.selectFrom('model_versions').selectAll().orderBy('created_at', 'desc').execute();
}

/** Deployments not ended, oldest first. */
export function runningDeployments(k: Kysely<Database>) {
  return k
    .selectFrom('deployments')
    .selectAll()
    .where('ended_at', 'is', null)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

/** Unmet conditions of final decisions due before `nowIso`, on models not retired. */
export function overdueConditionsOfLiveModels(k: Kysely<Database>, nowIso: string) {
  return k
    .selectFrom('decision_conditions as c')
    .innerJoin('decisions as d', 'd.id', 'c.decision_id')
    .innerJoin('models as m', 'm.id', 'c.model_id')
    .innerJoin('model_versions as v', 'v.id', 'c.version_id')
    .select(['c.id', 'c.decision_id', 'c.text', 'c.owner', 'c.due_at', 'm.key', 'v.label'])
    .where('d.state', '=', 'final')
    .where('c.met_at', 'is', null)
    .where('c.due_at', '<', nowIso)
    .where('m.status', '!=', 'retired')
    .orderBy('c.due_at')
    .orderBy('c.id')
    .execute();
}

/** Acceptances past expiry (at `nowIso`) whose findings are still not closed, on models not retired. */
export function lapsedAcceptances(k: Kysely<Database>, nowIso: string) {
  return k
    .selectFrom('risk_acceptances as a')
    .innerJoin('models as m', 'm.id', 'a.model_id')
    .select(['a.id', 'a.state', 'a.expires_at', 'a.rationale', 'm.key'])
    .where('a.state', 'in', ['active', 'expired'])
    .where('a.expires_at', '<=', nowIso)
    .where('m.status', '!=', 'retired')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('acceptance_findings as af')
          .innerJoin('findings as f', 'f.id', 'af.finding_id')
          .select('af.finding_id')
          .whereRef('af.acceptance_id', '=', 'a.id')
          .where('f.state', 'in', UNRESOLVED),
      ),
    )
    .orderBy('a.expires_at')
    .orderBy('a.id')
    .execute();
}
