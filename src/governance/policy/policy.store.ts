import type { Kysely } from 'kysely';
import type { PolicyVersion } from '../../contracts/policy.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { PolicyVersionsTable } from '../../platform/db/tables/workflow-reviews.ts';

// The policy feature's table: policy_versions (every proposed, approved and rejected version).

/** The API view of a stored version; `activeVersion` is the version in force. */
export function versionView(row: PolicyVersionsTable, activeVersion: number): PolicyVersion {
  return {
    version: Number(row.version),
    sha256: row.sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
    active: Number(row.version) === activeVersion,
    state: row.state as PolicyVersion['state'],
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    baseVersion: row.base_version === null ? null : Number(row.base_version),
  };
}

/** Whether any version is stored (a first start has none). */
export async function anyPolicyVersion(tx: Kysely<Database>): Promise<boolean> {
  return (await tx.selectFrom('policy_versions').select('version').limit(1).executeTakeFirst()) !== undefined;
}

export async function insertPolicyVersion(tx: Kysely<Database>, row: PolicyVersionsTable): Promise<void> {
  await tx.insertInto('policy_versions').values(row).execute();
}

/** The active version: the newest approved one. */
export function activePolicyRow(tx: Kysely<Database>): Promise<PolicyVersionsTable | undefined> {
  return tx
    .selectFrom('policy_versions')
    .selectAll()
    .where('state', '=', 'approved')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function policyRow(tx: Kysely<Database>, version: number): Promise<PolicyVersionsTable | undefined> {
  return tx.selectFrom('policy_versions').selectAll().where('version', '=', version).executeTakeFirst();
}

/** Every version, newest first. */
export function policyRows(tx: Kysely<Database>): Promise<PolicyVersionsTable[]> {
  return tx.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').execute();
}

/** An open proposal of the text `sha256` against `baseVersion`, if any. */
export async function openProposal(
  tx: Kysely<Database>,
  sha256: string,
  baseVersion: number,
): Promise<number | undefined> {
  const open = await tx
    .selectFrom('policy_versions')
    .select('version')
    .where('state', '=', 'proposed')
    .where('sha256', '=', sha256)
    .where('base_version', '=', baseVersion)
    .executeTakeFirst();
  return open ? Number(open.version) : undefined;
}

/** The highest version number stored (0 when none). */
export async function lastPolicyVersion(tx: Kysely<Database>): Promise<number> {
  const last = await tx
    .selectFrom('policy_versions')
    .select('version')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return Number(last?.version ?? 0);
}

/** Records the decision on a proposal; false when it is no longer proposed. */
export async function decideProposal(tx: Kysely<Database>, next: PolicyVersionsTable): Promise<boolean> {
  const res = await tx
    .updateTable('policy_versions')
    .set({
      state: next.state,
      decided_by: next.decided_by,
      decided_at: next.decided_at,
      decision_note: next.decision_note,
    })
    .where('version', '=', next.version)
    .where('state', '=', 'proposed')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
