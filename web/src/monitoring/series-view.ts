import type { MonitoringSeries } from '../../../src/contracts/monitoring.ts';

/** One series of a deployment (one check) and one of its points, as the API gives them. */
export type CheckSeries = MonitoringSeries['series'][number];
export type SeriesPoint = CheckSeries['points'][number];

/** What one chart of the monitoring tab shows: one check, or realised and estimated performance of one metric. */
export interface ChartSpec {
  id: string;
  title: string;
  kind: CheckSeries['kind'];
  /** The realised (or only) series first; the CBPE estimate second when paired. */
  series: CheckSeries[];
}

const KIND_ORDER: Record<CheckSeries['kind'], number> = {
  performance: 0,
  estimated_performance: 0,
  drift: 1,
  data_quality: 2,
  volume: 3,
};

/**
 * Groups a deployment's series into charts: a performance metric and its estimate (CBPE) share one
 * chart so realised and estimated sit side by side; every other check has its own. Performance
 * first, then drift, data quality and volume, each in the plan's order.
 */
export function chartsOf(series: readonly CheckSeries[]): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const perf = new Map<string, ChartSpec>();
  for (const s of series) {
    const isPerf = s.kind === 'performance' || s.kind === 'estimated_performance';
    const label = `${s.metric}${s.feature ? ` of ${s.feature}` : ''}`;
    if (isPerf) {
      const existing = perf.get(s.metric);
      if (existing) {
        existing.series.push(s);
        existing.series.sort((a, b) => (a.kind === 'performance' ? -1 : b.kind === 'performance' ? 1 : 0));
        existing.title = `${s.metric}: realised and estimated (CBPE)`;
        continue;
      }
      const spec: ChartSpec = {
        id: `perf:${s.metric}`,
        title: s.kind === 'performance' ? `${s.metric} (realised)` : `${s.metric} (estimated, CBPE)`,
        kind: 'performance',
        series: [s],
      };
      perf.set(s.metric, spec);
      charts.push(spec);
    } else {
      charts.push({ id: s.check, title: `${s.check} · ${label}`, kind: s.kind, series: [s] });
    }
  }
  return charts
    .map((c, i) => ({ c, i }))
    .sort((a, b) => KIND_ORDER[a.c.kind] - KIND_ORDER[b.c.kind] || a.i - b.i)
    .map(({ c }) => c);
}

/** A horizontal threshold band over a run of windows that share the same thresholds. */
export interface Band {
  level: 'warning' | 'critical';
  x0: number;
  x1: number;
  /** Value range; null is the open end of the chart. */
  y0: number | null;
  y1: number | null;
}

/**
 * The warning and critical bands of a series: the values that are bad, per run of consecutive
 * windows with the same thresholds (a plan change moves them). `above`: warning from the warning
 * threshold up to the critical one, critical from there up; `below` mirrors it.
 */
export function bandsOf(points: readonly SeriesPoint[]): Band[] {
  const bands: Band[] = [];
  let i = 0;
  while (i < points.length) {
    const p = points[i]!;
    let j = i;
    while (
      j + 1 < points.length &&
      points[j + 1]!.warning === p.warning &&
      points[j + 1]!.critical === p.critical &&
      points[j + 1]!.direction === p.direction
    )
      j++;
    const x0 = Date.parse(p.start);
    const x1 = Date.parse(points[j]!.end);
    const { warning, critical } = p;
    if (p.direction === 'above') {
      if (warning !== null) bands.push({ level: 'warning', x0, x1, y0: warning, y1: critical });
      if (critical !== null) bands.push({ level: 'critical', x0, x1, y0: critical, y1: null });
    } else {
      if (warning !== null) bands.push({ level: 'warning', x0, x1, y0: critical, y1: warning });
      if (critical !== null) bands.push({ level: 'critical', x0, x1, y0: null, y1: critical });
    }
    i = j + 1;
  }
  return bands;
}

/** The y range that shows every value, CBPE band and threshold of the series, with a margin. */
export function yDomainOf(series: readonly CheckSeries[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series)
    for (const p of s.points)
      for (const v of [p.value, p.lower, p.upper, p.warning, p.critical]) {
        if (v === null || !Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
  if (lo === Number.POSITIVE_INFINITY) return [0, 1];
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

/** The x range (ms) of every window of the series. */
export function xDomainOf(series: readonly CheckSeries[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series)
    for (const p of s.points) {
      const a = Date.parse(p.start);
      const b = Date.parse(p.end);
      if (a < lo) lo = a;
      if (b > hi) hi = b;
    }
  return lo === Number.POSITIVE_INFINITY ? [0, 1] : [lo, hi];
}

/** The polyline segments of a series' values, broken where a window has no value. */
export function segmentsOf<T>(points: readonly SeriesPoint[], pick: (p: SeriesPoint) => T | null): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  for (const p of points) {
    const v = pick(p);
    if (v === null) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(v);
  }
  if (current.length) out.push(current);
  return out;
}

/** The windows of a deployment with their label completeness (taken from any series; every check shares the windows). */
export function windowsOf(
  series: readonly CheckSeries[],
): { windowId: string; start: string; end: string; labelCompleteness: number | null }[] {
  const seen = new Map<
    string,
    { windowId: string; start: string; end: string; labelCompleteness: number | null }
  >();
  for (const s of series)
    for (const p of s.points)
      if (!seen.has(p.windowId))
        seen.set(p.windowId, {
          windowId: p.windowId,
          start: p.start,
          end: p.end,
          labelCompleteness: p.labelCompleteness,
        });
  return [...seen.values()].sort((a, b) => a.start.localeCompare(b.start));
}

/** A number as the charts print it: up to four significant digits. */
export function fmt(v: number | null): string {
  if (v === null) return 'n/a';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(4)).toString();
}

/** The console route of a window's evidence. */
export function windowRoute(modelKey: string, deploymentId: string, windowId: string): string {
  return `/models/${encodeURIComponent(modelKey)}/deployments/${encodeURIComponent(deploymentId)}/windows/${encodeURIComponent(windowId)}`;
}
