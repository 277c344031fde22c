import { describe, expect, it } from 'vitest';
import {
  bandsOf,
  type CheckSeries,
  chartsOf,
  type SeriesPoint,
  segmentsOf,
  windowsOf,
  yDomainOf,
} from '../../web/src/monitoring/series-view.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function point(i: number, over: Partial<SeriesPoint> = {}): SeriesPoint {
  return {
    windowId: `w${i}`,
    start: new Date(T0 + i * DAY).toISOString(),
    end: new Date(T0 + (i + 1) * DAY).toISOString(),
    value: 0.1 * i,
    lower: null,
    upper: null,
    warning: 0.1,
    critical: 0.25,
    direction: 'above',
    severity: 'ok',
    labelCompleteness: 1,
    url: `/api/v1/deployments/d/monitoring/windows/w${i}`,
    ...over,
  };
}

function series(
  check: string,
  kind: CheckSeries['kind'],
  metric: string,
  points: SeriesPoint[],
): CheckSeries {
  return { check, kind, metric, feature: null, points };
}

describe('monitoring tab: charts of a deployment', () => {
  it('puts realised and estimated performance of one metric in one chart, realised first, performance before drift', () => {
    const charts = chartsOf([
      series('drift:age', 'drift', 'psi', [point(0)]),
      series('estimated_performance:roc_auc', 'estimated_performance', 'roc_auc', [point(0)]),
      series('volume:rows', 'volume', 'rows', [point(0)]),
      series('performance:roc_auc', 'performance', 'roc_auc', [point(0)]),
      series('estimated_performance:f1', 'estimated_performance', 'f1', [point(0)]),
    ]);
    expect(charts.map((c) => c.id)).toEqual(['perf:roc_auc', 'perf:f1', 'drift:age', 'volume:rows']);
    expect(charts[0]!.series.map((s) => s.kind)).toEqual(['performance', 'estimated_performance']);
    expect(charts[0]!.title).toMatch(/realised and estimated/);
    expect(charts[1]!.series).toHaveLength(1);
  });

  it('draws one warning and one critical band per run of windows with the same thresholds, mirrored for "below"', () => {
    const pts = [point(0), point(1), point(2, { warning: 0.2, critical: 0.3 })];
    const bands = bandsOf(pts);
    expect(bands).toEqual([
      { level: 'warning', x0: T0, x1: T0 + 2 * DAY, y0: 0.1, y1: 0.25 },
      { level: 'critical', x0: T0, x1: T0 + 2 * DAY, y0: 0.25, y1: null },
      { level: 'warning', x0: T0 + 2 * DAY, x1: T0 + 3 * DAY, y0: 0.2, y1: 0.3 },
      { level: 'critical', x0: T0 + 2 * DAY, x1: T0 + 3 * DAY, y0: 0.3, y1: null },
    ]);
    const below = bandsOf([point(0, { direction: 'below', warning: 0.85, critical: 0.8 })]);
    expect(below).toEqual([
      { level: 'warning', x0: T0, x1: T0 + DAY, y0: 0.8, y1: 0.85 },
      { level: 'critical', x0: T0, x1: T0 + DAY, y0: null, y1: 0.8 },
    ]);
    expect(bandsOf([point(0, { warning: null, critical: null })])).toEqual([]);
  });

  it('breaks the line where a window has no value and spans values, CBPE bands and thresholds on the y axis', () => {
    const pts = [point(0), point(1, { value: null, severity: 'no_data' }), point(2), point(3)];
    expect(segmentsOf(pts, (p) => p.value)).toEqual([[0], [0.2, 0.30000000000000004]]);
    const [lo, hi] = yDomainOf([
      series('e', 'estimated_performance', 'roc_auc', [point(0, { value: 0.5, lower: 0.4, upper: 0.9 })]),
    ]);
    expect(lo).toBeLessThan(0.1);
    expect(hi).toBeGreaterThan(0.9);
    expect(
      yDomainOf([series('x', 'volume', 'rows', [point(0, { value: null, warning: null, critical: null })])]),
    ).toEqual([0, 1]);
  });

  it('lists every window once, in time order, with its label completeness', () => {
    const a = series('a', 'drift', 'psi', [point(1, { labelCompleteness: 0.5 }), point(0)]);
    const b = series('b', 'drift', 'psi', [point(0), point(2, { labelCompleteness: null })]);
    expect(windowsOf([a, b]).map((w) => [w.windowId, w.labelCompleteness])).toEqual([
      ['w0', 1],
      ['w1', 0.5],
      ['w2', null],
    ]);
  });
});
