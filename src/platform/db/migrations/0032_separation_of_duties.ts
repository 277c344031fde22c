import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Separation of duties (issue 12): decisions can be withdrawn or voided (who, when, why); policy
 * versions are proposed and approved by a second person (state, decider, the version a proposal
 * was based on); a finding adopted from a validation run's suggestion remembers which, so adopting
 * it twice finds the first (unique per evidence and suggestion).
 */
export const separationOfDutiesMigration: Migration = {
  name: '0032_separation_of_duties',
  async up(db) {
    for (const column of ['voided_at', 'voided_by', 'void_reason'])
      await db.schema.alterTable('decisions').addColumn(column, 'text').execute();

    // Every version stored before this migration was in force when it was stored: approved.
    await db.schema
      .alterTable('policy_versions')
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('approved'))
      .execute();
    for (const column of ['decided_by', 'decided_at', 'decision_note'])
      await db.schema.alterTable('policy_versions').addColumn(column, 'text').execute();
    await db.schema.alterTable('policy_versions').addColumn('base_version', 'integer').execute();
    await sql`update policy_versions set decided_by = created_by, decided_at = created_at`.execute(db);

    for (const column of ['source_evidence_id', 'source_suggestion_id'])
      await db.schema.alterTable('findings').addColumn(column, 'text').execute();
    // NULLs are distinct in a unique index on both engines: only adopted findings are constrained.
    await db.schema
      .createIndex('findings_adopted_suggestion')
      .unique()
      .on('findings')
      .columns(['source_evidence_id', 'source_suggestion_id'])
      .execute();
  },
};
