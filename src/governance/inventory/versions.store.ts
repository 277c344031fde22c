import type { Kysely } from 'kysely';
import type { Version } from '../../contracts/inventory.ts';
import type { Database } from '../../platform/db/schema.ts';
import type {
  DeploymentsTable,
  ModelVersionsTable,
  VersionDatasetsTable,
} from '../../platform/db/tables/inventory.ts';

// The versions aggregate's tables: model_versions, version_datasets (which datasets a version was
// trained and evaluated on) and deployments (where a version runs). Functions take the transaction
// (or the database) first; `versionView` is the one row→view mapping.

/** A deployment row with the label of its version. */
export type DeploymentWithLabel = DeploymentsTable & { label: string };

/** The API view of a version row, given its model's key and the dataset links of the version. */
export function versionView(
  modelKey: string,
  r: ModelVersionsTable,
  links: readonly VersionDatasetsTable[],
): Version {
  const ofUsage = (usage: string) =>
    links
      .filter((l) => l.version_id === r.id && l.usage === usage)
      .map((l) => l.dataset_id)
      .sort();
  return {
    id: r.id,
    modelKey,
    label: r.label,
    artifactUri: r.artifact_uri,
    artifactSha256: r.artifact_sha256,
    codeRepo: r.code_repo,
    codeCommit: r.code_commit,
    registryRef: r.registry_ref,
    trainingDatasetIds: ofUsage('training'),
    evaluationDatasetIds: ofUsage('evaluation'),
    changeSummary: r.change_summary,
    materialChange: r.material_change === 1,
    status: r.status as Version['status'],
    supersededBy: r.superseded_by,
    frozen: r.frozen_at !== null,
    frozenAt: r.frozen_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    rowVersion: Number(r.row_version),
  };
}

/** The dataset links of some versions. */
export function datasetLinksOf(
  tx: Kysely<Database>,
  versionIds: readonly string[],
): Promise<VersionDatasetsTable[]> {
  return tx
    .selectFrom('version_datasets')
    .selectAll()
    .where('version_id', 'in', [...versionIds])
    .execute();
}

/** Replaces the dataset links of a version (training and evaluation, each id once). */
export async function replaceDatasetLinks(
  tx: Kysely<Database>,
  versionId: string,
  training: readonly string[],
  evaluation: readonly string[],
): Promise<void> {
  await tx.deleteFrom('version_datasets').where('version_id', '=', versionId).execute();
  const rows = [
    ...[...new Set(training)].map((d) => ({ version_id: versionId, dataset_id: d, usage: 'training' })),
    ...[...new Set(evaluation)].map((d) => ({ version_id: versionId, dataset_id: d, usage: 'evaluation' })),
  ];
  if (rows.length) await tx.insertInto('version_datasets').values(rows).execute();
}

/** A version of a model by label. */
export function versionByLabel(
  tx: Kysely<Database>,
  modelId: string,
  label: string,
): Promise<ModelVersionsTable | undefined> {
  return tx
    .selectFrom('model_versions')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('label', '=', label)
    .executeTakeFirst();
}

/** The versions of a model, oldest first. */
export function versionsOfModel(tx: Kysely<Database>, modelId: string): Promise<ModelVersionsTable[]> {
  return tx
    .selectFrom('model_versions')
    .selectAll()
    .where('model_id', '=', modelId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Label and successor of every version of a model (the supersede chain). */
export function supersedeChainOf(
  tx: Kysely<Database>,
  modelId: string,
): Promise<{ label: string; superseded_by: string | null }[]> {
  return tx
    .selectFrom('model_versions')
    .select(['label', 'superseded_by'])
    .where('model_id', '=', modelId)
    .execute();
}

export async function insertVersion(tx: Kysely<Database>, row: ModelVersionsTable): Promise<void> {
  await tx.insertInto('model_versions').values(row).execute();
}

/** Writes every column of a changed version. */
export async function updateVersion(tx: Kysely<Database>, next: ModelVersionsTable): Promise<void> {
  const { id, ...rest } = next;
  await tx.updateTable('model_versions').set(rest).where('id', '=', id).execute();
}

/** Writes a frozen version's freeze time and row version. */
export async function freezeVersionRow(tx: Kysely<Database>, next: ModelVersionsTable): Promise<void> {
  await tx
    .updateTable('model_versions')
    .set({ frozen_at: next.frozen_at, row_version: next.row_version })
    .where('id', '=', next.id)
    .execute();
}

/** Writes a superseded version's status, successor and row version. */
export async function supersedeVersionRow(tx: Kysely<Database>, next: ModelVersionsTable): Promise<void> {
  await tx
    .updateTable('model_versions')
    .set({ status: next.status, superseded_by: next.superseded_by, row_version: next.row_version })
    .where('id', '=', next.id)
    .execute();
}

/** Where the running deployments of a model are (what a new deployment is checked against). */
export function runningDeploymentSlots(
  tx: Kysely<Database>,
  modelId: string,
): Promise<Pick<DeploymentsTable, 'id' | 'version_id' | 'environment' | 'endpoint'>[]> {
  return tx
    .selectFrom('deployments')
    .select(['id', 'version_id', 'environment', 'endpoint'])
    .where('model_id', '=', modelId)
    .where('ended_at', 'is', null)
    .execute();
}

/** The running deployments of a model with their version labels, oldest first. */
export function runningDeploymentsOldestFirst(
  tx: Kysely<Database>,
  modelId: string,
): Promise<DeploymentWithLabel[]> {
  return tx
    .selectFrom('deployments')
    .innerJoin('model_versions as v', 'v.id', 'deployments.version_id')
    .selectAll('deployments')
    .select('v.label')
    .where('deployments.model_id', '=', modelId)
    .where('deployments.ended_at', 'is', null)
    .orderBy('deployments.started_at')
    .orderBy('deployments.id')
    .execute();
}

/** The deployments of a model with their version labels (running ones only when asked), newest first. */
export function deploymentsOfModel(
  tx: Kysely<Database>,
  modelId: string,
  activeOnly: boolean,
): Promise<DeploymentWithLabel[]> {
  let q = tx
    .selectFrom('deployments')
    .innerJoin('model_versions as v', 'v.id', 'deployments.version_id')
    .selectAll('deployments')
    .select('v.label')
    .where('deployments.model_id', '=', modelId);
  if (activeOnly) q = q.where('deployments.ended_at', 'is', null);
  return q.orderBy('deployments.started_at', 'desc').execute();
}

/** A deployment by id with its model's key and its version's label. */
export function deploymentById(
  tx: Kysely<Database>,
  id: string,
): Promise<(DeploymentWithLabel & { model_key: string }) | undefined> {
  return tx
    .selectFrom('deployments')
    .innerJoin('model_versions as v', 'v.id', 'deployments.version_id')
    .innerJoin('models as m', 'm.id', 'deployments.model_id')
    .selectAll('deployments')
    .select(['v.label', 'm.key as model_key'])
    .where('deployments.id', '=', id)
    .executeTakeFirst();
}

export async function insertDeployment(tx: Kysely<Database>, row: DeploymentsTable): Promise<void> {
  await tx.insertInto('deployments').values(row).execute();
}

/** Writes an ended deployment's end time and row version. */
export async function endDeploymentRow(
  tx: Kysely<Database>,
  next: Pick<DeploymentsTable, 'id' | 'ended_at' | 'row_version'>,
): Promise<void> {
  await tx
    .updateTable('deployments')
    .set({ ended_at: next.ended_at, row_version: next.row_version })
    .where('id', '=', next.id)
    .execute();
}

/** The versions of some models (a bulk import reads the rows it may change with it). */
export function versionsOfModels(
  tx: Kysely<Database>,
  modelIds: readonly string[],
): Promise<ModelVersionsTable[]> {
  return tx
    .selectFrom('model_versions')
    .selectAll()
    .where('model_id', 'in', [...modelIds])
    .execute();
}
