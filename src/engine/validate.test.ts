import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/fixture-tables.ts';
import { validationEvidenceSchema } from '../contracts/validation-evidence.ts';
import { ASSAY_VERSION } from '../version.ts';
import { literal } from './duckdb/sql.ts';
import { validate } from './validate.ts';

/** Deep equality with numbers to 1e-12 relative (parallel sums may differ in the last bit). */
function expectNear(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), where).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), where).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) {
      expectNear((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
    }
  } else {
    expect(actual, where).toEqual(expected);
  }
}

const ADULT = path.resolve(REPO_ROOT, 'data/adult');

describe('validate', () => {
  it('writes a schema-valid evidence document for the adult files', async () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    const evidence = await validate({
      data: path.join(ADULT, 'adult_scored_production.csv'),
      reference: path.join(ADULT, 'adult_scored_reference.csv'),
      label: 'label',
      score: 'score',
      groups: ['sex', 'race'],
      features: ['age', 'education', 'hr_per_week', 'sex'],
      now,
    });
    expect(validationEvidenceSchema.parse(evidence)).toEqual(evidence);
    expect(evidence.created_at).toBe(now.toISOString());
    expect(evidence.engine.version).toBe(ASSAY_VERSION);
    expect(evidence.inputs.map((i) => [i.role, i.rows])).toEqual([
      ['data', 6033],
      ['reference', 6032],
    ]);
    expect(evidence.performance?.count).toBe(6033);
    expect(Object.keys(evidence.fairness ?? {})).toEqual(['sex', 'race']);
    expect(Object.keys(evidence.drift?.features ?? {})).toEqual(['age', 'education', 'hr_per_week', 'sex']);
    expect(evidence.drift?.prediction?.column).toBe('score');
    expect(evidence.data_quality?.rows).toBe(6033);
  });

  it('gives the same evidence numbers from CSV, gzip CSV, Parquet and JSON lines', async () => {
    const csv = path.join(ADULT, 'adult_scored_reference.csv');
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-formats-'));
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const source = `read_csv(${literal(csv)}, header = true)`;
    const parquet = path.join(dir, 'adult.parquet');
    const jsonl = path.join(dir, 'adult.jsonl');
    const gz = path.join(dir, 'adult.csv.gz');
    await conn.run(`COPY (SELECT * FROM ${source}) TO ${literal(parquet)} (FORMAT parquet)`);
    await conn.run(`COPY (SELECT * FROM ${source}) TO ${literal(jsonl)} (FORMAT json)`);
    writeFileSync(gz, gzipSync(readFileSync(csv)));
    const run = (data: string) =>
      validate({ data, label: 'label', score: 'score', groups: ['sex'], now: new Date(0) });
    const base = await run(csv);
    for (const file of [gz, parquet, jsonl]) {
      const e = await run(file);
      expect(e.inputs[0]?.rows, file).toBe(base.inputs[0]?.rows);
      expectNear(e.performance, base.performance, `${file} performance`);
      expectNear(e.fairness, base.fairness, `${file} fairness`);
    }
  });

  it('gives the same evidence whether the tables are dropped after one read or kept compressed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-keep-'));
    // a reference that shares 40 rows with the current data (the overlap is counted too) and
    // whose 'age' is text ('n/a' once), so that age is compared as categories
    const production = readFileSync(path.join(ADULT, 'adult_scored_production.csv'), 'utf8').split('\n');
    const textAge = (production[41] as string).replace(/^[^,]*/, 'n/a');
    const reference = path.join(dir, 'reference.csv');
    writeFileSync(
      reference,
      `${readFileSync(path.join(ADULT, 'adult_scored_reference.csv'), 'utf8').trimEnd()}\n${production.slice(1, 41).join('\n')}\n${textAge}\n`,
    );
    const run = (keepTables: boolean) =>
      validate({
        data: path.join(ADULT, 'adult_scored_production.csv'),
        reference,
        label: 'label',
        score: 'score',
        keepTables,
        now: new Date(0),
      });
    const dropped = await run(false);
    const kept = await run(true);
    expect(dropped.data_quality?.leakage.rows_in_reference).toBeGreaterThanOrEqual(40);
    expect(dropped.data_quality?.schema_changes?.retyped_columns.map((c) => c.column)).toEqual(['age']);
    expect(dropped.drift?.features.age?.kind).toBe('categorical');
    expectNear(dropped, kept, 'evidence');
  });

  it('gives the same evidence from Parquet files queried where they are as from the CSV files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-parquet-view-'));
    // a reference sharing 40 rows with the current data, so that the overlap is counted too
    const production = readFileSync(path.join(ADULT, 'adult_scored_production.csv'), 'utf8').split('\n');
    const csv = {
      data: path.join(ADULT, 'adult_scored_production.csv'),
      reference: path.join(dir, 'reference.csv'),
    };
    writeFileSync(
      csv.reference,
      `${readFileSync(path.join(ADULT, 'adult_scored_reference.csv'), 'utf8').trimEnd()}\n${production.slice(1, 41).join('\n')}\n`,
    );
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const parquet = { data: path.join(dir, 'data.parquet'), reference: path.join(dir, 'reference.parquet') };
    for (const role of ['data', 'reference'] as const) {
      await conn.run(
        `COPY (SELECT * FROM read_csv(${literal(csv[role])}, header = true, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])) TO ${literal(parquet[role])} (FORMAT parquet)`,
      );
    }
    conn.closeSync();
    const run = (files: { data: string; reference: string }, keepTables: boolean) =>
      validate({
        ...files,
        label: 'label',
        score: 'score',
        groups: ['sex', 'race'],
        keepTables,
        now: new Date(0),
      });
    const fromCsv = await run(csv, false);
    expect(fromCsv.data_quality?.leakage.rows_in_reference).toBeGreaterThanOrEqual(40);
    for (const keepTables of [false, true]) {
      const fromParquet = await run(parquet, keepTables);
      const { inputs: a, ...restParquet } = fromParquet;
      const { inputs: b, ...restCsv } = fromCsv;
      expect(a.map((i) => [i.rows, i.columns])).toEqual(b.map((i) => [i.rows, i.columns]));
      expectNear(restParquet, restCsv, `parquet (keepTables ${keepTables})`);
    }
  });

  it('reads a label written as decimals (0.0 / 1.0) as numbers for single-feature leakage, as for performance', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-double-label-'));
    const file = path.join(dir, 'scored.csv');
    const lines = ['label,score,leak,noise'];
    for (let i = 0; i < 200; i++) {
      const y = i % 3 === 0 ? 1 : 0;
      lines.push(`${y}.0,${((i * 37) % 100) / 100},${y * 10 + (i % 5)},${(i * 7919) % 97}`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const e = await validate({ data: file, label: 'label', score: 'score', now: new Date(0) });
    expect(e.performance?.positive_label).toBe('1');
    const leakage = e.data_quality?.leakage;
    expect(leakage?.positive_label).toBe('1');
    expect(leakage?.feature_auc.leak).toBe(1);
    expect(leakage?.suspicious_features).toEqual(['leak']);
    expect(leakage?.feature_auc.noise).toBeLessThan(0.95);
  });

  it('works on columns named like its own aliases (b, h) and counts every kind of missing value from its reads', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-aliases-'));
    const file = path.join(dir, 'scored.csv');
    const lines = ['label,score,b,h,t'];
    const expected = { b: { null: 0, nan: 0, infinite: 0 }, t: { null: 0, empty_string: 0 } };
    // 5,000 rows: several DuckDB chunks, some with NULLs (a validity mask) and some without
    for (let i = 0; i < 5000; i++) {
      const b = i < 2048 ? String(i % 7) : (['', 'nan', 'inf', '-inf', '1.5', '2'][i % 6] as string);
      if (b === '') expected.b.null++;
      else if (b === 'nan') expected.b.nan++;
      else if (b.endsWith('inf')) expected.b.infinite++;
      const t = ['x', ' ', '', 'y'][i % 4] as string;
      if (t === '') expected.t.null++;
      else if (t === ' ') expected.t.empty_string++;
      lines.push(`${i % 3 === 0 ? 1 : 0},${((i * 37) % 100) / 100},${b},${i % 2},${t}`);
    }
    // a repeated row: the duplicate probe groups the row hashes
    lines.push(lines[1] as string);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const e = await validate({ data: file, label: 'label', score: 'score', now: new Date(0) });
    expect(e.performance?.calibration_curve?.bin.length).toBe(10);
    expect(e.data_quality?.duplicates.count).toBeGreaterThanOrEqual(1);
    const missing = e.data_quality?.missing ?? {};
    expect(missing.b).toMatchObject({ ...expected.b, empty_string: 0 });
    expect(missing.b?.count).toBe(expected.b.null + expected.b.nan + expected.b.infinite);
    expect(missing.t).toMatchObject({ ...expected.t, nan: 0, infinite: 0 });
    expect(missing.h?.count).toBe(0);
  });

  it('names a missing or empty reference file before working through the data', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-ref-'));
    const empty = path.join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const progress: string[] = [];
    const run = (reference: string) =>
      validate({
        data: path.join(ADULT, 'adult_scored_production.csv'),
        reference,
        label: 'label',
        score: 'score',
        now: new Date(0),
        progress: (e) => progress.push(e.stage),
      });
    await expect(run(path.join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
    await expect(run(empty)).rejects.toThrow(/empty\.csv: the file is empty/);
    expect(progress).toEqual([]);
  });

  it('refuses an unknown column, listing the available ones', async () => {
    await expect(
      validate({
        data: path.join(ADULT, 'adult_scored_reference.csv'),
        label: 'label',
        score: 'scor',
        now: new Date(0),
      }),
    ).rejects.toThrow(/unknown column 'scor'; available: age, type_employer/);
  });

  it('names the file row of a bad score in a file large enough to be read in parallel', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-rows-'));
    const file = path.join(dir, 'big.csv');
    const lines = ['label,score'];
    for (let i = 1; i <= 1_500_000; i++) lines.push(`${i % 2},${i === 1_234_567 ? 1.5 : (i % 100) / 100}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await expect(validate({ data: file, label: 'label', score: 'score', now: new Date() })).rejects.toThrow(
      /data row 1234567 /,
    );
  }, 60_000);
});
