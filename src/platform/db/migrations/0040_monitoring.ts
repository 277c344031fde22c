import type { Migration } from '../migrate.ts';

/**
 * Production monitoring: plans per deployment (versioned), manifests of ingested batches (the rows
 * are Parquet segments outside the store), computed windows and their check results (the time
 * series), and deployment ids that ingestion saw but the inventory does not know.
 */
export const monitoringMigration: Migration = {
  name: '0040_monitoring',
  async up(db) {
    await db.schema
      .createTable('monitoring_plans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('document_json', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('monitoring_plans_version', ['deployment_id', 'version'])
      .execute();
    await db.schema
      .createTable('monitoring_batches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('segment_sha256', 'text', (c) => c.notNull())
      .addColumn('segment', 'text', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('from_ts', 'text')
      .addColumn('to_ts', 'text')
      .addColumn('columns_json', 'text', (c) => c.notNull())
      .addColumn('ingested_by', 'text', (c) => c.notNull())
      .addColumn('ingested_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('monitoring_batches_seq', ['deployment_id', 'seq'])
      .addUniqueConstraint('monitoring_batches_input', ['deployment_id', 'kind', 'sha256'])
      .execute();
    await db.schema
      .createTable('monitoring_windows')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
      .addColumn('plan_id', 'text', (c) => c.notNull().references('monitoring_plans.id'))
      .addColumn('plan_version', 'integer', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('rows', 'integer', (c) => c.notNull())
      .addColumn('labelled_rows', 'integer', (c) => c.notNull())
      .addColumn('computed_seq', 'integer', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addColumn('evidence_json', 'text', (c) => c.notNull())
      .addUniqueConstraint('monitoring_windows_start', ['deployment_id', 'window_start'])
      .execute();
    await db.schema
      .createTable('monitoring_results')
      .addColumn('window_id', 'text', (c) => c.notNull().references('monitoring_windows.id'))
      .addColumn('deployment_id', 'text', (c) => c.notNull())
      .addColumn('check_name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('feature', 'text')
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('lower', 'double precision')
      .addColumn('upper', 'double precision')
      .addColumn('warning', 'double precision')
      .addColumn('critical', 'double precision')
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addPrimaryKeyConstraint('monitoring_results_pk', ['window_id', 'check_name'])
      .execute();
    await db.schema
      .createIndex('monitoring_results_series')
      .on('monitoring_results')
      .columns(['deployment_id', 'check_name', 'window_start'])
      .execute();
    await db.schema
      .createTable('monitoring_unknown_deployments')
      .addColumn('deployment_id', 'text', (c) => c.primaryKey())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .execute();
  },
};
