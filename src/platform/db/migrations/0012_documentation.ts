import type { Migration } from '../migrate.ts';

/** Model cards (revisions per model version) and datasheets (revisions per inventory dataset). */
export const documentationMigration: Migration = {
  name: '0012_documentation',
  async up(db) {
    await db.schema
      .createTable('model_cards')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('content_json', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('model_cards_version_revision', ['version_id', 'revision'])
      .execute();
    await db.schema
      .createIndex('model_cards_version_status')
      .on('model_cards')
      .columns(['version_id', 'status', 'revision'])
      .execute();

    await db.schema
      .createTable('datasheets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('content_json', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('datasheets_dataset_revision', ['dataset_id', 'revision'])
      .execute();
    await db.schema
      .createIndex('datasheets_dataset_status')
      .on('datasheets')
      .columns(['dataset_id', 'status', 'revision'])
      .execute();
  },
};
