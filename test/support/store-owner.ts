import { computeAuditHash } from '../../src/platform/audit/audit-hash.ts';
import type { StoredAuditEvent } from '../../src/platform/audit/audit-verify.ts';
import type { Db } from '../../src/platform/db/database.ts';

type Value = string | number | null;

const COLUMNS = [
  'seq',
  'id',
  'at',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'model_id',
  'request_id',
  'before_json',
  'after_json',
  'prev_hash',
  'hash',
] as const;

/**
 * What someone who owns the store can do, without Assay: drop the append-only triggers, run raw
 * SQL, put the triggers back. For the tamper tests.
 */
export class StoreOwner {
  constructor(private readonly db: Db) {}

  /** Runs one statement as plain SQL (`$1` placeholders on both engines). */
  async run(text: string, params: Value[] = []): Promise<void> {
    if (this.db.sqlite) {
      this.db.sqlite.prepare(text.replace(/\$\d+/g, '?')).run(...params);
      return;
    }
    await this.db.pgPool!.query(text, params);
  }

  /** Drops the audit trail's triggers, runs `fn`, and re-creates them exactly as they were. */
  async withoutTriggers<T>(fn: () => Promise<T>): Promise<T> {
    if (this.db.sqlite) {
      const h = this.db.sqlite;
      const triggers = h
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
        .all() as { name: string; sql: string }[];
      for (const t of triggers) h.exec(`DROP TRIGGER ${t.name}`);
      try {
        return await fn();
      } finally {
        for (const t of triggers) h.exec(t.sql);
      }
    }
    const pool = this.db.pgPool!;
    const { rows } = await pool.query<{ tgname: string; def: string }>(
      "SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal",
    );
    for (const t of rows) await pool.query(`DROP TRIGGER ${t.tgname} ON audit_events`);
    try {
      return await fn();
    } finally {
      for (const t of rows) await pool.query(t.def);
    }
  }

  /** Every stored event, in seq order. */
  async events(): Promise<StoredAuditEvent[]> {
    const rows = await this.db.kysely.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** The highest seq. */
  async head(): Promise<number> {
    const all = await this.events();
    return all[all.length - 1]!.seq;
  }

  /** Replaces the whole trail with `rows` (to undo an attack between tests). */
  async restore(rows: readonly StoredAuditEvent[]): Promise<void> {
    await this.withoutTriggers(async () => {
      await this.run('DELETE FROM audit_events');
      for (const r of rows) await this.insert(r);
    });
  }

  /** Inserts one event row as it is. */
  async insert(r: StoredAuditEvent): Promise<void> {
    await this.run(
      `INSERT INTO audit_events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
      COLUMNS.map((c) => r[c] as Value),
    );
  }

  /**
   * Rewrites the trail from `fromSeq` on as `rows` say (already edited, renumbered or cut), then
   * re-computes every hash and link from there so the chain verifies on its own: a forged re-chain.
   */
  async rechain(rows: readonly StoredAuditEvent[], fromSeq: number): Promise<void> {
    await this.withoutTriggers(async () => {
      await this.run('DELETE FROM audit_events WHERE seq >= $1', [fromSeq]);
      const before = (await this.events()).pop();
      let prev = before?.hash ?? '0'.repeat(64);
      for (const r of rows.filter((x) => x.seq >= fromSeq)) {
        const next = { ...r, prev_hash: prev };
        next.hash = computeAuditHash(next);
        await this.insert(next);
        prev = next.hash;
      }
    });
  }
}
