import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Condition, Decision, DecisionBinding } from '../../contracts/decisions.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import type { DecisionConditionsTable, DecisionsTable } from '../../platform/db/tables/workflow-decisions.ts';
import { latestEffectiveTiering, overrideInForce } from '../tiering/tiering.store.ts';
import { type BoundState, boundState } from './binding-rules.ts';
import { type SignOffRequirement, signOffProgress } from './sign-off-rules.ts';

export type DecisionRow = DecisionsTable & { model_key: string; version_label: string };

export function decisionQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('decisions')
    .innerJoin('models', 'models.id', 'decisions.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'decisions.version_id')
    .selectAll('decisions')
    .select(['models.key as model_key', 'model_versions.label as version_label']);
}

export function conditionView(c: DecisionConditionsTable, now: Date): Condition {
  return {
    id: c.id,
    decisionId: c.decision_id,
    text: c.text,
    owner: c.owner,
    dueAt: c.due_at,
    met: c.met_at !== null,
    metAt: c.met_at,
    metBy: c.met_by,
    overdue: c.met_at === null && Date.parse(c.due_at) < now.getTime(),
    rowVersion: Number(c.row_version),
  };
}

/** The full API view of a decision: signatures, progress, binding and conditions, read in `tx`. */
export async function decisionView(tx: Kysely<Database>, row: DecisionRow, now: Date): Promise<Decision> {
  const signatures = await tx
    .selectFrom('decision_signatures')
    .selectAll()
    .where('decision_id', '=', row.id)
    .orderBy('signed_at')
    .orderBy('signer')
    .execute();
  const conditions = await tx
    .selectFrom('decision_conditions')
    .selectAll()
    .where('decision_id', '=', row.id)
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  const requirements = JSON.parse(row.sign_off_json) as SignOffRequirement[];
  return {
    id: row.id,
    modelKey: row.model_key,
    versionLabel: row.version_label,
    reviewId: row.review_id,
    outcome: row.outcome as Decision['outcome'],
    state: row.state as Decision['state'],
    rationale: row.rationale,
    tier: row.tier === null ? null : Number(row.tier),
    policyVersion: Number(row.policy_version),
    proposedBy: row.proposed_by,
    createdAt: row.created_at,
    finalizedAt: row.finalized_at,
    expiresAt: row.expires_at,
    expired: row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime(),
    signOff: signOffProgress(
      requirements,
      signatures.map((s) => ({ role: s.role as Role })),
    ),
    signatures: signatures.map((s) => ({
      signer: s.signer,
      role: s.role as Role,
      signedAt: s.signed_at,
      note: s.note,
      bindingDigest: s.binding_digest,
    })),
    binding: row.binding_json ? (JSON.parse(row.binding_json) as DecisionBinding) : null,
    conditions: conditions.map((c) => conditionView(c, now)),
    rowVersion: Number(row.row_version),
    voidedAt: row.voided_at ?? null,
    voidedBy: row.voided_by ?? null,
    voidReason: row.void_reason ?? null,
  };
}

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
