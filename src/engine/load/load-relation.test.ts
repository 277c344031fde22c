import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import type { SortedSample } from '../drift/sorted-sample.ts';
import { literal } from '../duckdb/sql.ts';
import { validate } from '../validate.ts';
import { InputError } from './input-error.ts';
import { loadRelation } from './load-relation.ts';

const ADULT = path.resolve(REPO_ROOT, 'data/adult');
const dir = mkdtempSync(path.join(tmpdir(), 'assay-relation-'));
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

describe('validate on SQL relations', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const data = path.join(dir, 'production.parquet');
  const reference = path.join(dir, 'reference.parquet');
  await conn.run(
    `COPY (SELECT * FROM read_csv(${literal(path.join(ADULT, 'adult_scored_production.csv'))})) TO ${literal(data)} (FORMAT parquet)`,
  );
  await conn.run(
    `COPY (SELECT * FROM read_csv(${literal(path.join(ADULT, 'adult_scored_reference.csv'))})) TO ${literal(reference)} (FORMAT parquet)`,
  );

  it('gives the evidence of the same rows read from files, naming the relations and their digests', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const options = {
      label: 'label',
      score: 'score',
      positiveLabel: '1',
      groups: ['sex'],
      categorical: ['education_num'],
      now,
    };
    const byFile = await validate({ ...options, data, reference });
    // the relations are queries of another shape over the same rows: a filter keeping every row
    // and a column list in the file's order
    const dataSql = `SELECT * FROM read_parquet(${literal(data)}) WHERE age IS NULL OR age > -1`;
    const referenceSql = `SELECT * FROM read_parquet(${literal(reference)})`;
    const samples = new Map<string, SortedSample>();
    const byRelation = await validate({
      ...options,
      data: 'production rows',
      reference: 'reference rows',
      relations: {
        data: { sql: dataSql, sha256: digest(dataSql) },
        reference: { sql: referenceSql, sha256: digest(referenceSql) },
      },
      numericSamples: { columns: ['score', 'age', 'sex'], take: (c, s) => samples.set(c, s) },
      duckdb: instance,
    });
    const { inputs: fileInputs, ...fileRest } = byFile;
    const { inputs: relationInputs, ...relationRest } = byRelation;
    expect(relationRest).toEqual(fileRest);
    expect(relationInputs.map((i) => [i.role, i.path, i.sha256, i.rows, i.columns])).toEqual([
      ['data', 'production rows', digest(dataSql), fileInputs[0]?.rows, fileInputs[0]?.columns],
      ['reference', 'reference rows', digest(referenceSql), fileInputs[1]?.rows, fileInputs[1]?.columns],
    ]);
    // the data's sorted scores, as drift read them; a text column has none
    const [row] = (
      await conn.runAndReadAll(
        `SELECT list(score ORDER BY score) AS s FROM read_parquet(${literal(data)}) WHERE isfinite(score)`,
      )
    ).getRowObjectsJS() as { s: number[] }[];
    const score = samples.get('score');
    expect(score?.counts).toBeNull();
    expect(Array.from(score?.values ?? [])).toEqual(row?.s);
    expect(samples.has('age')).toBe(true);
    expect(samples.has('sex')).toBe(false);
  });

  it('refuses a relation that does not run, has no rows or comes without a digest', async () => {
    const ok = digest('x');
    await expect(loadRelation(conn, 'broken', { sql: 'SELECT * FROM nowhere', sha256: ok })).rejects.toThrow(
      InputError,
    );
    await expect(
      loadRelation(conn, 'empty', {
        sql: `SELECT * FROM read_parquet(${literal(data)}) LIMIT 0`,
        sha256: ok,
      }),
    ).rejects.toThrow(/empty: the relation has no rows/);
    await expect(loadRelation(conn, 'undigested', { sql: `SELECT 1 AS x`, sha256: 'abc' })).rejects.toThrow(
      /SHA-256/,
    );
    await expect(
      loadRelation(conn, 'rel', { sql: 'SELECT 1 AS x', sha256: ok }, { categorical: ['y'] }),
    ).rejects.toThrow(/unknown column 'y'/);
  });
});
