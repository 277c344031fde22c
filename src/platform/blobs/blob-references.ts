import type { Db } from '../db/database.ts';

/**
 * A read model: the blob addresses the database refers to (every evidence file; documents and
 * audit packages read evidence blobs too). `assay blobs verify` checks each is in the store.
 */
export async function referencedBlobs(db: Db): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('evidence')
    .select('blob_sha256')
    .where('blob_sha256', 'is not', null)
    .distinct()
    .execute();
  return rows.map((r) => r.blob_sha256!);
}
