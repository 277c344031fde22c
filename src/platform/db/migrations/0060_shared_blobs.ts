import type { Migration } from '../migrate.ts';

/**
 * The PostgreSQL blob store (ASSAY_BLOB_STORE=postgres): one row per blob and its content in
 * 1 MiB chunks. Created on both engines so the schema is one; SQLite installations keep their
 * blobs in the data directory and leave these tables empty.
 */
export const sharedBlobsMigration: Migration = {
  name: '0060_shared_blobs',
  async up(db, dialect) {
    await db.schema
      .createTable('blob_objects')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('blob_chunks')
      // The blob's SHA-256, or `tmp:<random>` while its write transaction is open.
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('data', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .addPrimaryKeyConstraint('blob_chunks_pk', ['sha256', 'seq'])
      .execute();
  },
};
