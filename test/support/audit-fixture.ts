import { computeAuditHash, GENESIS_HASH } from '../../src/platform/audit/audit-hash.ts';
import { canonicalJson } from '../../src/platform/canonical-json.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';

/**
 * Creates a migrated SQLite store at `file` and appends `n` chained audit events directly (the rows
 * appendAuditEvent would write, with model-sized snapshots), fast enough for a million events.
 */
export async function fillAuditChain(file: string, n: number): Promise<void> {
  const db = openDatabase({ sqlitePath: file });
  await migrateToLatest(db);
  const h = db.sqlite!;
  h.pragma('synchronous = OFF');
  const insert = h.prepare(
    `INSERT INTO audit_events (seq, id, at, actor, action, entity_type, entity_id, model_id, request_id,
       before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  let prev = GENESIS_HASH;
  const t0 = Date.parse('2025-01-01T00:00:00.000Z');
  const batch = h.transaction((from: number, to: number) => {
    for (let seq = from; seq < to; seq++) {
      const modelId = `model-${seq % 100_000}`;
      const snapshot = {
        key: `model-${seq % 100_000}`,
        name: `Model ${seq % 100_000}`,
        status: ['proposed', 'development', 'validation', 'approved', 'production'][seq % 5],
        owner: `user${seq % 97}`,
        tags: ['credit', 'retail'],
        rowVersion: Math.floor(seq / 100_000) + 1,
        description: 'A model that scores applications for unsecured personal loans in the retail bank.',
      };
      const e = {
        seq,
        id: `evt-${seq.toString().padStart(10, '0')}`,
        at: new Date(t0 + seq * 1000).toISOString(),
        actor: `user${seq % 97}`,
        action: seq % 3 === 0 ? 'model.created' : 'model.updated',
        entity_type: 'model',
        entity_id: modelId,
        model_id: modelId,
        request_id: `req-${seq}`,
        before_json:
          seq % 3 === 0 ? null : canonicalJson({ ...snapshot, rowVersion: snapshot.rowVersion - 1 }),
        after_json: canonicalJson(snapshot),
        prev_hash: prev,
      };
      const hash = computeAuditHash(e);
      insert.run(
        e.seq,
        e.id,
        e.at,
        e.actor,
        e.action,
        e.entity_type,
        e.entity_id,
        e.model_id,
        e.request_id,
        e.before_json,
        e.after_json,
        e.prev_hash,
        hash,
      );
      prev = hash;
    }
  });
  for (let from = 1; from <= n; from += 50_000) batch(from, Math.min(n + 1, from + 50_000));
  h.pragma('synchronous = FULL');
  await db.close();
}
