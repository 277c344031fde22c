import type { Migration } from '../migrate.ts';

/** Background jobs (issue 19, workers): one row per requested job, its status, progress and result. */
export const jobsMigration: Migration = {
  name: '0080_jobs',
  async up(db) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('params_json', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('progress_json', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('result_json', 'text')
      .addColumn('error', 'text')
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('principal_json', 'text', (c) => c.notNull())
      .addColumn('worker', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('jobs_requested_by')
      .on('jobs')
      .columns(['requested_by', 'created_at'])
      .execute();
    await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'created_at']).execute();
  },
};
