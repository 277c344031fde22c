import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DecisionBinding } from '../../contracts/decisions.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import { latestEffectiveTiering, overrideInForce } from '../tiering/tiering.queries.ts';
import { type BoundState, boundState } from './binding-rules.ts';

// Read model: what an approval binds. It reads across features (the version's content and datasets,
// the tier in force, current evidence, open findings); decisions sign it, and the gate and the
// exception report compare a decision's binding with it now.

/**
 * What a signature binds, read now in `tx`: the version's content, the model's tier and EU AI Act
 * class with the tiering record behind them (the version's latest effective tiering, else the
 * model's) and the approved override in force, the version's current evidence (hashes) and its
 * open findings. The digest covers all of it.
 */
export async function currentBinding(
  tx: Kysely<Database>,
  version: Pick<
    ModelVersionsTable,
    | 'id'
    | 'model_id'
    | 'label'
    | 'artifact_uri'
    | 'artifact_sha256'
    | 'code_repo'
    | 'code_commit'
    | 'registry_ref'
  >,
): Promise<DecisionBinding> {
  const model = await tx
    .selectFrom('models')
    .select(['tier', 'eu_ai_act_class'])
    .where('id', '=', version.model_id)
    .executeTakeFirstOrThrow();
  const tiering =
    (await latestEffectiveTiering(tx, { versionId: version.id })) ??
    (await latestEffectiveTiering(tx, { modelId: version.model_id }));
  const override = await overrideInForce(tx, version.model_id);
  const datasets = await tx
    .selectFrom('version_datasets')
    .innerJoin('datasets', 'datasets.id', 'version_datasets.dataset_id')
    .select(['datasets.id', 'version_datasets.usage', 'datasets.sha256'])
    .where('version_datasets.version_id', '=', version.id)
    .orderBy('datasets.id')
    .orderBy('version_datasets.usage')
    .execute();
  const content = {
    artifactUri: version.artifact_uri,
    artifactSha256: version.artifact_sha256,
    codeRepo: version.code_repo,
    codeCommit: version.code_commit,
    registryRef: version.registry_ref,
    datasets: datasets.map((d) => ({ id: d.id, usage: d.usage, sha256: d.sha256 })),
  };
  const evidence = await tx
    .selectFrom('evidence')
    .select(['id', 'type', 'blob_sha256', 'external_url'])
    .where('version_id', '=', version.id)
    .where('superseded_at', 'is', null)
    .orderBy('id')
    .execute();
  const findings = await tx
    .selectFrom('findings')
    .select(['id', 'severity', 'state'])
    .where('version_id', '=', version.id)
    .where('state', '!=', 'closed')
    .orderBy('id')
    .execute();
  const body = {
    versionId: version.id,
    versionLabel: version.label,
    artifactSha256: version.artifact_sha256,
    contentSha256: sha256(canonicalJson(content)),
    tier: model.tier === null ? null : Number(model.tier),
    tieringId: tiering?.id ?? null,
    tieringPolicyVersion: tiering ? Number(tiering.policy_version) : null,
    tierOverrideId: override?.id ?? null,
    euAiActClass: (model.eu_ai_act_class ?? null) as DecisionBinding['euAiActClass'],
    evidence: evidence.map((e) => ({ id: e.id, type: e.type, sha256: e.blob_sha256, url: e.external_url })),
    openFindings: findings.map((f) => ({ id: f.id, severity: f.severity, state: f.state })),
  };
  return { ...body, digest: sha256(canonicalJson(body)) };
}

/** A decision's binding as the gate compares it (`boundState`) and the same fields now; null without a binding. */
export async function bindingNowIn(
  tx: Kysely<Database>,
  version: Parameters<typeof currentBinding>[1],
  decision: { tier: number | null; binding: BoundState | null },
): Promise<{ bound: BoundState; now: BoundState } | null> {
  const bound = boundState(decision);
  return bound ? { bound, now: await currentBinding(tx, version) } : null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether a version has a final approving decision (approve or approve with conditions). */
export async function hasFinalApproval(tx: Kysely<Database>, versionId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('decisions')
    .select('id')
    .where('version_id', '=', versionId)
    .where('state', '=', 'final')
    .where('outcome', 'in', ['approve', 'approve_with_conditions'])
    .executeTakeFirst();
  return row !== undefined;
}
