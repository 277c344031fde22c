import type { Migration } from '../migrate.ts';

/**
 * Compliance mapping (issue 18): a requirement recorded as not applicable to a model, with its
 * reason, who and when; withdrawn rather than deleted. Statuses themselves are computed, never stored.
 */
export const complianceMigration: Migration = {
  name: '0055_compliance',
  async up(db) {
    await db.schema
      .createTable('compliance_not_applicable')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('catalog', 'text', (c) => c.notNull())
      .addColumn('requirement', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('withdrawn_by', 'text')
      .addColumn('withdrawn_at', 'text')
      .addColumn('withdraw_reason', 'text')
      .execute();
    await db.schema
      .createIndex('compliance_not_applicable_model')
      .on('compliance_not_applicable')
      .columns(['model_id', 'catalog', 'requirement'])
      .execute();
  },
};
