import type { Migration } from '../migrate.ts';

/**
 * Signing keys stored in the database, encrypted with a key-encryption key from the environment
 * (ASSAY_SIGNING_KEK), so every server of a deployment signs with the same, rotatable key.
 */
export const signingKeySecretsMigration: Migration = {
  name: '0061_signing_key_secrets',
  async up(db) {
    await db.schema
      .createTable('signing_key_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey().references('signing_keys.id'))
      .addColumn('encrypted_private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
