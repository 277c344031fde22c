import type { Histogram } from '../app/api-workflow.ts';

/** Reference and current distributions of one feature, as paired bars per bin (shares, not counts). */
export function PairedHistogram({
  title,
  reference,
  current,
}: {
  title: string;
  reference: Histogram | null;
  current: Histogram | null;
}) {
  const width = 240;
  const height = 90;
  const bins = Math.max(reference?.counts.length ?? 0, current?.counts.length ?? 0);
  if (bins === 0) return <span className="muted small">no histogram</span>;
  const share = (h: Histogram | null) => {
    const total = h ? h.counts.reduce((s, c) => s + c, 0) : 0;
    return (h?.counts ?? []).map((c) => (total ? c / total : 0));
  };
  const ref = share(reference);
  const cur = share(current);
  const max = Math.max(0.0001, ...ref, ...cur);
  const bw = width / bins;
  return (
    <svg
      className="chart"
      role="img"
      aria-label={title}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
    >
      {Array.from({ length: bins }, (_, i) => {
        const rh = ((ref[i] ?? 0) / max) * (height - 4);
        const ch = ((cur[i] ?? 0) / max) * (height - 4);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: bins are positional
          <g key={i}>
            <rect x={i * bw + 1} y={height - rh} width={bw / 2 - 1} height={rh} fill="#0072b2" />
            <rect x={i * bw + bw / 2} y={height - ch} width={bw / 2 - 1} height={ch} fill="#d55e00" />
          </g>
        );
      })}
      <line className="axis" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
    </svg>
  );
}
