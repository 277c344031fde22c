import type { Kysely } from 'kysely';
import type { CheckpointBody, StoredCheckpoint } from '../../contracts/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { AuditCheckpointsTable } from '../../platform/db/tables/audit-checkpoints.ts';

/** The API view of a stored checkpoint, with the public key of the key that signed it. */
export function checkpointView(
  row: AuditCheckpointsTable,
  publicKeyPem: string | undefined,
): StoredCheckpoint {
  return {
    id: row.id,
    trigger: row.trigger as StoredCheckpoint['trigger'],
    createdBy: row.created_by,
    checkpoint: JSON.parse(row.body) as CheckpointBody,
    signature: row.signature,
    ...(publicKeyPem ? { publicKeyPem } : {}),
  };
}

/** The last event of the chain. */
export async function chainHead(
  tx: Kysely<Database>,
  upToSeq?: number,
): Promise<{ seq: number; hash: string; id: string } | null> {
  let q = tx.selectFrom('audit_events').select(['seq', 'hash', 'id']);
  if (upToSeq !== undefined) q = q.where('seq', '<=', upToSeq);
  const r = await q.orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return r ? { seq: Number(r.seq), hash: r.hash, id: r.id } : null;
}

/** Checkpoints newest first (by time, then sequence), at most `limit`; with `upToSeq`, none beyond it. */
export async function checkpointRows(
  tx: Kysely<Database>,
  limit: number,
  upToSeq?: number,
): Promise<StoredCheckpoint[]> {
  let q = tx
    .selectFrom('audit_checkpoints')
    .leftJoin('signing_keys', 'signing_keys.id', 'audit_checkpoints.key_id')
    .selectAll('audit_checkpoints')
    .select('signing_keys.public_key_pem');
  if (upToSeq !== undefined) q = q.where('audit_checkpoints.sequence', '<=', upToSeq);
  const rows = await q
    .orderBy('audit_checkpoints.time', 'desc')
    .orderBy('audit_checkpoints.sequence', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) =>
    checkpointView({ ...r, sequence: Number(r.sequence) }, r.public_key_pem ?? undefined),
  );
}
