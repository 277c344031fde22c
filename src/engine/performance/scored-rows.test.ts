import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadTable } from '../load/load-table.ts';
import { computePerformance } from './performance.ts';
import { createScoredView } from './scored-rows.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'assay-scored-'));

describe('createScoredView', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const load = (name: string, body: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, body);
    return loadTable(conn, file);
  };

  it('names the first data row whose score is not a number in [0, 1]', async () => {
    const t = await load('s.csv', 'y,s\n1,0.2\n0,0.9\n1,1.5\n0,x\n');
    await expect(createScoredView(conn, t, { label: 'y', score: 's' })).rejects.toThrow(
      /score 's' must be a number in \[0, 1\]; data row 3/,
    );
  });

  it('names a missing label, more than two classes and an unknown positive label', async () => {
    const missing = await load('m.csv', 'y,s\n1,0.2\n,0.9\n');
    await expect(createScoredView(conn, missing, { label: 'y', score: 's' })).rejects.toThrow(/data row 2/);
    // a label stored as integers (BIGINT) or doubles is checked for NULL (and NaN) only
    for (const labelType of ['BIGINT', 'DOUBLE']) {
      await expect(createScoredView(conn, missing, { label: 'y', score: 's', labelType })).rejects.toThrow(
        /label 'y' is missing in data row 2/,
      );
    }
    const nan = await load('nan.csv', 'y,s\n1,0.2\nnan,0.9\n0,0.1\n');
    await expect(
      createScoredView(conn, nan, { label: 'y', score: 's', labelType: 'DOUBLE' }),
    ).rejects.toThrow(/data row 2/);
    const three = await load('t.csv', 'y,s\na,0.2\nb,0.9\nc,0.1\n');
    await expect(createScoredView(conn, three, { label: 'y', score: 's' })).rejects.toThrow(/more than two/);
    const two = await load('two.csv', 'y,s\nno,0.2\nyes,0.9\n');
    await expect(
      createScoredView(conn, two, { label: 'y', score: 's', positiveLabel: 'maybe' }),
    ).rejects.toThrow(/positive label 'maybe'/);
    await expect(createScoredView(conn, two, { label: 'nope', score: 's' })).rejects.toThrow(
      /unknown column 'nope'; available: y, s/,
    );
  });

  it('takes the greater text label as positive, or the one given', async () => {
    const t = await load('txt.csv', 'y,s\nno,0.2\nyes,0.9\nno,0.6\n');
    const v = await createScoredView(conn, t, { label: 'y', score: 's' });
    expect(v.positiveLabel).toBe('yes');
    const p = await computePerformance(conn, v, { label: 'y', score: 's' });
    expect(p.confusion_matrix).toEqual({ tn: 1, fp: 1, fn: 0, tp: 1 });
    const flipped = await createScoredView(conn, t, { label: 'y', score: 's', positiveLabel: 'no' });
    const q = await computePerformance(conn, flipped, { label: 'y', score: 's' });
    expect(q.confusion_matrix).toEqual({ tn: 0, fp: 1, fn: 1, tp: 1 });
  });

  it('reports null rank metrics and a note for a single class', async () => {
    const t = await load('one.csv', 'y,s\n1,0.2\n1,0.9\n');
    const v = await createScoredView(conn, t, { label: 'y', score: 's' });
    const p = await computePerformance(conn, v, { label: 'y', score: 's' });
    expect(p.roc_auc).toBeNull();
    expect(p.average_precision).toBeNull();
    expect(p.note).toMatch(/one class/);
    expect(p.recall).toBe(0.5);
  });
});
