import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { literal, queryRows } from '../duckdb/sql.ts';
import { InputError } from './input-error.ts';
import { dropLoaded, formatOf, loadTable, requireColumn } from './load-table.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'assay-load-'));
const CSV = 'x,name,code,blanky\n1.5,a,001,\n2,b,002,3\n,c,003,\n-4e2,d,004,nan\n';

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('loadTable', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();

  it('loads a CSV with rows, sha256 and column kinds', async () => {
    const file = write('a.csv', CSV);
    const t = await loadTable(conn, file, { categorical: ['code'] });
    expect(t.rows).toBe(4);
    expect(t.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(t.columns).toEqual([
      { name: 'x', kind: 'numeric' },
      { name: 'name', kind: 'categorical' },
      { name: 'code', kind: 'categorical' },
      { name: 'blanky', kind: 'numeric' },
    ]);
    const [r] = await queryRows(conn, `SELECT sum(TRY_CAST(x AS DOUBLE)) AS s FROM ${t.table}`);
    expect(r?.s).toBe(1.5 + 2 - 400);
  });

  it('reads gzip CSV, JSON lines and Parquet to the same table', async () => {
    const gz = await loadTable(conn, write('b.csv.gz', gzipSync(CSV)));
    const lines = CSV.trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [x, name, code] = l.split(',');
        return JSON.stringify({ x: x === '' ? null : Number(x), name, code });
      });
    const jl = await loadTable(conn, write('c.jsonl', `${lines.join('\n')}\n`));
    const pq = path.join(dir, 'd.parquet');
    await conn.run(`COPY (SELECT * FROM ${gz.table}) TO ${literal(pq)} (FORMAT parquet)`);
    const p = await loadTable(conn, pq);
    for (const t of [gz, jl, p]) {
      expect(t.rows).toBe(4);
      expect(t.columns.find((c) => c.name === 'x')?.kind).toBe('numeric');
      expect(t.columns.find((c) => c.name === 'name')?.kind).toBe('categorical');
    }
    expect(jl.columns.map((c) => c.name)).toEqual(['x', 'name', 'code']);
    // queried where it is: a view with the same rows and columns, dropped as a view
    const view = await loadTable(conn, pq, { parquetView: true });
    expect(view.view).toBe(true);
    expect(p.view).toBeUndefined();
    expect([view.rows, view.columns]).toEqual([p.rows, p.columns]);
    const [kind] = await queryRows(
      conn,
      `SELECT count(*) AS n FROM duckdb_views() WHERE view_name = ${literal(view.table.replaceAll('"', ''))}`,
    );
    expect(Number(kind?.n)).toBe(1);
    await dropLoaded(conn, view);
    await dropLoaded(conn, p);
    await expect(queryRows(conn, `SELECT * FROM ${view.table}`)).rejects.toThrow();
  });

  it('types a column that turns to text after the sniffer sample as categorical', async () => {
    const body = Array.from({ length: 30000 }, (_, i) => `${i}`).join('\n');
    const t = await loadTable(conn, write('late.csv', `v\n${body}\nnot-a-number\n`));
    expect(t.rows).toBe(30001);
    expect(t.columns).toEqual([{ name: 'v', kind: 'categorical' }]);
  });

  it('rejects empty files, unknown formats and missing files', async () => {
    await expect(loadTable(conn, write('e.csv', ''))).rejects.toThrow(/empty/);
    await expect(loadTable(conn, write('h.csv', 'a,b\n'))).rejects.toThrow(/no data rows/);
    await expect(loadTable(conn, write('f.xlsx', 'x'))).rejects.toThrow(/unknown file format/);
    await expect(loadTable(conn, path.join(dir, 'nope.csv'))).rejects.toThrow(/no such file/);
  });

  it('passes on DuckDB malformed-row errors with the line number', async () => {
    const rows = Array.from({ length: 30000 }, (_, i) => `${i},${i}`).join('\n');
    const err = await loadTable(conn, write('bad.csv', `a,b\n${rows}\n1,2,3\n4,5\n`)).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(String(err.message)).toMatch(/bad\.csv/);
    expect(String(err.message)).toMatch(/Line: 30002/);
  });

  it('names unknown columns and lists the available ones', async () => {
    const t = await loadTable(conn, write('g.csv', CSV));
    expect(() => requireColumn(t, 'nope')).toThrow(/unknown column 'nope'; available: x, name, code, blanky/);
    await expect(loadTable(conn, write('g2.csv', CSV), { categorical: ['zz'] })).rejects.toThrow(
      /unknown column 'zz'/,
    );
  });

  it('keeps yes/no and dates as the text of the file', async () => {
    const t = await loadTable(conn, write('txt.csv', 'a,d\nyes,2024-01-02\nno,2024-03-04\n'));
    const rows = await queryRows(conn, `SELECT a, d FROM ${t.table}`);
    expect(rows).toEqual([
      { a: 'yes', d: '2024-01-02' },
      { a: 'no', d: '2024-03-04' },
    ]);
  });

  it('chooses the format from the extension', () => {
    expect(formatOf('a.CSV.gz')).toBe('csv');
    expect(formatOf('a.ndjson')).toBe('jsonl');
    expect(formatOf('a.parquet')).toBe('parquet');
    expect(() => formatOf('a.parquet.gz')).toThrow(InputError);
  });
});

describe('loadTable on a tiny malformed file', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  it('refuses it with DuckDB reason instead of guessing another dialect', async () => {
    await expect(loadTable(conn, write('tiny.csv', 'a,b\n1,2\n3,4,5,6\n5,6\n'))).rejects.toThrow(InputError);
  });
});
