import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { GenAiSystemCardsTable } from '../../platform/db/tables/genai.ts';

/** The GenAI system card row of a version, if set. */
export function systemCardRow(tx: Kysely<Database>, versionId: string) {
  return tx
    .selectFrom('genai_system_cards')
    .selectAll()
    .where('version_id', '=', versionId)
    .executeTakeFirst();
}

export async function insertSystemCard(tx: Kysely<Database>, row: GenAiSystemCardsTable): Promise<void> {
  await tx.insertInto('genai_system_cards').values(row).execute();
}

/** Replaces the card when it is still at `rowVersion`; false when it changed meanwhile. */
export async function updateSystemCard(
  tx: Kysely<Database>,
  row: GenAiSystemCardsTable,
  rowVersion: number,
): Promise<boolean> {
  const res = await tx
    .updateTable('genai_system_cards')
    .set({
      content_json: row.content_json,
      updated_at: row.updated_at,
      updated_by: row.updated_by,
      row_version: row.row_version,
    })
    .where('version_id', '=', row.version_id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
