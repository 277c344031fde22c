import type { Migration } from '../migrate.ts';

/** Policy versions, tierings and overrides, evidence, reviews. */
export const workflowReviewsMigration: Migration = {
  name: '0010_workflow_reviews',
  async up(db) {
    await db.schema
      .createTable('policy_versions')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('yaml', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('tierings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('policy_version', 'integer', (c) => c.notNull().references('policy_versions.version'))
      .addColumn('answers_json', 'text', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('computed_tier', 'integer', (c) => c.notNull())
      .addColumn('rationale_json', 'text', (c) => c.notNull())
      .addColumn('eu_class', 'text', (c) => c.notNull())
      .addColumn('eu_json', 'text', (c) => c.notNull())
      .addColumn('assessed_by', 'text', (c) => c.notNull())
      .addColumn('assessed_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('tierings_version')
      .on('tierings')
      .columns(['version_id', 'assessed_at'])
      .execute();
    await db.schema
      .createIndex('tierings_model')
      .on('tierings')
      .columns(['model_id', 'assessed_at'])
      .execute();

    await db.schema
      .createTable('tier_overrides')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('tiering_id', 'text', (c) => c.notNull().references('tierings.id'))
      .addColumn('from_tier', 'integer', (c) => c.notNull())
      .addColumn('to_tier', 'integer', (c) => c.notNull())
      .addColumn('justification', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decision_note', 'text')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('tier_overrides_model')
      .on('tier_overrides')
      .columns(['model_id', 'status'])
      .execute();

    await db.schema
      .createTable('evidence')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('blob_sha256', 'text')
      .addColumn('size_bytes', 'bigint')
      .addColumn('media_type', 'text')
      .addColumn('filename', 'text')
      .addColumn('external_url', 'text')
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      .addColumn('produced_by_tool', 'text')
      .addColumn('produced_by_tool_version', 'text')
      .addColumn('inputs_json', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('valid_until', 'text')
      .addColumn('superseded_by', 'text')
      .addColumn('superseded_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('evidence_version')
      .on('evidence')
      .columns(['version_id', 'type', 'created_at'])
      .execute();
    await db.schema
      .createIndex('evidence_model')
      .on('evidence')
      .columns(['model_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('gate', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('tier', 'integer')
      .addColumn('policy_version', 'integer', (c) => c.notNull().references('policy_versions.version'))
      .addColumn('checklist_json', 'text', (c) => c.notNull())
      .addColumn('opened_by', 'text', (c) => c.notNull())
      .addColumn('submitted_by', 'text')
      .addColumn('validator_id', 'text')
      .addColumn('outcome', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('reviews_model').on('reviews').columns(['model_id', 'created_at']).execute();
    await db.schema.createIndex('reviews_state').on('reviews').columns(['state', 'created_at']).execute();
    await db.schema.createIndex('reviews_version').on('reviews').columns(['version_id', 'state']).execute();
  },
};
