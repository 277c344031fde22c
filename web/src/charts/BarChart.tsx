import { seriesColour } from './palette.ts';

/** One bar: a label, a value and optionally its own colour and a note (e.g. "highest"). */
export interface Bar {
  label: string;
  value: number;
  colour?: string;
  highlight?: boolean;
}

/** The chart's text size in px (svg.chart text in styles.css): a little under the 14px body. */
export const CHART_FONT_PX = 12;
/** Labels longer than this are cut with an ellipsis (the full label stays in the tooltip and table). */
const MAX_LABEL_CHARS = 48;

/**
 * A generous estimate of a label's width at the chart's font size (0.62 em a character: wider
 * than the average of the console's sans-serif fonts), so that the label column never clips.
 */
export function labelWidth(text: string, fontPx = CHART_FONT_PX): number {
  return Math.ceil(text.length * fontPx * 0.62);
}

function shortLabel(label: string): string {
  return label.length > MAX_LABEL_CHARS ? `${label.slice(0, MAX_LABEL_CHARS - 1)}…` : label;
}

/**
 * Horizontal bars with their values printed: easier to read than vertical bars when labels are
 * words (tiers, statuses, business units). The SVG is drawn at its own pixel size (one unit of the
 * viewBox is one CSS pixel, so its text is the chart font size whatever the panel's width; it
 * shrinks only when the panel is narrower) and the label column is as wide as the longest label.
 * The table fallback is for screen readers.
 */
export function BarChart(props: {
  title: string;
  bars: readonly Bar[];
  format?: (v: number) => string;
  max?: number;
  /** Width of the bars' plot area in px. */
  plotWidth?: number;
}) {
  const { bars, title } = props;
  const format = props.format ?? ((v: number) => String(v));
  const pad = 8;
  const labelW = Math.max(60, ...bars.map((b) => labelWidth(shortLabel(b.label)))) + pad * 2;
  const valueW = Math.max(40, ...bars.map((b) => labelWidth(format(b.value)))) + pad;
  const plotW = props.plotWidth ?? 260;
  const width = labelW + plotW + valueW;
  const rowH = 24;
  const height = Math.max(bars.length, 1) * rowH + 8;
  const max = props.max ?? (Math.max(0, ...bars.map((b) => b.value)) || 1);
  return (
    <figure style={{ margin: 0 }}>
      <svg
        className="chart"
        role="img"
        aria-label={title}
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        style={{ maxWidth: '100%', height: 'auto' }}
      >
        {bars.map((b, i) => {
          const y = i * rowH + 4;
          const w = Math.max(0, (b.value / max) * plotW);
          const label = shortLabel(b.label);
          return (
            <g key={b.label}>
              {label !== b.label ? <title>{b.label}</title> : null}
              <text x={labelW - pad} y={y + 15} textAnchor="end">
                {label}
              </text>
              <rect
                x={labelW}
                y={y + 3}
                width={w}
                height={rowH - 8}
                rx={3}
                fill={b.colour ?? seriesColour(0)}
                stroke={b.highlight ? '#1b2330' : 'none'}
                strokeWidth={b.highlight ? 2 : 0}
              />
              <text x={labelW + w + 6} y={y + 15} fontWeight={b.highlight ? 700 : 400}>
                {format(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{format(b.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** One segment of a stacked bar. */
export interface Segment {
  label: string;
  value: number;
  colour: string;
}

/** A single 100% bar split into segments with a legend: shares of a whole (findings by severity). */
export function StackedBar({ title, segments }: { title: string; segments: readonly Segment[] }) {
  const total = segments.reduce((s, x) => s + x.value, 0);
  let x = 0;
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" role="img" aria-label={title} viewBox="0 0 400 22" width="100%">
        {total === 0 ? <rect x={0} y={0} width={400} height={22} rx={4} fill="#e6e9ee" /> : null}
        {segments.map((s) => {
          const w = total ? (s.value / total) * 400 : 0;
          const rect = <rect key={s.label} x={x} y={0} width={w} height={22} fill={s.colour} />;
          x += w;
          return rect;
        })}
      </svg>
      <figcaption className="legend" style={{ marginTop: 6 }}>
        {segments.map((s) => (
          <span key={s.label}>
            <i style={{ background: s.colour }} />
            {s.label}: {s.value}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
