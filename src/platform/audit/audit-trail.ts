import type { Kysely } from 'kysely';
import type { AuditPending } from '../../contracts/audit.ts';
import { canonicalJson } from '../canonical-json.ts';
import type { Clock } from '../clock.ts';
import { type Db, defersAuditEvents, labelWrite } from '../db/database.ts';
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
 * Appends one event to the chain; returns its id. Must run inside `db.write`, in the same
 * transaction as the change it records.
 * - Under the writers' lock (a `whole` write, the default; and on SQLite, where every write is
 *   serialised): reads the last event and inserts the next, hashed, so it cannot race and the chain
 *   is appended in commit order.
 * - In a PostgreSQL write without the lock (`{ lock: 'audit' }`): inserts the event, with its time
 *   and the hash text pieces, into the chain's outbox `audit_pending`; after the transaction commits,
 *   `db.write` waits for a linker pass (migration 0101) that gives it its seq, prev_hash and hash
 *   before it returns. Such a transaction does not see its own events in `audit_events`.
 * The event's time is the clock's (injected: the demo seeds history with a clock in the past), read
 * here; so along the chain concurrent writes' times may be a few milliseconds out of `seq` order,
 * as they are between servers whose clocks differ.
 */
export async function appendAuditEvent(
  tx: Kysely<Database>,
  clock: Clock,
  ctx: AuditContext,
  input: AuditEventInput,
): Promise<string> {
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
  const at = clock.now().toISOString();
  if (defersAuditEvents(tx)) {
    const [toAt, toPrevHash, toSeq] = auditHashTextPieces(fields);
    await tx
      .insertInto('audit_pending')
      .values({ ...fields, at, text_to_at: toAt, text_to_prev_hash: toPrevHash, text_to_seq: toSeq })
      .execute();
    return fields.id;
  }
  const last = await tx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const record = {
    seq: last ? Number(last.seq) + 1 : 1,
    at,
    ...fields,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await tx
    .insertInto('audit_events')
    .values({ ...record, hash: computeAuditHash(record) })
    .execute();
  return fields.id;
}

/**
 * The chain's outbox: how many committed events wait to be linked, and the oldest one's time (its
 * `at`, the writer's clock). Normally empty, or a few events for milliseconds; events left there by
 * a process that died between its commit and the linker pass are linked by the next pass.
 */
export async function pendingAuditEvents(db: Db, now = new Date()): Promise<AuditPending> {
  const row = await db.kysely
    .selectFrom('audit_pending')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
    .executeTakeFirst();
  const oldestAt = row?.oldest ?? null;
  return {
    count: Number(row?.n ?? 0),
    oldestAt,
    oldestAgeMs: oldestAt === null ? null : Math.max(0, now.getTime() - Date.parse(oldestAt)),
  };
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

/** How often a server or worker links events left in the outbox (by a process that died after commit). */
export const AUDIT_LINK_INTERVAL_MS = 3_000;

/**
 * Crash recovery of the chain's outbox (PostgreSQL): runs a linker pass now, then every
 * `intervalMs` (a timer that does not keep the process alive), so events committed by a process
 * that died before its pass are linked within seconds. Returns the function that stops it. Nothing
 * on SQLite, which has no outbox.
 */
export async function keepAuditLinked(
  db: Db,
  report: (message: string) => void,
  intervalMs = AUDIT_LINK_INTERVAL_MS,
): Promise<() => void> {
  if (db.dialect !== 'postgres') return () => {};
  await db.linkAudit();
  const timer = setInterval(() => {
    db.linkAudit().catch((err: Error) => report(`linking pending audit events failed: ${err.message}`));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
