import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

// Read model: the scheduler's due work. What may fall due across features (unresolved findings,
// expiring evidence, active risk acceptances, unmet conditions of final decisions); due-jobs.ts turns
// it into jobs. It never writes.

/** Findings not yet resolved, with their due dates. */
export function unresolvedFindings(tx: Kysely<Database>) {
  return tx
    .selectFrom('findings')
    .select(['id', 'state', 'due_at'])
    .where('state', 'in', ['open', 'in_remediation', 'ready_for_verification'])
    .execute();
}

/** Current evidence with an expiry. */
export function expiringEvidence(tx: Kysely<Database>) {
  return tx
    .selectFrom('evidence')
    .select(['id', 'valid_until'])
    .where('superseded_at', 'is', null)
    .where('valid_until', 'is not', null)
    .execute();
}

/** Risk acceptances in force, with their expiry. */
export function activeAcceptances(tx: Kysely<Database>) {
  return tx
    .selectFrom('risk_acceptances')
    .select(['id', 'state', 'expires_at'])
    .where('state', '=', 'active')
    .execute();
}

/** Unmet conditions of final decisions. */
export function unmetConditions(tx: Kysely<Database>) {
  return tx
    .selectFrom('decision_conditions')
    .innerJoin('decisions', 'decisions.id', 'decision_conditions.decision_id')
    .select(['decision_conditions.id', 'decision_conditions.due_at', 'decision_conditions.met_at'])
    .where('decisions.state', '=', 'final')
    .where('decision_conditions.met_at', 'is', null)
    .execute();
}

/** The model of a version (which must exist). */
export async function modelOfVersion(tx: Kysely<Database>, versionId: string): Promise<string> {
  const version = await tx
    .selectFrom('model_versions')
    .select('model_id')
    .where('id', '=', versionId)
    .executeTakeFirstOrThrow();
  return version.model_id;
}

/** The model a flagged record belongs to, if the record still exists. */
export async function modelOfFlagged(
  tx: Kysely<Database>,
  table: 'findings' | 'risk_acceptances' | 'evidence' | 'decision_conditions',
  id: string,
): Promise<string | null> {
  const row = await tx.selectFrom(table).select(['model_id']).where('id', '=', id).executeTakeFirst();
  return row?.model_id ?? null;
}
