/** A node of the lineage graph; `layer` is its column (ancestors left, deployments right). */
export interface LineageNode {
  id: string;
  label: string;
  sublabel?: string;
  kind: 'dataset' | 'version' | 'model' | 'deployment';
  layer: number;
  href?: string;
}

/** A directed edge: data flows from `from` to `to`. */
export interface LineageEdge {
  from: string;
  to: string;
  label?: string;
}

const KIND_STYLE: Record<LineageNode['kind'], { fill: string; stroke: string }> = {
  dataset: { fill: '#e5effb', stroke: '#1f5aa6' },
  version: { fill: '#fdf1dc', stroke: '#8a5300' },
  model: { fill: '#eef1f5', stroke: '#4f5b6b' },
  deployment: { fill: '#e3f3e8', stroke: '#1e6b3a' },
};

const COL_W = 210;
const NODE_W = 170;
const NODE_H = 42;
const ROW_H = 58;

/**
 * Lineage drawn as a layered graph: each node sits in its column, stacked top to bottom, and edges
 * are curves between columns. Small graphs (tens of nodes) need no layout engine.
 */
export function LineageGraph({
  nodes,
  edges,
  title,
}: {
  nodes: readonly LineageNode[];
  edges: readonly LineageEdge[];
  title: string;
}) {
  const layers = [...new Set(nodes.map((n) => n.layer))].sort((a, b) => a - b);
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 1;
  layers.forEach((layer, col) => {
    const inLayer = nodes.filter((n) => n.layer === layer);
    maxRows = Math.max(maxRows, inLayer.length);
    inLayer.forEach((n, row) => {
      pos.set(n.id, { x: 10 + col * COL_W, y: 10 + row * ROW_H });
    });
  });
  const width = Math.max(1, layers.length) * COL_W;
  const height = maxRows * ROW_H + 10;
  return (
    <figure style={{ margin: 0, overflowX: 'auto' }}>
      <svg
        className="chart"
        role="img"
        aria-label={title}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#7b8696" />
          </marker>
        </defs>
        {edges.map((e) => {
          const a = pos.get(e.from);
          const b = pos.get(e.to);
          if (!a || !b) return null;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const x2 = b.x;
          const y2 = b.y + NODE_H / 2;
          const mid = (x1 + x2) / 2;
          return (
            <path
              key={`${e.from}->${e.to}`}
              d={`M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 2},${y2}`}
              fill="none"
              stroke="#9aa5b4"
              strokeWidth={1.5}
              markerEnd="url(#arrow)"
            />
          );
        })}
        {nodes.map((n) => {
          const p = pos.get(n.id)!;
          const st = KIND_STYLE[n.kind];
          const body = (
            <g key={n.id}>
              <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={6} fill={st.fill} stroke={st.stroke} />
              <text x={p.x + 8} y={p.y + 17} fontWeight={600}>
                {clip(n.label, 24)}
              </text>
              <text x={p.x + 8} y={p.y + 33} fill="#4f5b6b">
                {clip(n.sublabel ?? n.kind, 28)}
              </text>
              <title>{`${n.kind}: ${n.label}${n.sublabel ? ` (${n.sublabel})` : ''}`}</title>
            </g>
          );
          return n.href ? (
            <a key={n.id} href={n.href}>
              {body}
            </a>
          ) : (
            <g key={n.id}>{body}</g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {(Object.keys(KIND_STYLE) as LineageNode['kind'][]).map((k) => (
          <span key={k}>
            <i style={{ background: KIND_STYLE[k].fill, border: `1px solid ${KIND_STYLE[k].stroke}` }} />
            {k}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
