import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * Approval binding and EU AI Act classes (issue 12): tierings keep their EU AI Act answers and can
 * be pending (a lowering re-tiering of a frozen or approved version waits for a second governance
 * person); models carry the EU AI Act class of their latest effective tiering.
 */
export const approvalBindingMigration: Migration = {
  name: '0033_approval_binding',
  async up(db) {
    await db.schema.alterTable('tierings').addColumn('eu_answers_json', 'text').execute();
    await db.schema
      .alterTable('tierings')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('effective'))
      .execute();
    await db.schema.alterTable('tierings').addColumn('decided_by', 'text').execute();
    await db.schema.alterTable('tierings').addColumn('decided_at', 'text').execute();
    await db.schema.alterTable('tierings').addColumn('decision_note', 'text').execute();
    await db.schema
      .alterTable('tierings')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    // An approved override survives a re-tiering that computes the tier it argued against (carried)
    // and is superseded by one that does not.
    await db.schema.alterTable('tier_overrides').addColumn('carried_to_tiering_id', 'text').execute();
    await db.schema.alterTable('tier_overrides').addColumn('superseded_by_tiering_id', 'text').execute();
    await db.schema.alterTable('tier_overrides').addColumn('superseded_at', 'text').execute();
    await db.schema.alterTable('models').addColumn('eu_ai_act_class', 'text').execute();
    // Every existing tiering was effective: the model's class is its latest tiering's.
    await sql`update models set eu_ai_act_class = (
      select t.eu_class from tierings t where t.model_id = models.id
      order by t.assessed_at desc, t.id desc limit 1)`.execute(db);
    await db.schema.createIndex('models_eu_ai_act_class').on('models').column('eu_ai_act_class').execute();
  },
};
