import type { Alert } from '../../../src/contracts/alerts.ts';
import { navigate } from '../app/router.tsx';
import { seriesColour } from '../charts/palette.ts';
import {
  bandsOf,
  type ChartSpec,
  fmt,
  type SeriesPoint,
  segmentsOf,
  windowRoute,
  xDomainOf,
  yDomainOf,
} from './series-view.ts';

const W = 760;
const H = 170;
const PAD = { l: 52, r: 12, t: 14, b: 24 };
const BAND_FILL = { warning: 'rgba(230, 159, 0, 0.16)', critical: 'rgba(143, 29, 33, 0.14)' } as const;
const SEVERITY_FILL: Record<SeriesPoint['severity'], string> = {
  ok: '#ffffff',
  warning: '#e69f00',
  critical: '#8f1d21',
  no_data: '#d0d5dd',
};
const DAY = 86_400_000;

function dateTick(ms: number, span: number): string {
  const d = new Date(ms);
  return span > 200 * DAY
    ? d.toISOString().slice(0, 7)
    : span > 2 * DAY
      ? d.toISOString().slice(5, 10)
      : d.toISOString().slice(11, 16);
}

/**
 * One click handler per chart (not one per point): follows the in-app link of the clicked point
 * without a reload; modifier clicks open a tab as usual.
 */
function followLink(e: React.MouseEvent<Element>) {
  const a = (e.target as Element).closest('a');
  const to = a?.getAttribute('href');
  if (!to || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(to);
  window.scrollTo(0, 0);
}

/** Enter on a focused point follows its link the same way. */
function followKey(e: React.KeyboardEvent<Element>) {
  const to = (e.target as Element).closest('a')?.getAttribute('href');
  if (e.key !== 'Enter' || !to) return;
  e.preventDefault();
  navigate(to);
  window.scrollTo(0, 0);
}

/** Shows the hovered point's label in the chart's caption (set directly: hovering re-renders nothing). */
function showLabel(e: React.SyntheticEvent<Element>) {
  const label = (e.target as Element).closest('a')?.getAttribute('aria-label');
  const out = (e.currentTarget as Element).closest('figure')?.querySelector('.hover-readout');
  if (label && out) out.textContent = label;
}

/**
 * One check over time: the warning and critical bands, the value per window (a point per window,
 * coloured by its severity, linking to the window's evidence), the CBPE sampling band of an
 * estimate, and a marker where an alert fired.
 */
export function SeriesChart(props: {
  spec: ChartSpec;
  modelKey: string;
  deploymentId: string;
  alerts: readonly Alert[];
}) {
  const { spec, modelKey, deploymentId } = props;
  const [x0, x1] = xDomainOf(spec.series);
  const [y0, y1] = yDomainOf(spec.series);
  const w = W - PAD.l - PAD.r;
  const h = H - PAD.t - PAD.b;
  const sx = (v: number) => PAD.l + ((v - x0) / (x1 - x0 || 1)) * w;
  const sy = (v: number) => PAD.t + h - ((v - y0) / (y1 - y0 || 1)) * h;
  const clampY = (v: number | null, open: number) =>
    v === null ? open : Math.min(Math.max(sy(v), PAD.t), PAD.t + h);
  const mid = (p: SeriesPoint) => sx((Date.parse(p.start) + Date.parse(p.end)) / 2);
  const first = spec.series[0]!;
  const checks = new Set(spec.series.map((s) => s.check));
  const alerts = props.alerts.filter((a) => checks.has(a.check));
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((t) => x0 + t * (x1 - x0));
  const yTicks = [0, 0.5, 1].map((t) => y0 + t * (y1 - y0));
  return (
    <figure className="mon-chart" data-chart={spec.id}>
      <svg
        className="chart"
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        preserveAspectRatio="none"
        onClick={followLink}
        onKeyDown={followKey}
        onMouseOver={showLabel}
        onFocus={showLabel}
      >
        <title>{`${spec.title}: one point per window, linking to its evidence`}</title>
        {bandsOf(first.points).map((b) => (
          <rect
            key={`${b.level}-${b.x0}`}
            className={`band band-${b.level}`}
            x={sx(b.x0)}
            width={Math.max(sx(b.x1) - sx(b.x0), 0)}
            y={Math.min(clampY(b.y1, PAD.t), clampY(b.y0, PAD.t + h))}
            height={Math.abs(clampY(b.y0, PAD.t + h) - clampY(b.y1, PAD.t))}
            fill={BAND_FILL[b.level]}
          />
        ))}
        {yTicks.map((v) => (
          <g key={v}>
            <line className="grid-line" x1={PAD.l} x2={PAD.l + w} y1={sy(v)} y2={sy(v)} />
            <text x={PAD.l - 6} y={sy(v) + 4} textAnchor="end">
              {fmt(v)}
            </text>
          </g>
        ))}
        {xTicks.map((v, i) => (
          <text
            key={v}
            x={sx(v)}
            y={H - 6}
            textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
          >
            {dateTick(v, x1 - x0)}
          </text>
        ))}
        <rect className="axis" x={PAD.l} y={PAD.t} width={w} height={h} fill="none" />
        {spec.series.map((s, i) =>
          s.kind === 'estimated_performance'
            ? segmentsOf(s.points, (p) =>
                p.lower !== null && p.upper !== null ? { x: mid(p), lo: p.lower, hi: p.upper } : null,
              ).map((seg) => (
                <polygon
                  key={`cbpe-${s.check}-${seg[0]!.x}`}
                  className="cbpe-band"
                  fill={seriesColour(i)}
                  fillOpacity={0.08}
                  stroke={seriesColour(i)}
                  strokeOpacity={0.5}
                  strokeDasharray="2 2"
                  points={[
                    ...seg.map((q) => `${q.x.toFixed(1)},${sy(q.hi).toFixed(1)}`),
                    ...[...seg].reverse().map((q) => `${q.x.toFixed(1)},${sy(q.lo).toFixed(1)}`),
                  ].join(' ')}
                />
              ))
            : null,
        )}
        {spec.series.map((s, i) =>
          segmentsOf(s.points, (p) =>
            p.value === null ? null : `${mid(p).toFixed(1)},${sy(p.value).toFixed(1)}`,
          ).map((seg) => (
            <polyline
              key={`line-${s.check}-${seg[0]}`}
              fill="none"
              stroke={seriesColour(i)}
              strokeWidth={1.5}
              strokeDasharray={s.kind === 'estimated_performance' ? '5 3' : undefined}
              points={seg.join(' ')}
            />
          )),
        )}
        {spec.series.map((s, i) =>
          s.points.map((p) => {
            const to = windowRoute(modelKey, deploymentId, p.windowId);
            const label = `${s.check} ${p.start.slice(0, 10)}: ${fmt(p.value)} (${p.severity})`;
            return (
              <a key={`${s.check}-${p.windowId}`} href={to} aria-label={label}>
                <circle
                  data-severity={p.severity}
                  cx={mid(p)}
                  cy={p.value === null ? PAD.t + h - 3 : sy(p.value)}
                  r={p.severity === 'ok' ? 2.5 : 3.5}
                  fill={SEVERITY_FILL[p.severity]}
                  stroke={seriesColour(i)}
                  strokeWidth={1}
                />
              </a>
            );
          }),
        )}
        {alerts.map((a) => {
          // where the problem began: the start of the streak of bad windows that fired it
          const x = sx(Math.max(Date.parse(a.startsAt), x0));
          return (
            <g key={a.id} className="alert-marker" data-alert={a.id} data-severity={a.severity}>
              <path
                d={`M ${x - 6} ${PAD.t - 2} L ${x + 6} ${PAD.t - 2} L ${x} ${PAD.t + 9} Z`}
                fill={a.severity === 'critical' ? SEVERITY_FILL.critical : SEVERITY_FILL.warning}
              >
                <title>
                  {`${a.severity} alert, ${a.state}: bad since ${a.startsAt.slice(0, 16).replace('T', ' ')} UTC, last window ended ${a.windowEnd.slice(0, 16).replace('T', ' ')} UTC`}
                </title>
              </path>
              <line x1={x} x2={x} y1={PAD.t} y2={PAD.t + h} stroke="#8f1d21" strokeDasharray="2 3" />
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <strong>{spec.title}</strong>
        {spec.series.map((s, i) => (
          <span key={s.check}>
            <i style={{ background: seriesColour(i) }} />
            {s.kind === 'estimated_performance'
              ? 'estimated (CBPE, ±3σ band)'
              : s.kind === 'performance'
                ? 'realised'
                : s.metric}
          </span>
        ))}
        <span>
          <i style={{ background: BAND_FILL.warning }} />
          warning band
        </span>
        <span>
          <i style={{ background: BAND_FILL.critical }} />
          critical band
        </span>
        {alerts.length ? <span>▼ {alerts.length} alert(s)</span> : null}
        <span className="hover-readout muted" aria-live="off" />
      </figcaption>
    </figure>
  );
}

/** Label completeness per window: the share of each window's predictions that have an outcome yet. */
export function CompletenessStrip(props: {
  windows: readonly { windowId: string; start: string; end: string; labelCompleteness: number | null }[];
  modelKey: string;
  deploymentId: string;
}) {
  const { windows } = props;
  if (windows.length === 0) return null;
  const x0 = Date.parse(windows[0]!.start);
  const x1 = Date.parse(windows[windows.length - 1]!.end);
  const h = 40;
  const w = W - PAD.l - PAD.r;
  const sx = (v: number) => PAD.l + ((v - x0) / (x1 - x0 || 1)) * w;
  return (
    <figure className="mon-chart" data-chart="label-completeness">
      <svg
        className="chart"
        viewBox={`0 0 ${W} ${h + 8}`}
        width="100%"
        preserveAspectRatio="none"
        onClick={followLink}
        onKeyDown={followKey}
        onMouseOver={showLabel}
        onFocus={showLabel}
      >
        <title>Label completeness per window</title>
        <text x={PAD.l - 6} y={12} textAnchor="end">
          100%
        </text>
        <text x={PAD.l - 6} y={h} textAnchor="end">
          0%
        </text>
        {windows.map((win) => {
          const a = sx(Date.parse(win.start));
          const b = sx(Date.parse(win.end));
          const c = win.labelCompleteness ?? 0;
          const to = windowRoute(props.modelKey, props.deploymentId, win.windowId);
          const label = `${win.start.slice(0, 10)}: ${win.labelCompleteness === null ? 'no rows' : `${Math.round(c * 100)}% labelled`}`;
          return (
            <a key={win.windowId} href={to} aria-label={label}>
              <rect
                x={a}
                width={Math.max(b - a - 0.5, 0.5)}
                y={4 + (1 - c) * (h - 4)}
                height={Math.max(c * (h - 4), 0.5)}
                fill={c >= 0.999 ? '#009e73' : c > 0 ? '#56b4e9' : '#d0d5dd'}
              />
            </a>
          );
        })}
      </svg>
      <figcaption className="legend">
        <strong>Label completeness</strong>
        <span>
          <i style={{ background: '#009e73' }} />
          all labelled
        </span>
        <span>
          <i style={{ background: '#56b4e9' }} />
          partly labelled (performance waits)
        </span>
        <span className="hover-readout muted" aria-live="off" />
      </figcaption>
    </figure>
  );
}
