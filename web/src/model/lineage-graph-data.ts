import type { ModelLineage } from '../app/api.ts';
import type { LineageEdge, LineageNode } from './LineageGraph.tsx';

/**
 * Turns a version's lineage into graph nodes: dataset ancestors (deepest left), the datasets the
 * version used, the version, then one node per deployment. Cycles in derived-from are cut.
 */
export function lineageGraphOf(
  lineage: ModelLineage,
  label: string,
): { nodes: LineageNode[]; edges: LineageEdge[] } {
  const version = lineage.versions.find((v) => v.label === label);
  if (!version) return { nodes: [], edges: [] };
  const byId = new Map(lineage.datasets.map((d) => [d.id, d]));
  const byName = new Map(lineage.datasets.map((d) => [d.name, d]));
  const resolve = (ref: string) => byId.get(ref) ?? byName.get(ref);
  const depth = new Map<string, number>();
  const edges: LineageEdge[] = [];
  const visit = (ref: string, d: number, seen: Set<string>) => {
    const ds = resolve(ref);
    if (!ds || seen.has(ds.id)) return;
    depth.set(ds.id, Math.max(depth.get(ds.id) ?? 0, d));
    const next = new Set(seen).add(ds.id);
    for (const parent of ds.derivedFrom) {
      const p = resolve(parent);
      if (!p) continue;
      edges.push({ from: p.id, to: ds.id });
      visit(parent, d + 1, next);
    }
  };
  const used = [...new Set([...version.trainingDatasets, ...version.evaluationDatasets])];
  for (const ref of used) visit(ref, 1, new Set());
  const maxDepth = Math.max(1, ...depth.values());
  const nodes: LineageNode[] = [];
  for (const [id, d] of depth) {
    const ds = byId.get(id)!;
    nodes.push({
      id,
      label: ds.name,
      sublabel: `${ds.role}${ds.containsPii ? ' · PII' : ''}`,
      kind: 'dataset',
      layer: maxDepth - d,
    });
  }
  const vId = `version:${version.label}`;
  nodes.push({ id: vId, label: version.label, sublabel: version.status, kind: 'version', layer: maxDepth });
  for (const ref of used) {
    const ds = resolve(ref);
    if (ds)
      edges.push({
        from: ds.id,
        to: vId,
        label: version.trainingDatasets.includes(ref) ? 'trained' : 'evaluated',
      });
  }
  for (const dep of version.deployments) {
    const id = `deployment:${dep.id}`;
    nodes.push({
      id,
      label: dep.environment,
      sublabel: dep.endedAt ? 'ended' : (dep.endpoint ?? 'running'),
      kind: 'deployment',
      layer: maxDepth + 1,
    });
    edges.push({ from: vId, to: id });
  }
  // Dedupe edges (a dataset may be reached along two paths).
  const seen = new Set<string>();
  return {
    nodes,
    edges: edges.filter((e) => !seen.has(`${e.from}>${e.to}`) && seen.add(`${e.from}>${e.to}`)),
  };
}
