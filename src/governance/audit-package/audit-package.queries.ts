import type { Kysely } from 'kysely';
import { AUDIT_ROW_COLUMNS } from '../../platform/audit/audit-hash.ts';
import type { StoredAuditEvent } from '../../platform/audit/audit-verify.ts';
import type { Database } from '../../platform/db/schema.ts';

// Read model: what an audit package replays from the audit trail (a model's events and the dataset
// snapshots), read up to the chain head seen when the package started. It never writes.

/** Whether the model had any event at or before `asOf` (it existed then). */
export async function modelExistedAt(k: Kysely<Database>, modelId: string, asOf: string): Promise<boolean> {
  const existed = await k
    .selectFrom('audit_events')
    .select('seq')
    .where('entity_type', '=', 'model')
    .where('entity_id', '=', modelId)
    .where('at', '<=', asOf)
    .limit(1)
    .executeTakeFirst();
  return existed !== undefined;
}

/** The head of the chain (last sequence number and hash), if any. */
export function chainHeadRow(k: Kysely<Database>) {
  return k
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Up to `limit` of a model's events after `after` and up to `lastSeq` (and `asOf`), in order. */
export async function modelEventPage(
  k: Kysely<Database>,
  modelId: string,
  range: { after: number; lastSeq: number; asOf: string | null },
  limit: number,
): Promise<StoredAuditEvent[]> {
  let q = k
    .selectFrom('audit_events')
    .select([...AUDIT_ROW_COLUMNS])
    .where('model_id', '=', modelId)
    .where('seq', '>', range.after)
    .where('seq', '<=', range.lastSeq);
  if (range.asOf !== null) q = q.where('at', '<=', range.asOf);
  return (await q.orderBy('seq').limit(limit).execute()) as StoredAuditEvent[];
}

/** The dataset events (id and after snapshot) of `datasetIds` up to `lastSeq` (and `asOf`), in order. */
export function datasetEvents(
  k: Kysely<Database>,
  datasetIds: readonly string[],
  lastSeq: number,
  asOf: string | null,
) {
  let q = k
    .selectFrom('audit_events')
    .select(['entity_id', 'after_json'])
    .where('entity_type', '=', 'dataset')
    .where('entity_id', 'in', [...datasetIds])
    .where('seq', '<=', lastSeq);
  if (asOf !== null) q = q.where('at', '<=', asOf);
  return q.orderBy('seq').execute();
}
