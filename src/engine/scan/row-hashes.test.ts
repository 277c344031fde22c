import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import { queryRows } from '../duckdb/sql.ts';
import { loadTable } from '../load/load-table.ts';
import { computeDataQuality } from '../quality/data-quality.ts';
import { validate } from '../validate.ts';
import { hasRepeat, readRowHashes, shareAHash, sortHashes } from './row-hashes.ts';

const ADULT = path.resolve(REPO_ROOT, 'data/adult');

describe('row hashes read and sorted in JS', () => {
  it('finds repeated rows and hashes shared by two tables, across many chunks', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      // 10,000 distinct rows (several chunks), then one row repeated
      await queryRows(conn, `CREATE TABLE a AS SELECT i AS x, 'v' || (i % 7) AS s FROM range(10000) t(i)`);
      await queryRows(
        conn,
        `CREATE TABLE b AS SELECT i + 20000 AS x, 'v' || (i % 7) AS s FROM range(5000) t(i)`,
      );
      const a = sortHashes(await readRowHashes(conn, 'a', 'hash(x, s)', 10000));
      const b = sortHashes(await readRowHashes(conn, 'b', 'hash(x, s)', 5000));
      expect(a.hashes.length).toBe(10000);
      // sorted as unsigned 64-bit integers
      for (let i = 1; i < a.hashes.length; i++)
        expect(a.hashes[i - 1] as bigint).toBeLessThanOrEqual(a.hashes[i] as bigint);
      expect(hasRepeat(a)).toBe(false);
      expect(shareAHash(a, b)).toBe(false);
      // the same values hash alike: a row of b equal to a row of a is found, as is a repeat
      await queryRows(conn, `INSERT INTO b VALUES (9999, 'v3')`);
      await queryRows(conn, `INSERT INTO a VALUES (17, 'v3')`);
      const a2 = sortHashes(await readRowHashes(conn, 'a', 'hash(x, s)', 10001));
      const b2 = sortHashes(await readRowHashes(conn, 'b', 'hash(x, s)', 5001));
      expect(hasRepeat(a2)).toBe(true);
      expect(shareAHash(a2, b2)).toBe(true);
      expect(shareAHash(b2, a2)).toBe(true);
      // the row count given is a hint: more rows than it are still all read
      expect((await readRowHashes(conn, 'a', 'hash(x, s)', 10)).length).toBe(10001);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('duplicates and overlap through the sorted hashes', () => {
  it('gives the same counts as the SQL probes (data quality alone) on files sharing rows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'assay-row-hashes-'));
    const production = readFileSync(path.join(ADULT, 'adult_scored_production.csv'), 'utf8')
      .trimEnd()
      .split('\n');
    // the current data repeats 3 of its rows; the reference holds 40 current rows (same columns, same types)
    const current = path.join(dir, 'current.csv');
    writeFileSync(current, `${[...production, ...production.slice(1, 4)].join('\n')}\n`);
    const reference = path.join(dir, 'reference.csv');
    writeFileSync(
      reference,
      `${readFileSync(path.join(ADULT, 'adult_scored_reference.csv'), 'utf8').trimEnd()}\n${production.slice(100, 140).join('\n')}\n`,
    );
    const evidence = await validate({
      data: current,
      reference,
      label: 'label',
      score: 'score',
      now: new Date(0),
    });
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const q = await computeDataQuality(
        conn,
        await loadTable(conn, current),
        await loadTable(conn, reference),
        {
          label: 'label',
        },
      );
      expect(q.duplicates.count).toBeGreaterThanOrEqual(3);
      expect(q.leakage.rows_in_reference).toBeGreaterThanOrEqual(40);
      expect(evidence.data_quality?.duplicates.count).toBe(q.duplicates.count);
      expect(evidence.data_quality?.leakage.rows_in_reference).toBe(q.leakage.rows_in_reference);
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
