import type { Migration } from '../migrate.ts';

/**
 * Failed sign-in counters, one row per account (`account:<username>`) or client address
 * (`address:<ip>`), kept in the store so that every server on one database throttles alike.
 */
export const loginThrottleMigration: Migration = {
  name: '0030_login_throttle',
  async up(db) {
    await db.schema
      .createTable('login_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'text', (c) => c.notNull())
      .execute();
  },
};
