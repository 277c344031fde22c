import { sql } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * PostgreSQL: `assay_append_audit_event(…)` appends one audit event in one round trip for a write
 * that takes the writers' lock at its first audit append (`Db.write(fn, { lock: 'audit' })`): it
 * takes the lock, reads the chain's head, and inserts the next event with its hash, so the lock is
 * held from there only for the commit. Each statement of a VOLATILE function takes its own snapshot
 * under READ COMMITTED, so the head is read after the lock is granted and every writer that
 * committed before is seen.
 *
 * The hash is SHA-256 of the same text `auditHashOfRow` builds (src/platform/audit/audit-hash.ts):
 * the caller sends it in three pieces with every string already JSON-quoted by the same function,
 * and only the time (the caller's clock, an ISO-8601 text that needs no escaping) and what depends
 * on the head are filled in here: prev_hash (64 hex digits) and seq (an integer).
 * `verifyAuditChain` re-computes it in JavaScript.
 * SQLite serialises whole write transactions and needs nothing.
 * Not called since migration 0101: such writes now put their events in the chain's outbox and a
 * linker pass links them after commit (`assay_link_audit_pending`, the same hash text).
 */
export const auditAppendMigration: Migration = {
  name: '0100_audit_append',
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    await sql`CREATE OR REPLACE FUNCTION assay_append_audit_event(
        lock_key bigint, p_id text, p_at text, p_actor text, p_action text, p_entity_type text,
        p_entity_id text, p_model_id text, p_request_id text, p_before_json text, p_after_json text,
        text_to_at text, text_to_prev_hash text, text_to_seq text)
      RETURNS TABLE (seq bigint, at text, prev_hash text, hash text) LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        head record;
        next_seq bigint;
        prev text;
      BEGIN
        PERFORM pg_advisory_xact_lock(lock_key);
        SELECT e.seq, e.hash INTO head FROM audit_events e ORDER BY e.seq DESC LIMIT 1;
        next_seq := coalesce(head.seq, 0) + 1;
        prev := coalesce(head.hash, repeat('0', 64));
        INSERT INTO audit_events (seq, id, at, actor, action, entity_type, entity_id, model_id,
            request_id, before_json, after_json, prev_hash, hash)
          VALUES (next_seq, p_id, p_at, p_actor, p_action, p_entity_type, p_entity_id, p_model_id,
            p_request_id, p_before_json, p_after_json, prev,
            encode(sha256(convert_to(text_to_at || '"' || p_at || '"' || text_to_prev_hash || '"' ||
              prev || '"' || text_to_seq || next_seq::text || '}', 'UTF8')), 'hex'))
          RETURNING audit_events.seq, audit_events.at, audit_events.prev_hash, audit_events.hash
          INTO seq, at, prev_hash, hash;
        RETURN NEXT;
      END $$`.execute(db);
  },
};
