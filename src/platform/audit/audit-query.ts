import type { AuditEvent, AuditEventQuery } from '../../contracts/audit.ts';
import { decodeCounterCursor, encodeCounterCursor } from '../db/cursor.ts';
import type { Db } from '../db/database.ts';
import type { AuditEventsTable } from '../db/tables/platform.ts';
import { parseSnapshot } from './audit-trail.ts';

/** The API view of a stored audit event. */
export function toAuditEventView(row: AuditEventsTable): AuditEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    modelId: row.model_id,
    requestId: row.request_id,
    before: parseSnapshot(row.before_json),
    after: parseSnapshot(row.after_json),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** One page of audit events matching the filters, keyset-paged on seq (ascending or descending). */
export async function queryAuditEvents(
  db: Db,
  q: AuditEventQuery,
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  let sel = db.kysely.selectFrom('audit_events').selectAll();
  if (q.entityType !== undefined) sel = sel.where('entity_type', '=', q.entityType);
  if (q.entityId !== undefined) sel = sel.where('entity_id', '=', q.entityId);
  if (q.modelId !== undefined) sel = sel.where('model_id', '=', q.modelId);
  if (q.actor !== undefined) sel = sel.where('actor', '=', q.actor);
  if (q.action !== undefined) {
    if (q.action.endsWith('*')) {
      const prefix = q.action.slice(0, -1);
      // Range on the prefix instead of LIKE, so `%` and `_` in the filter mean themselves.
      sel = sel.where('action', '>=', prefix).where('action', '<', `${prefix}\u{10FFFF}`);
    } else sel = sel.where('action', '=', q.action);
  }
  if (q.from !== undefined) sel = sel.where('at', '>=', new Date(q.from).toISOString());
  if (q.to !== undefined) sel = sel.where('at', '<', new Date(q.to).toISOString());
  if (q.cursor !== undefined)
    sel = sel.where(
      'seq',
      q.order === 'asc' ? '>' : '<',
      decodeCounterCursor(q.cursor, 's', { maxDigits: 15 }),
    );
  const rows = await sel
    .orderBy('seq', q.order)
    .limit(q.limit + 1)
    .execute();
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map(toAuditEventView),
    nextCursor: more && last ? encodeCounterCursor('s', Number(last.seq)) : null,
  };
}
