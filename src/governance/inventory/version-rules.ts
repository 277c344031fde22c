/**
 * The versions a chain of `superseded_by` links passes through from `start` (labels), stopping at
 * the end of the chain or where it meets itself.
 */
function chainFrom(successorOf: ReadonlyMap<string, string | null>, start: string): string[] {
  const seen: string[] = [];
  let at: string | null | undefined = start;
  while (at && !seen.includes(at)) {
    seen.push(at);
    at = successorOf.get(at);
  }
  return seen;
}

/**
 * Whether marking `label` superseded by `by` would close a cycle (A supersedes B supersedes … A,
 * any length): the chain of successors from `by` reaches `label`. Returns the cycle's labels
 * (from `label` back to itself) or null. Pure.
 */
export function supersedeCycle(
  successorOf: ReadonlyMap<string, string | null>,
  label: string,
  by: string,
): string[] | null {
  if (label === by) return [label, label];
  const chain = chainFrom(successorOf, by);
  const i = chain.indexOf(label);
  return i === -1 ? null : [label, ...chain.slice(0, i + 1)];
}

/** What the deployment rule reads. */
export interface DeploymentFacts {
  modelStatus: string;
  versionStatus: string;
  versionId: string;
  environment: string;
  endpoint: string | null;
  /** The model's deployments that have not ended. */
  active: readonly { id: string; versionId: string; environment: string; endpoint: string | null }[];
}

/**
 * Why a deployment may not be recorded (before any gate): a retired model, a superseded version,
 * or the same version already running in the same environment at the same endpoint. Null when
 * none of these. Pure.
 */
export function deploymentRefusal(
  f: DeploymentFacts,
): { rule: string; message: string; duplicateOf?: string } | null {
  if (f.modelStatus === 'retired')
    return {
      rule: 'deployment_model_retired',
      message: 'the model is retired; nothing of it may be deployed',
    };
  if (f.versionStatus === 'superseded')
    return {
      rule: 'deployment_version_superseded',
      message: 'the version is superseded; deploy its successor instead',
    };
  const dup = f.active.find(
    (d) => d.versionId === f.versionId && d.environment === f.environment && d.endpoint === f.endpoint,
  );
  if (dup)
    return {
      rule: 'deployment_duplicate',
      message: `this version already runs in ${f.environment}${f.endpoint ? ` at ${f.endpoint}` : ''} (deployment ${dup.id})`,
      duplicateOf: dup.id,
    };
  return null;
}
