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

export async function insertCheckpoint(tx: Kysely<Database>, row: AuditCheckpointsTable): Promise<void> {
  await tx.insertInto('audit_checkpoints').values(row).execute();
}
