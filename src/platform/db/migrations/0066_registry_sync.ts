import type { Migration } from '../migrate.ts';

/** External model registry sync (MLflow): entries keyed by (source, external id, version), and pulls. */
export const registrySyncMigration: Migration = {
  name: '0066_registry_sync',
  async up(db) {
    await db.schema
      .createTable('registry_entries')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('payload_json', 'text', (c) => c.notNull())
      .addColumn('payload_hash', 'text', (c) => c.notNull())
      .addColumn('artifact_uri', 'text')
      .addColumn('aliases_json', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .addPrimaryKeyConstraint('registry_entries_pk', ['source', 'external_id', 'version'])
      .execute();
    await db.schema
      .createTable('registry_sync_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('created', 'integer', (c) => c.notNull())
      .addColumn('updated', 'integer', (c) => c.notNull())
      .addColumn('removed', 'integer', (c) => c.notNull())
      .addColumn('unchanged', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
  },
};
