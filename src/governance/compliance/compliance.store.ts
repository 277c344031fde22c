import type { Kysely } from 'kysely';
import type { NotApplicable } from '../../contracts/compliance.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ComplianceNotApplicableTable } from '../../platform/db/tables/compliance.ts';

/** The compliance feature's own table: requirements recorded as not applicable to a model. */

type Row = ComplianceNotApplicableTable & { model_key: string };

function query(tx: Kysely<Database>) {
  return tx
    .selectFrom('compliance_not_applicable as n')
    .innerJoin('models', 'models.id', 'n.model_id')
    .selectAll('n')
    .select(['models.key as model_key']);
}

export function notApplicableView(row: Row): NotApplicable {
  return {
    id: row.id,
    modelKey: row.model_key,
    catalog: row.catalog,
    requirement: row.requirement,
    reason: row.reason,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

/** Records in force (not withdrawn) for a model. */
export async function activeNotApplicable(tx: Kysely<Database>, modelId: string): Promise<NotApplicable[]> {
  const rows = await query(tx)
    .where('n.model_id', '=', modelId)
    .where('n.withdrawn_at', 'is', null)
    .execute();
  return rows.map(notApplicableView);
}

export async function notApplicableById(tx: Kysely<Database>, id: string): Promise<Row | undefined> {
  return query(tx).where('n.id', '=', id).executeTakeFirst();
}

export async function insertNotApplicable(
  tx: Kysely<Database>,
  row: ComplianceNotApplicableTable,
): Promise<void> {
  await tx.insertInto('compliance_not_applicable').values(row).execute();
}

export async function withdrawNotApplicable(
  tx: Kysely<Database>,
  id: string,
  by: string,
  at: string,
  reason: string,
): Promise<boolean> {
  const res = await tx
    .updateTable('compliance_not_applicable')
    .set({ withdrawn_by: by, withdrawn_at: at, withdraw_reason: reason })
    .where('id', '=', id)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
