import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The audit chain's outbox (PostgreSQL). A write that does not hold the writers' lock
 * (`Db.write(fn, { lock: 'audit' })`) inserts its events into `audit_pending`, in the same
 * transaction as its change, instead of linking them under the lock through its commit; after it
 * commits, `assay_link_audit_pending(lock_key)` links them (`Db.linkAudit`, before `write` returns).
 * Each pending row keeps what the event's hash covers: its fields, its time (the writer's clock, as
 * `assay_append_audit_event` of 0100 takes it) and the three hash text pieces `auditHashTextPieces`
 * builds (src/platform/audit/audit-hash.ts), so the linker fills in only prev_hash and seq.
 *
 * One call is one transaction (one statement, autocommit). When the outbox is empty (read without
 * the lock, in a snapshot taken after the call began) it returns at once: whatever a caller
 * committed before has been linked by a pass that committed. Otherwise it takes the writers' lock, reads the
 * head, moves every pending row it sees, one transaction's rows together in the order it wrote them
 * (`xact`, `pos`), into `audit_events` with the next seq,
 * prev_hash and SHA-256 hash (the text `auditHashOfRow` hashes), deletes exactly the rows it moved,
 * and commits, releasing the lock. Each statement of a VOLATILE function takes its own snapshot
 * under READ COMMITTED, so the head and the pending rows are read after the lock is granted: every
 * pass and every writer holding the lock that committed before is seen, the chain does not fork,
 * and no row is linked twice (a second pass sees the first one's deletes). Rows committed after the
 * pending read are left for the next pass; neither `xact` nor `pos` follows commit order (both are
 * drawn before commit), which is why rows are deleted by `pos`, never by a bound. Returns how many events
 * it linked, how long it waited for the lock, and how long it worked under it before the commit. SQLite serialises whole write transactions and
 * appends directly; the table exists there too, always empty, so readers need no branch.
 */
export const auditPendingMigration: Migration = {
  name: '0101_audit_pending',
  async up(db, dialect) {
    await db.schema
      .createTable('audit_pending')
      .addColumn('pos', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
      // The writing transaction's id, so that one transaction's events are linked next to each other.
      .addColumn('xact', 'bigint', (c) =>
        c.notNull().defaultTo(dialect === 'postgres' ? sql`txid_current()` : 0),
      )
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('model_id', 'text')
      .addColumn('request_id', 'text')
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .addColumn('text_to_at', 'text', (c) => c.notNull())
      .addColumn('text_to_prev_hash', 'text', (c) => c.notNull())
      .addColumn('text_to_seq', 'text', (c) => c.notNull())
      .execute();
    if (dialect !== 'postgres') return;
    await sql`CREATE OR REPLACE FUNCTION assay_link_audit_pending(lock_key bigint)
      RETURNS TABLE (linked integer, wait_ms double precision, work_ms double precision)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        asked timestamptz := clock_timestamp();
        head record;
        p record;
        next_seq bigint;
        prev text;
        h text;
        granted timestamptz;
        moved bigint[] := '{}';
      BEGIN
        linked := 0;
        wait_ms := 0;
        work_ms := 0;
        IF NOT EXISTS (SELECT 1 FROM audit_pending) THEN
          RETURN NEXT;
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock(lock_key);
        granted := clock_timestamp();
        wait_ms := extract(epoch FROM granted - asked) * 1000;
        SELECT e.seq, e.hash INTO head FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
        next_seq := coalesce(head.seq, 0);
        prev := coalesce(head.hash, repeat('0', 64));
        FOR p IN SELECT * FROM audit_pending ORDER BY xact, pos LOOP
          next_seq := next_seq + 1;
          h := encode(sha256(convert_to(p.text_to_at || '"' || p.at || '"' || p.text_to_prev_hash ||
            '"' || prev || '"' || p.text_to_seq || next_seq::text || '}', 'UTF8')), 'hex');
          INSERT INTO audit_events (seq, id, at, actor, action, entity_type, entity_id, model_id,
              request_id, before_json, after_json, prev_hash, hash)
            VALUES (next_seq, p.id, p.at, p.actor, p.action, p.entity_type, p.entity_id, p.model_id,
              p.request_id, p.before_json, p.after_json, prev, h);
          prev := h;
          moved := moved || p.pos;
        END LOOP;
        IF cardinality(moved) > 0 THEN
          DELETE FROM audit_pending WHERE pos = ANY (moved);
        END IF;
        linked := cardinality(moved);
        work_ms := extract(epoch FROM clock_timestamp() - granted) * 1000;
        RETURN NEXT;
      END $$`.execute(db);
  },
};
