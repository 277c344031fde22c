import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import { loadTable } from '../load/load-table.ts';
import { computeMulticlass, computeRegression } from './other-tasks.ts';
import { computePerformance } from './performance.ts';
import { createScoredView } from './scored-rows.ts';

const DIR = path.join(REPO_ROOT, 'test/fixtures/reference/tasks');
const { cases } = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as {
  cases: {
    name: string;
    file: string;
    task: string;
    weight: string | null;
    expected: Record<string, unknown>;
  }[];
};

/** Numbers to 1e-9 relative, everything else exactly, recursively. */
function expectClose(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-12);
    expect(Math.abs((actual as number) - expected), `${where}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
      tolerance,
    );
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), where).toBe(true);
    expect((actual as unknown[]).length, where).toBe(expected.length);
    expected.forEach((e, i) => {
      expectClose((actual as unknown[])[i], e, `${where}[${i}]`);
    });
  } else if (expected !== null && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected))
      expectClose((actual as Record<string, unknown>)?.[k], v, `${where}.${k}`);
  } else {
    expect(actual, where).toEqual(expected);
  }
}

describe('multiclass, regression and predicted-class metrics match scikit-learn', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  for (const c of cases) {
    it(c.name, async () => {
      const table = await loadTable(conn, path.join(DIR, c.file));
      const columns = { label: 'label', prediction: 'prediction', ...(c.weight ? { weight: c.weight } : {}) };
      if (c.task === 'multiclass') {
        const r = await computeMulticlass(conn, table, columns);
        const { classes, confusion_matrix, per_class, ...averages } = c.expected as Record<string, unknown>;
        expect(r.multiclass?.classes).toEqual(classes);
        expectClose(r.multiclass?.confusion_matrix, confusion_matrix, 'confusion_matrix');
        expectClose(r.multiclass?.per_class, per_class, 'per_class');
        const flat = { ...r, ...r.multiclass };
        expectClose(flat, averages, c.name);
        expect(r.precision).toBe(r.multiclass?.precision_macro);
      } else if (c.task === 'regression') {
        expectClose(await computeRegression(conn, table, columns), c.expected, c.name);
      } else {
        const scored = await createScoredView(conn, table, { label: 'label', prediction: 'prediction' });
        const r = await computePerformance(conn, scored, { label: 'label', prediction: 'prediction' });
        expectClose(r, c.expected, c.name);
        expect(r.roc_auc).toBeNull();
        expect(r.log_loss).toBeNull();
        expect(r.calibration_curve).toBeNull();
        expect(r.threshold).toBeNull();
      }
    });
  }
});
