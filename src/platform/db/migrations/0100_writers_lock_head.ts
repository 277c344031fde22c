import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * PostgreSQL: `assay_lock_writers_head(key)` takes the writers' advisory lock and then reads the
 * audit chain's head, in one round trip, for a write that takes the lock at its first audit append
 * (`Db.write(fn, { lock: 'audit' })`). The read is its own statement inside a VOLATILE function, so
 * under READ COMMITTED it takes its snapshot after the lock is granted and sees every writer that
 * committed before. SQLite serialises whole write transactions and needs nothing.
 */
export const writersLockHeadMigration: Migration = {
  name: '0100_writers_lock_head',
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    await sql`CREATE OR REPLACE FUNCTION assay_lock_writers_head(lock_key bigint)
      RETURNS TABLE (seq bigint, hash text) LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(lock_key);
        RETURN QUERY SELECT e.seq, e.hash FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
      END $$`.execute(db);
  },
};
