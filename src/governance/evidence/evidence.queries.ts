import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

// Read model: what other features check about one evidence record inside their own transaction
// (findings: a suggestion's source evidence, a closure's evidence; reviews: evidence carried forward).

/** The inputs one evidence record names (`role:path sha256:… rows:…` for a pushed validation run), with its model and type. */
export function evidenceInputsOf(tx: Kysely<Database>, evidenceId: string) {
  return tx
    .selectFrom('evidence')
    .select(['id', 'model_id', 'type', 'inputs_json'])
    .where('id', '=', evidenceId)
    .executeTakeFirst();
}

/** The version, model, type, review, supersession and time of one evidence record. */
export function evidenceFactsOf(tx: Kysely<Database>, evidenceId: string) {
  return tx
    .selectFrom('evidence')
    .select(['id', 'version_id', 'model_id', 'type', 'review_id', 'superseded_at', 'created_at'])
    .where('id', '=', evidenceId)
    .executeTakeFirst();
}
