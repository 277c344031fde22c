import type { Kysely } from 'kysely';
import { canonicalJson } from '../canonical-json.ts';
import type { Clock } from '../clock.ts';
import { type Db, labelWrite, lockWritersReadingHead } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { computeAuditHash, GENESIS_HASH } from './audit-hash.ts';
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
 * chain is appended in commit order (the lock is held to commit). The event's time is read under
 * the lock, so times never go backwards along the chain.
 */
export async function appendAuditEvent(
  tx: Kysely<Database>,
  clock: Clock,
  ctx: AuditContext,
  input: AuditEventInput,
): Promise<StoredAuditEvent> {
  labelWrite(tx, input.action);
  const locked = await lockWritersReadingHead(tx);
  const last = locked
    ? locked.head
    : await tx
        .selectFrom('audit_events')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
  const record = {
    seq: last ? Number(last.seq) + 1 : 1,
    id: newId(),
    at: clock.now().toISOString(),
    actor: ctx.actor,
    action: input.action,
    entity_type: input.entityType,
    entity_id: input.entityId,
    model_id: input.modelId ?? null,
    request_id: ctx.requestId,
    before_json: input.before === undefined || input.before === null ? null : canonicalJson(input.before),
    after_json: input.after === undefined || input.after === null ? null : canonicalJson(input.after),
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
