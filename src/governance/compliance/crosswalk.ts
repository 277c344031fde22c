import type { CrosswalkAnswer, CrosswalkEdge } from '../../contracts/compliance.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Catalogs } from './catalogs.ts';

const REL_RANK = { equivalent: 3, subset: 2, related: 1 } as const;
const CONF_RANK = { high: 3, medium: 2, low: 1 } as const;

/**
 * The requirement graph: catalogs' requirements as nodes, crosswalk edges between them. Edges are
 * walked both ways (evidence for either end is relevant to the other); a path's relationship and
 * confidence are its weakest edge's.
 */
export class RequirementGraph {
  private readonly adjacent = new Map<string, CrosswalkEdge[]>();

  constructor(private readonly catalogs: Catalogs) {
    for (const cw of catalogs.crosswalks)
      for (const e of cw.edges)
        for (const end of [e.from, e.to]) {
          const list = this.adjacent.get(end) ?? [];
          list.push(e);
          this.adjacent.set(end, list);
        }
  }

  edgesOf(ref: string): readonly CrosswalkEdge[] {
    return this.adjacent.get(ref) ?? [];
  }

  /** What else evidence for `ref` bears on, up to `depth` edges away, strongest first. */
  related(ref: string, depth = 2): CrosswalkAnswer {
    const start = this.catalogs.find(ref);
    if (!start) throw new NotFoundError('requirement', ref);
    const best = new Map<string, CrosswalkEdge[]>();
    let frontier: { ref: string; path: CrosswalkEdge[] }[] = [{ ref, path: [] }];
    const seen = new Set([ref]);
    for (let d = 0; d < depth; d++) {
      const next: typeof frontier = [];
      for (const node of frontier)
        for (const e of this.edgesOf(node.ref)) {
          const other = e.from === node.ref ? e.to : e.from;
          if (seen.has(other)) continue;
          const path = [...node.path, e];
          const prev = best.get(other);
          if (!prev || score(path) > score(prev)) best.set(other, path);
          next.push({ ref: other, path });
        }
      for (const n of next) seen.add(n.ref);
      frontier = next.filter((n) => best.get(n.ref) === n.path);
    }
    const related = [...best.entries()].map(([r, path]) => {
      const found = this.catalogs.find(r);
      return {
        ref: r,
        catalog: found?.catalog.id ?? r.split(':')[0] ?? '',
        title: found?.requirement.title ?? r,
        relationship: weakest(path, (e) => e.relationship, REL_RANK),
        confidence: weakest(path, (e) => e.confidence, CONF_RANK),
        path,
      };
    });
    related.sort(
      (a, b) =>
        a.path.length - b.path.length ||
        CONF_RANK[b.confidence] - CONF_RANK[a.confidence] ||
        a.ref.localeCompare(b.ref),
    );
    return { requirement: { ref, title: start.requirement.title }, related };
  }
}

function weakest<K extends string>(
  path: CrosswalkEdge[],
  key: (e: CrosswalkEdge) => K,
  rank: Record<K, number>,
): K {
  return path.map(key).reduce((a, b) => (rank[b] < rank[a] ? b : a));
}

function score(path: CrosswalkEdge[]): number {
  return (
    -path.length * 100 +
    CONF_RANK[weakest(path, (e) => e.confidence, CONF_RANK)] * 10 +
    REL_RANK[weakest(path, (e) => e.relationship, REL_RANK)]
  );
}
