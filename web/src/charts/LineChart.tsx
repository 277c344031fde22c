import { seriesColour } from './palette.ts';

/** A named curve of (x, y) points. */
export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  dashed?: boolean;
  colour?: string;
}

/**
 * An x/y line chart on fixed [0,1] axes by default (ROC, PR, calibration); `diagonal` draws the
 * chance / perfect-calibration line that those curves are read against.
 */
export function LineChart(props: {
  title: string;
  series: readonly Series[];
  xLabel: string;
  yLabel: string;
  diagonal?: boolean;
  xDomain?: [number, number];
  yDomain?: [number, number];
  size?: number;
}) {
  const size = props.size ?? 260;
  const pad = { l: 42, r: 10, t: 10, b: 34 };
  const w = size - pad.l - pad.r;
  const h = size - pad.t - pad.b;
  const [x0, x1] = props.xDomain ?? [0, 1];
  const [y0, y1] = props.yDomain ?? [0, 1];
  const sx = (v: number) => pad.l + ((v - x0) / (x1 - x0 || 1)) * w;
  const sy = (v: number) => pad.t + h - ((v - y0) / (y1 - y0 || 1)) * h;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" role="img" aria-label={props.title} viewBox={`0 0 ${size} ${size}`} width={size}>
        {ticks.map((t) => {
          const xv = x0 + t * (x1 - x0);
          const yv = y0 + t * (y1 - y0);
          return (
            <g key={t}>
              <line className="grid-line" x1={sx(xv)} x2={sx(xv)} y1={pad.t} y2={pad.t + h} />
              <line className="grid-line" x1={pad.l} x2={pad.l + w} y1={sy(yv)} y2={sy(yv)} />
              <text x={sx(xv)} y={pad.t + h + 14} textAnchor="middle">
                {fmtTick(xv)}
              </text>
              <text x={pad.l - 6} y={sy(yv) + 4} textAnchor="end">
                {fmtTick(yv)}
              </text>
            </g>
          );
        })}
        <rect className="axis" x={pad.l} y={pad.t} width={w} height={h} fill="none" />
        {props.diagonal ? (
          <line x1={sx(x0)} y1={sy(y0)} x2={sx(x1)} y2={sy(y1)} stroke="#9aa5b4" strokeDasharray="4 4" />
        ) : null}
        {props.series.map((s, i) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={s.colour ?? seriesColour(i)}
            strokeWidth={2}
            strokeDasharray={s.dashed ? '5 3' : undefined}
            points={s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}
          />
        ))}
        <text x={pad.l + w / 2} y={size - 4} textAnchor="middle">
          {props.xLabel}
        </text>
        <text x={12} y={pad.t + h / 2} textAnchor="middle" transform={`rotate(-90 12 ${pad.t + h / 2})`}>
          {props.yLabel}
        </text>
      </svg>
      <figcaption className="legend">
        {props.series.map((s, i) => (
          <span key={s.name}>
            <i style={{ background: s.colour ?? seriesColour(i) }} />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function fmtTick(v: number): string {
  return Math.abs(v) >= 10 ? v.toFixed(0) : v.toFixed(2).replace(/\.?0+$/, '') || '0';
}
