import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import { queryRows } from '../duckdb/sql.ts';
import { loadTable } from '../load/load-table.ts';
import { categoryLabelCounts, categoryLabelSql } from '../quality/categorical-leakage.ts';
import { SortPool } from './sort-pool.ts';
import { TableScan } from './table-scan.ts';

const ADULT = path.resolve(REPO_ROOT, 'data/adult/adult_scored_reference.csv');

describe('TableScan.detach', () => {
  it('answers from what it read before its table was dropped, and reads anything else from the file again', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const sorter = new SortPool();
    try {
      const table = await loadTable(conn, ADULT);
      const direct = new TableScan(conn, table, sorter);
      const fnlwgt = await direct.numeric('fnlwgt');
      const race = await direct.categories('race');
      const scan = new TableScan(conn, table, sorter);
      const before = await scan.numeric('age');
      await scan.detach(['age', 'hr_per_week'], ['sex']);
      await queryRows(conn, `DROP TABLE ${table.table}`);
      expect((await scan.numeric('age')).sample.n).toBe(before.sample.n);
      expect((await scan.numeric('hr_per_week')).sample.n).toBe(table.rows);
      expect((await scan.categories('sex')).values).toEqual(['Female', 'Male']);
      // released columns stay: the table they came from is gone
      scan.release('age');
      expect((await scan.numeric('age')).sample.n).toBe(before.sample.n);
      // columns not read before are read from the file, with the same values
      expect(scan.from()).toContain('read_csv');
      expect((await scan.numeric('fnlwgt')).sample.values).toEqual(fnlwgt.sample.values);
      expect(await scan.categories('race')).toEqual(race);
    } finally {
      await sorter.close();
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('counts categories as text, blank and NULL values missing, numbers by their text', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'assay-categories-'));
      const file = path.join(dir, 'c.csv');
      writeFileSync(file, 'c,n\nb,2\n   ,1\n,10\na,2\nb,\na,2\n"  ",1\n');
      const table = await loadTable(conn, file);
      const scan = new TableScan(conn, table);
      expect(await scan.categories('c')).toEqual({ values: ['a', 'b'], counts: [2, 2], total: 4 });
      // DuckDB's order of text: '10' before '2'
      expect(await scan.categories('n')).toEqual({ values: ['1', '10', '2'], counts: [2, 1, 3], total: 6 });
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('counts categories by label class in the same pass as the categories, as the separate query does', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'assay-categories-'));
      const file = path.join(dir, 'c.csv');
      // a blank label and a NaN label are missing: their rows are left out of the label counts
      writeFileSync(file, 'c,y\nb,1\n   ,1\n,0\na,1\nb,0\na,\nb,NaN\nz,\n"  ",0\n');
      const table = await loadTable(conn, file);
      const label = { name: 'y', kind: 'numeric' as const };
      const separate = await categoryLabelCounts(new TableScan(conn, table), ['c'], label, '1');
      const scan = new TableScan(conn, table);
      scan.countByLabel(categoryLabelSql(label, '1'));
      expect(await scan.categories('c')).toEqual({ values: ['a', 'b', 'z'], counts: [2, 3, 1], total: 6 });
      expect(await scan.labelCounts('c', categoryLabelSql(label, '1'))).toEqual([
        { rows: 1, positives: 1 },
        { rows: 2, positives: 1 },
      ]);
      // another positive class is not what was counted
      expect(scan.labelCounts('c', categoryLabelSql(label, '0'))).toBeUndefined();
      const merged = await categoryLabelCounts(scan, ['c'], label, '1');
      const byRows = (list: { rows: number; positives: number }[] | undefined) =>
        [...(list ?? [])].sort((a, b) => a.rows - b.rows || a.positives - b.positives);
      expect(byRows(merged.get('c'))).toEqual(byRows(separate.get('c')));
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('fails the columns being sorted when the sorter stops, without unhandled rejections for the others', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const sorter = new SortPool();
    try {
      const rows = 2_000_000;
      await conn.run(`CREATE TABLE big AS SELECT random() AS x, random() AS y FROM range(${rows})`);
      const table = {
        table: 'big',
        path: 'big',
        rows,
        columns: [
          { name: 'x', kind: 'numeric' as const },
          { name: 'y', kind: 'numeric' as const },
        ],
        sha256: '',
      };
      const scan = new TableScan(conn, table, sorter);
      await scan.columnTypes();
      scan.prefetchNumeric(['x', 'y']);
      await new Promise((resolve) => setImmediate(resolve));
      // queued behind the read: once it answers, both sorts are on the worker
      await queryRows(conn, 'SELECT 1');
      await sorter.close();
      await expect(scan.numeric('x')).rejects.toThrow(/sort worker/);
      // 'y' is never asked for: its failure must not surface as an unhandled rejection
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});

describe('TableScan.planRowHashes', () => {
  it('reads the planned row hashes with the numeric columns, the same hashes as a pass of their own', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const sorter = new SortPool();
    try {
      const table = await loadTable(conn, ADULT);
      const expr = 'hash(age, sex, fnlwgt)';
      const alone = await new TableScan(conn, table, sorter).rowHashes(expr);
      const scan = new TableScan(conn, table, sorter);
      scan.planRowHashes(expr);
      const streams: string[] = [];
      const stream = conn.stream.bind(conn);
      conn.stream = ((sql: string) => {
        streams.push(sql);
        return stream(sql);
      }) as typeof conn.stream;
      scan.prefetchNumeric(['age', 'hr_per_week']);
      const planned = await scan.rowHashes(expr);
      // one streamed query read the numeric columns and the hashes
      expect(streams).toHaveLength(1);
      expect(streams[0]).toContain(expr);
      expect(planned.length).toBe(table.rows);
      expect(planned.slice().sort()).toEqual(alone.slice().sort());
      expect((await scan.numeric('hr_per_week')).sample.n).toBe(table.rows);
      // taken once: asked again, they are read in a pass of their own
      const again = await scan.rowHashes(expr);
      expect(streams).toHaveLength(2);
      expect(again.slice().sort()).toEqual(alone.slice().sort());
    } finally {
      await sorter.close();
      conn.closeSync();
      instance.closeSync();
    }
  });
});
