import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import type { FairnessResult, PerformanceResult } from '../../contracts/validation-evidence.ts';
import { computeFairnessBySpecs } from '../fairness/fairness.ts';
import { loadTable, requireColumn } from '../load/load-table.ts';
import { labelSpecOf } from '../scan/numeric-column.ts';
import { SortPool } from '../scan/sort-pool.ts';
import { TableScan } from '../scan/table-scan.ts';
import { computePerformance } from './performance.ts';
import { createScoredView } from './scored-rows.ts';

type Interval = { lower: number; upper: number; standard_error?: number } | null;

interface IntervalCase {
  name: string;
  file: string;
  weight: string | null;
  group: string;
  confidence: number;
  min_group_size: number;
  threshold: number;
  performance: {
    accuracy: Interval;
    precision: Interval;
    recall: Interval;
    roc_auc: Interval;
    calibration: Record<string, number>;
  };
  fairness: {
    groups: Record<string, Record<string, Interval>>;
    intervals: Record<string, Interval>;
    judged: Record<string, unknown> & { groups: string[]; intervals: Record<string, Interval> };
    threshold_sweep: {
      thresholds: number[];
      groups: Record<string, Record<string, number | (number | null)[]>>;
    };
  };
}

const fixture = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference/intervals/expected.json'), 'utf8'),
) as { cases: IntervalCase[] };

/** Relative agreement to 1e-9 (absolute 1e-12 near zero: p-values and interval ends of 0). */
function expectClose(actual: unknown, expected: unknown, what: string): void {
  if (typeof expected !== 'number') {
    expect(actual, what).toEqual(expected);
    return;
  }
  expect(typeof actual, what).toBe('number');
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-12);
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

function expectInterval(actual: unknown, expected: Interval, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  const a = actual as Record<string, unknown> | null;
  expect(a, what).not.toBeNull();
  for (const [key, value] of Object.entries(expected)) expectClose(a?.[key], value, `${what}.${key}`);
}

function checkPerformance(result: PerformanceResult, c: IntervalCase): void {
  const i = result.intervals;
  expect(i?.confidence).toBe(c.confidence);
  expectInterval(i?.accuracy, c.performance.accuracy, `${c.name}.accuracy`);
  expectInterval(i?.precision, c.performance.precision, `${c.name}.precision`);
  expectInterval(i?.recall, c.performance.recall, `${c.name}.recall`);
  expectInterval(i?.roc_auc, c.performance.roc_auc, `${c.name}.roc_auc`);
  expect(i?.roc_auc?.method).toBe('delong');
  for (const [key, value] of Object.entries(c.performance.calibration)) {
    expectClose(result.calibration?.[key as 'slope'], value, `${c.name}.calibration.${key}`);
  }
}

function checkFairness(result: FairnessResult, c: IntervalCase): void {
  const f = c.fairness;
  expect(Object.keys(result.groups).sort()).toEqual(Object.keys(f.groups).sort());
  for (const [group, rates] of Object.entries(f.groups)) {
    for (const [rate, interval] of Object.entries(rates)) {
      const actual = result.groups[group]?.intervals?.[rate as 'accuracy'];
      expectInterval(actual, interval, `${c.name}.${group}.${rate}`);
    }
  }
  for (const [key, interval] of Object.entries(f.intervals)) {
    expectInterval(result.intervals?.[key as 'equalized_odds_difference'], interval, `${c.name}.${key}`);
  }
  const judged = result.judged as unknown as Record<string, unknown> & {
    groups: string[];
    intervals: Record<string, unknown>;
  };
  expect([...judged.groups].sort()).toEqual(f.judged.groups);
  // the reference writes a note (not the engine's words) when fewer than two groups are large enough
  expect(judged.note === null).toBe(f.judged.note === null);
  for (const [key, value] of Object.entries(f.judged)) {
    if (key === 'groups' || key === 'note') continue;
    if (key === 'intervals') {
      for (const [k, interval] of Object.entries(f.judged.intervals)) {
        expectInterval(judged.intervals[k], interval, `${c.name}.judged.${k}`);
      }
    } else {
      expectClose(judged[key], value, `${c.name}.judged.${key}`);
    }
  }
  const sweep = result.threshold_sweep;
  expect(sweep?.thresholds).toEqual(f.threshold_sweep.thresholds);
  for (const [group, expected] of Object.entries(f.threshold_sweep.groups)) {
    const actual = sweep?.groups[group] as unknown as Record<string, unknown>;
    expect(actual, `${c.name}.sweep.${group}`).toBeDefined();
    for (const [key, value] of Object.entries(expected)) {
      if (!Array.isArray(value)) {
        expect(actual[key]).toBe(value);
        continue;
      }
      const list = actual[key] as (number | null)[];
      expect(list).toHaveLength(value.length);
      value.forEach((v, t) => {
        expectClose(list[t], v, `${c.name}.sweep.${group}.${key}[${t}]`);
      });
    }
  }
}

describe('intervals, calibration fit and fairness additions match SciPy / statsmodels / pandas', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const sorter = new SortPool();
  afterAll(() => sorter.close());
  for (const c of fixture.cases) {
    it(`case ${c.name}`, async () => {
      const table = await loadTable(conn, path.resolve(REPO_ROOT, c.file));
      const names = { label: 'label', score: 'score', ...(c.weight ? { weight: c.weight } : {}) };
      const scored = await createScoredView(conn, table, { ...names, threshold: c.threshold });
      const viaQuery = await computePerformance(conn, scored, names, { confidence: c.confidence });
      checkPerformance(viaQuery, c);
      // as validate does: the score's sorted sample gives the curves (unweighted) and the deciles
      const scan = new TableScan(conn, table, sorter);
      const label = requireColumn(table, 'label');
      scan.setLabel(labelSpecOf(label, (await scan.columnTypes()).get('label'), scored.positiveLabel));
      const viaSample = await computePerformance(conn, scored, names, {
        confidence: c.confidence,
        sortedScore: scan.numeric('score'),
      });
      expect(viaSample.intervals).toEqual(viaQuery.intervals);
      expect(viaSample.calibration).toEqual(viaQuery.calibration);
      const fairness = await computeFairnessBySpecs(conn, scored, [[c.group]], {
        minGroupSize: c.min_group_size,
        confidence: c.confidence,
      });
      checkFairness(fairness[c.group] as FairnessResult, c);
    });
  }
});
