import { type Kysely, sql } from 'kysely';
import { canonicalJson } from '../canonical-json.ts';
import type { Clock } from '../clock.ts';
import { type Db, labelWrite, takingWritersLock } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { auditHashTextPieces, computeAuditHash, GENESIS_HASH } from './audit-hash.ts';
import type { StoredAuditEvent } from './audit-verify.ts';

/** Who did it and in which request: passed from the HTTP edge (or the scheduler) into services. */
export interface AuditContext {
  /** The acting user's username, or `system` for scheduled work. */
  actor: string;
  requestId: string | null;
}

/** One state change to record. `before`/`after` are full snapshots so history can be replayed. */
export interface AuditEventInput {
  action: string;
  entityType: string;
  entityId: string;
  modelId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one event to the chain. Must run inside `db.write`, in the same transaction as the
 * change it records. It takes the writers' lock first if the transaction does not hold it yet
 * (`{ lock: 'audit' }`), so reading the last event and inserting the next cannot race, and the
 * chain is appended in commit order (the lock is held to commit). The event's time is the clock's
 * (injected: the demo seeds history with a clock in the past), read under the lock, or just before
 * the statement that takes it on PostgreSQL; so along the chain concurrent writes' times may be a
 * few milliseconds out of `seq` order, as they are between servers whose clocks differ.
 */
export async function appendAuditEvent(
  tx: Kysely<Database>,
  clock: Clock,
  ctx: AuditContext,
  input: AuditEventInput,
): Promise<StoredAuditEvent> {
  labelWrite(tx, input.action);
  const fields = {
    id: newId(),
    actor: ctx.actor,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId,
    model_id: input.modelId ?? null,
    request_id: ctx.requestId,
    before_json: input.before === undefined || input.before === null ? null : canonicalJson(input.before),
    after_json: input.after === undefined || input.after === null ? null : canonicalJson(input.after),
  };
  // A write that takes the writers' lock here (PostgreSQL, `lock: 'audit'`): lock, head, hash and
  // insert in one statement (migration 0100), so the lock is held from here only to the commit.
  const appended = await takingWritersLock(tx, async (lockKey) => {
    const [toAt, toPrevHash, toSeq] = auditHashTextPieces(fields);
    const f = fields;
    const { rows } = await sql<{ seq: number; at: string; prev_hash: string; hash: string }>`
      SELECT seq, at, prev_hash, hash FROM assay_append_audit_event(${lockKey}, ${f.id},
        ${clock.now().toISOString()}, ${f.actor}, ${f.action}, ${f.entity_type}, ${f.entity_id},
        ${f.model_id}, ${f.request_id}, ${f.before_json}, ${f.after_json}, ${toAt}, ${toPrevHash}, ${toSeq})`.execute(
      tx,
    );
    const row = rows[0]!;
    return { ...fields, seq: Number(row.seq), at: row.at, prev_hash: row.prev_hash, hash: row.hash };
  });
  if (appended) return appended;
  const last = await tx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const record = {
    seq: last ? Number(last.seq) + 1 : 1,
    at: clock.now().toISOString(),
    ...fields,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const stored = { ...record, hash: computeAuditHash(record) };
  await tx.insertInto('audit_events').values(stored).execute();
  return stored;
}

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
 * Streams every event in seq order with little memory: better-sqlite3's iterator on SQLite,
 * keyset pages on PostgreSQL.
 */
export async function* streamAuditEvents(
  db: Db,
  fromSeq = 0,
  pageSize = 20_000,
): AsyncGenerator<StoredAuditEvent> {
  if (db.sqlite) {
    const stmt = db.sqlite.prepare(
      `SELECT ${COLUMNS.join(', ')} FROM audit_events WHERE seq > ? ORDER BY seq`,
    );
    for (const row of stmt.iterate(fromSeq)) yield row as StoredAuditEvent;
    return;
  }
  let after = fromSeq;
  for (;;) {
    const rows = await db.kysely
      .selectFrom('audit_events')
      .select([...COLUMNS])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Parses a stored snapshot back into an object. */
export function parseSnapshot<T>(json: string | null): T | null {
  return json === null ? null : (JSON.parse(json) as T);
}
