import type { Migration } from '../migrate.ts';

/** GenAI system cards (issue 20): per model version, what the GenAI system is built from. */
export const genaiSystemCardsMigration: Migration = {
  name: '0095_genai_system_cards',
  async up(db) {
    await db.schema
      .createTable('genai_system_cards')
      .addColumn('version_id', 'text', (c) => c.primaryKey().references('model_versions.id'))
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('content_json', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull())
      .execute();
  },
};
