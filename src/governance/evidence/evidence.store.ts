import type { Kysely } from 'kysely';
import type { Evidence } from '../../contracts/evidence.ts';
import type { EvidenceType } from '../../contracts/policy.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { EvidenceTable } from '../../platform/db/tables/workflow-reviews.ts';

// The evidence feature's table: evidence (typed files or URLs; superseded, never deleted).

/** An evidence row with its model key and version label. */
export type EvidenceRow = EvidenceTable & { model_key: string; version_label: string };

/** Whether evidence is past its valid-until at `now` (derived, never stored). */
export function isExpired(validUntil: string | null, now: Date): boolean {
  return validUntil !== null && Date.parse(validUntil) <= now.getTime();
}

function evidenceQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('evidence')
    .innerJoin('models', 'models.id', 'evidence.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'evidence.version_id')
    .selectAll('evidence')
    .select(['models.key as model_key', 'model_versions.label as version_label']);
}

export function evidenceById(tx: Kysely<Database>, id: string): Promise<EvidenceRow | undefined> {
  return evidenceQuery(tx).where('evidence.id', '=', id).executeTakeFirst();
}

export async function insertEvidence(tx: Kysely<Database>, row: EvidenceTable): Promise<void> {
  await tx.insertInto('evidence').values(row).execute();
}

/** Evidence of one version, newest first (of one type, superseded only on request). */
export function evidenceOfVersion(
  tx: Kysely<Database>,
  versionId: string,
  options: { type?: EvidenceType | undefined; includeSuperseded?: boolean },
): Promise<EvidenceRow[]> {
  let q = evidenceQuery(tx).where('evidence.version_id', '=', versionId);
  if (options.type) q = q.where('evidence.type', '=', options.type);
  if (!options.includeSuperseded) q = q.where('evidence.superseded_at', 'is', null);
  return q.orderBy('evidence.created_at', 'desc').orderBy('evidence.id', 'desc').execute();
}

/** Current (not superseded) evidence of a version, newest first. */
export function currentEvidenceRows(tx: Kysely<Database>, versionId: string): Promise<EvidenceRow[]> {
  return evidenceQuery(tx)
    .where('evidence.version_id', '=', versionId)
    .where('evidence.superseded_at', 'is', null)
    .orderBy('evidence.created_at', 'desc')
    .execute();
}

/** Writes the supersession of `next` if nobody changed it since `expected`; false otherwise. */
export async function updateSuperseded(
  tx: Kysely<Database>,
  next: EvidenceRow,
  expected: number,
): Promise<boolean> {
  const res = await tx
    .updateTable('evidence')
    .set({
      superseded_by: next.superseded_by,
      superseded_at: next.superseded_at,
      row_version: next.row_version,
    })
    .where('id', '=', next.id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The API view of an evidence row (`expired` derived at `now`). */
export function evidenceView(row: EvidenceRow, now: Date): Evidence {
  return {
    id: row.id,
    modelKey: row.model_key,
    versionLabel: row.version_label,
    type: row.type as EvidenceType,
    title: row.title,
    description: row.description,
    file: row.blob_sha256
      ? {
          sha256: row.blob_sha256,
          size: Number(row.size_bytes),
          mediaType: row.media_type,
          filename: row.filename,
        }
      : null,
    externalUrl: row.external_url,
    uploadedBy: row.uploaded_by,
    producedBy: row.produced_by_tool
      ? { tool: row.produced_by_tool, version: row.produced_by_tool_version }
      : null,
    inputs: JSON.parse(row.inputs_json) as string[],
    validUntil: row.valid_until,
    expired: isExpired(row.valid_until, now),
    superseded: row.superseded_at !== null,
    supersededBy: row.superseded_by,
    supersededAt: row.superseded_at,
    createdAt: row.created_at,
    rowVersion: Number(row.row_version),
    reviewId: row.review_id ?? null,
  };
}
