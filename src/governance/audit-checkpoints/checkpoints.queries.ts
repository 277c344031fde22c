import type { Kysely } from 'kysely';
import type { StoredCheckpoint } from '../../contracts/audit.ts';
import type { Database } from '../../platform/db/schema.ts';
import { checkpointView } from './checkpoints.store.ts';

// Read model: stored checkpoints with their signing keys' public halves (audit packages read it).

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
