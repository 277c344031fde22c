import type { Migration } from '../migrate.ts';

/**
 * Lifecycle exceptions: a recorded, time-bounded permission (requested by one person, approved by
 * another) for a model to be approved or in production, or for a version to be deployed to
 * production, without the decision and gate that normally allow it.
 */
export const lifecycleExceptionsMigration: Migration = {
  name: '0035_lifecycle_exceptions',
  async up(db) {
    await db.schema
      .createTable('lifecycle_exceptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.references('model_versions.id'))
      .addColumn('deployment_id', 'text', (c) => c.references('deployments.id'))
      .addColumn('allows_json', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('until', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decision_note', 'text')
      .addColumn('revoked_by', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('revoke_reason', 'text')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('lifecycle_exceptions_model')
      .on('lifecycle_exceptions')
      .columns(['model_id', 'state', 'until'])
      .execute();
  },
};
