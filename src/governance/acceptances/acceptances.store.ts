import type { Kysely } from 'kysely';
import type { Acceptance } from '../../contracts/findings.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { RiskAcceptancesTable } from '../../platform/db/tables/workflow-decisions.ts';

// The acceptances feature's tables: risk_acceptances and acceptance_findings (which findings each
// acceptance covers).

/** An acceptance row with its model's key. */
export type AcceptanceRow = RiskAcceptancesTable & { model_key: string };

function acceptanceQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('risk_acceptances')
    .innerJoin('models', 'models.id', 'risk_acceptances.model_id')
    .selectAll('risk_acceptances')
    .select('models.key as model_key');
}

export function acceptanceById(tx: Kysely<Database>, id: string): Promise<AcceptanceRow | undefined> {
  return acceptanceQuery(tx).where('risk_acceptances.id', '=', id).executeTakeFirst();
}

/** An acceptance and the findings it covers. */
export async function insertAcceptance(
  tx: Kysely<Database>,
  row: RiskAcceptancesTable,
  findingIds: readonly string[],
): Promise<void> {
  await tx.insertInto('risk_acceptances').values(row).execute();
  for (const findingId of findingIds)
    await tx
      .insertInto('acceptance_findings')
      .values({ acceptance_id: row.id, finding_id: findingId })
      .execute();
}

/** Writes a changed acceptance if nobody changed it since `expected`; false otherwise. */
export async function updateAcceptance(
  tx: Kysely<Database>,
  next: RiskAcceptancesTable,
  expected: number,
): Promise<boolean> {
  const res = await tx
    .updateTable('risk_acceptances')
    .set({
      state: next.state,
      approved_by: next.approved_by,
      decided_at: next.decided_at,
      expired_at: next.expired_at,
      row_version: next.row_version,
    })
    .where('id', '=', next.id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** A page (from `offset`, one row more than `limit`) of acceptances among `visible` models (null: all), newest first. */
export function listAcceptanceRows(
  tx: Kysely<Database>,
  q: { state?: string | undefined; modelKey?: string | undefined; limit: number },
  visible: readonly string[] | null,
  offset: number,
): Promise<AcceptanceRow[]> {
  let query = acceptanceQuery(tx);
  if (visible !== null) query = query.where('risk_acceptances.model_id', 'in', visible);
  if (q.state) query = query.where('risk_acceptances.state', '=', q.state);
  if (q.modelKey) query = query.where('models.key', '=', q.modelKey);
  return query
    .orderBy('risk_acceptances.requested_at', 'desc')
    .orderBy('risk_acceptances.id', 'desc')
    .limit(q.limit + 1)
    .offset(offset)
    .execute();
}

/** The expiry of each active acceptance covering one of `findingIds`. */
export function activeAcceptanceExpiries(tx: Kysely<Database>, findingIds: readonly string[]) {
  return tx
    .selectFrom('acceptance_findings')
    .innerJoin('risk_acceptances', 'risk_acceptances.id', 'acceptance_findings.acceptance_id')
    .select(['acceptance_findings.finding_id', 'risk_acceptances.expires_at'])
    .where('acceptance_findings.finding_id', 'in', [...findingIds])
    .where('risk_acceptances.state', '=', 'active')
    .execute();
}

/** One row per approved acceptance (active or expired) covering one of `findingIds`. */
export function approvedAcceptanceLinks(tx: Kysely<Database>, findingIds: readonly string[]) {
  return tx
    .selectFrom('acceptance_findings')
    .innerJoin('risk_acceptances', 'risk_acceptances.id', 'acceptance_findings.acceptance_id')
    .select(['acceptance_findings.finding_id'])
    .where('acceptance_findings.finding_id', 'in', [...findingIds])
    .where('risk_acceptances.approved_by', 'is not', null)
    .where('risk_acceptances.state', 'in', ['active', 'expired'])
    .execute();
}

/** The findings an acceptance covers (ids, in stored order). */
export async function acceptanceFindingIds(tx: Kysely<Database>, acceptanceId: string): Promise<string[]> {
  const links = await tx
    .selectFrom('acceptance_findings')
    .select('finding_id')
    .where('acceptance_id', '=', acceptanceId)
    .execute();
  return links.map((l) => l.finding_id);
}

/** The API view of an acceptance, with the findings it covers. */
export async function acceptanceView(tx: Kysely<Database>, row: AcceptanceRow): Promise<Acceptance> {
  const links = await tx
    .selectFrom('acceptance_findings')
    .select('finding_id')
    .where('acceptance_id', '=', row.id)
    .orderBy('finding_id')
    .execute();
  return {
    id: row.id,
    modelKey: row.model_key,
    findingIds: links.map((l) => l.finding_id),
    rationale: row.rationale,
    state: row.state as Acceptance['state'],
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    approvedBy: row.approved_by,
    decidedAt: row.decided_at,
    expiresAt: row.expires_at,
    expiredAt: row.expired_at,
    rowVersion: Number(row.row_version),
  };
}
