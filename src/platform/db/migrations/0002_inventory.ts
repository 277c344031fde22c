import type { Migration } from '../migrate.ts';

/** Models, relations, versions, datasets with lineage, deployments. */
export const inventoryMigration: Migration = {
  name: '0002_inventory',
  async up(db) {
    await db.schema
      .createTable('models')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('purpose', 'text')
      .addColumn('intended_use', 'text')
      .addColumn('intended_users', 'text')
      .addColumn('out_of_scope_uses', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('business_unit', 'text')
      .addColumn('owner_id', 'text', (c) => c.references('users.id'))
      .addColumn('vendor', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('vendor_name', 'text')
      .addColumn('genai', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('decision_impact', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('tier', 'integer')
      .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('links', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    for (const col of [
      'name',
      'status',
      'tier',
      'owner_id',
      'type',
      'business_unit',
      'updated_at',
      'created_at',
    ]) {
      await db.schema.createIndex(`models_${col}`).on('models').columns([col, 'id']).execute();
    }
    // The console's most common view: one status, sorted by name or by last change.
    await db.schema
      .createIndex('models_status_name')
      .on('models')
      .columns(['status', 'name', 'id'])
      .execute();
    await db.schema
      .createIndex('models_status_updated')
      .on('models')
      .columns(['status', 'updated_at', 'id'])
      .execute();

    await db.schema
      .createTable('model_relations')
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('relation', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_relations_pk', ['model_id', 'user_id', 'relation'])
      .execute();
    await db.schema
      .createIndex('model_relations_user')
      .on('model_relations')
      .columns(['user_id', 'model_id'])
      .execute();

    await db.schema
      .createTable('datasets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('location_uri', 'text')
      .addColumn('sha256', 'text')
      .addColumn('schema_json', 'text')
      .addColumn('row_count', 'bigint')
      .addColumn('owner_id', 'text', (c) => c.references('users.id'))
      .addColumn('contains_pii', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pii_columns', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('retention_note', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();

    await db.schema
      .createTable('dataset_parents')
      .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
      .addColumn('parent_id', 'text', (c) => c.notNull().references('datasets.id'))
      .addPrimaryKeyConstraint('dataset_parents_pk', ['dataset_id', 'parent_id'])
      .execute();
    await db.schema
      .createIndex('dataset_parents_parent')
      .on('dataset_parents')
      .columns(['parent_id'])
      .execute();

    await db.schema
      .createTable('model_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('artifact_uri', 'text')
      .addColumn('artifact_sha256', 'text')
      .addColumn('code_repo', 'text')
      .addColumn('code_commit', 'text')
      .addColumn('registry_ref', 'text')
      .addColumn('change_summary', 'text')
      .addColumn('material_change', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('superseded_by', 'text')
      .addColumn('frozen_at', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .addUniqueConstraint('model_versions_label', ['model_id', 'label'])
      .execute();

    await db.schema
      .createTable('version_datasets')
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
      .addColumn('usage', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('version_datasets_pk', ['version_id', 'dataset_id', 'usage'])
      .execute();
    await db.schema
      .createIndex('version_datasets_dataset')
      .on('version_datasets')
      .columns(['dataset_id'])
      .execute();

    await db.schema
      .createTable('deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema
      .createIndex('deployments_model')
      .on('deployments')
      .columns(['model_id', 'started_at'])
      .execute();
  },
};
