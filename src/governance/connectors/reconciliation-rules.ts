import type { ModelCreate } from '../../contracts/inventory.ts';

export type ReconCategory = 'registered_and_deployed' | 'registered_not_deployed' | 'deployed_not_registered';

/** A model of an external registry, as the sync stored it. */
export interface ReconRegistryModel {
  source: string;
  name: string;
  description: string | null;
  tags: Record<string, string>;
  versions: { version: string; artifactUri: string | null; aliases: string[]; stage: string | null }[];
}

/** One line of the report. */
export interface ReconItem {
  category: ReconCategory;
  /** The inventory model, when registered. */
  modelKey: string | null;
  name: string;
  /** Where it was seen: the inventory, a registry (`mlflow`), a monitoring source. */
  sources: { source: string; id: string }[];
  /** Why it counts as deployed: open deployments, registry aliases or stages, observed traffic. */
  deployedBecause: string[];
  /** What one-click registration would fill in (shadow models only). */
  prefill: ModelCreate | null;
}

export interface ReconInput {
  models: { id: string; key: string; name: string; links: string }[];
  artifacts: { model_id: string; artifact_uri: string }[];
  deployments: {
    id: string;
    model_id: string;
    environment: string;
    endpoint: string | null;
    label: string;
  }[];
  registry: ReconRegistryModel[];
  observed: { source: string; deployment: { deploymentId: string; endpoint?: string | null } }[];
}

/** A model key from any name: lower-case slug, 2-63 characters. */
export function slugKey(name: string): string {
  let k = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  if (k.length < 2) k = `m-${k || 'model'}`;
  return k;
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$/;

/** What is known of a registry model, as a model to register. */
export function registryPrefill(m: ReconRegistryModel): ModelCreate {
  const tags = Object.entries(m.tags)
    .map(([k, v]) => (v ? `${k}:${v}` : k))
    .filter((t) => TAG.test(t))
    .slice(0, 50);
  return {
    key: slugKey(m.name),
    name: m.name.slice(0, 200),
    description: m.description ?? `Registered from ${m.source} model '${m.name}'.`,
    type: 'other',
    tags,
    links: { registry: `models:/${m.name}` },
  } as ModelCreate;
}

/** What is known of a deployment seen serving. */
export function observedPrefill(source: string, deploymentId: string, endpoint: string | null): ModelCreate {
  return {
    key: slugKey(deploymentId),
    name: deploymentId.slice(0, 200),
    description: `Seen serving by ${source} as deployment '${deploymentId}'${endpoint ? ` at ${endpoint}` : ''}, not in the inventory.`,
    type: 'other',
  } as ModelCreate;
}

function registryLink(links: string): string | null {
  try {
    const l = JSON.parse(links) as { registry?: string | null };
    return l.registry ?? null;
  } catch {
    return null;
  }
}

/**
 * Puts every model in one category. A registry model belongs to an inventory model when the
 * model's registry link is `models:/<name>`, when one of its versions has the same artifact URI as
 * a registry version, or when the model key is the registry name's slug. Everything the registry
 * or an observation source knows that matches no inventory model is a shadow model.
 */
export function reconcile(input: ReconInput): ReconItem[] {
  const byId = new Map(input.models.map((m) => [m.id, m]));
  const byKey = new Map(input.models.map((m) => [m.key, m]));
  const byLink = new Map<string, string>();
  for (const m of input.models) {
    const link = registryLink(m.links);
    if (link) byLink.set(link, m.id);
  }
  const byArtifact = new Map(input.artifacts.map((a) => [a.artifact_uri, a.model_id]));
  const extra = new Map<string, { sources: ReconItem['sources']; because: string[] }>();
  const note = (modelId: string) => {
    let e = extra.get(modelId);
    if (!e) {
      e = { sources: [{ source: 'inventory', id: byId.get(modelId)!.key }], because: [] };
      extra.set(modelId, e);
    }
    return e;
  };
  const items: ReconItem[] = [];
  for (const d of input.deployments)
    note(d.model_id).because.push(
      `deployment ${d.label} in ${d.environment}${d.endpoint ? ` (${d.endpoint})` : ''}`,
    );
  for (const r of input.registry) {
    const match =
      byLink.get(`models:/${r.name}`) ??
      r.versions.map((v) => (v.artifactUri ? byArtifact.get(v.artifactUri) : undefined)).find(Boolean) ??
      byKey.get(slugKey(r.name))?.id;
    const signals = r.versions.flatMap((v) => [
      ...v.aliases.map((a) => `${r.source} alias ${a} → version ${v.version}`),
      ...(v.stage && v.stage !== 'None' && v.stage !== 'Archived'
        ? [`${r.source} stage ${v.stage} (version ${v.version})`]
        : []),
    ]);
    if (match && byId.has(match)) {
      note(match).sources.push({ source: r.source, id: r.name });
      continue;
    }
    items.push({
      category: 'deployed_not_registered',
      modelKey: null,
      name: r.name,
      sources: [{ source: r.source, id: r.name }],
      deployedBecause: signals.length ? signals : [`in the ${r.source} registry, not in the inventory`],
      prefill: registryPrefill(r),
    });
  }
  for (const o of input.observed) {
    items.push({
      category: 'deployed_not_registered',
      modelKey: null,
      name: o.deployment.deploymentId,
      sources: [{ source: o.source, id: o.deployment.deploymentId }],
      deployedBecause: [
        `traffic seen by ${o.source}${o.deployment.endpoint ? ` at ${o.deployment.endpoint}` : ''}`,
      ],
      prefill: observedPrefill(o.source, o.deployment.deploymentId, o.deployment.endpoint ?? null),
    });
  }
  for (const m of input.models) {
    const e = extra.get(m.id);
    const deployed = input.deployments.some((d) => d.model_id === m.id);
    items.push({
      category: deployed ? 'registered_and_deployed' : 'registered_not_deployed',
      modelKey: m.key,
      name: m.name,
      sources: e?.sources ?? [{ source: 'inventory', id: m.key }],
      deployedBecause: e?.because ?? [],
      prefill: null,
    });
  }
  const order: Record<ReconCategory, number> = {
    deployed_not_registered: 0,
    registered_and_deployed: 1,
    registered_not_deployed: 2,
  };
  return items.sort((a, b) => order[a.category] - order[b.category] || a.name.localeCompare(b.name));
}
