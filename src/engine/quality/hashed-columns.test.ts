import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTable } from '../load/load-table.ts';
import { TableScan } from '../scan/table-scan.ts';
import { currentDataQuality, referenceOverlap } from './data-quality.ts';
import { hashedColumns } from './hashed-columns.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'assay-hashed-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function csv(name: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

// x is unique on the first 1,000 rows: the numeric columns alone make a selective hash
const base = Array.from({ length: 1000 }, (_, i) => `${i}.5,${i % 3},a${i % 4}`);

describe('row hashes over the numeric columns only', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();

  it('hashes only the numeric columns when one of them is nearly unique, every column otherwise', async () => {
    const selective = new TableScan(conn, await loadTable(conn, await csv('sel.csv', ['x,k,s', ...base])));
    expect([...(await hashedColumns(selective))].sort()).toEqual(['k', 'x']);
    const low = Array.from({ length: 1000 }, (_, i) => `${i % 5},${i % 3},a${i % 4}`);
    const plain = new TableScan(conn, await loadTable(conn, await csv('low.csv', ['x,k,s', ...low])));
    expect([...(await hashedColumns(plain))].sort()).toEqual(['k', 's', 'x']);
  });

  it('still counts duplicates and overlap on every column (rows equal on the numbers only are not equal)', async () => {
    // (1.5, 1, zzz) equals row 1 on the numbers only; (2.5, 2, a2) is a true duplicate of row 2
    const current = await loadTable(conn, await csv('cur.csv', ['x,k,s', ...base, '1.5,1,zzz', '2.5,2,a2']));
    // (3.5, 0, a3) is a current row; (1.5, 1, other) matches current rows on the numbers only
    const reference = await loadTable(
      conn,
      await csv('ref.csv', ['x,k,s', '3.5,0,a3', '1.5,1,other', '7,7,b']),
    );
    const currentScan = new TableScan(conn, current);
    expect([...(await hashedColumns(currentScan))].sort()).toEqual(['k', 'x']);
    const quality = await currentDataQuality(conn, currentScan, { keepRowHashes: true });
    expect((await quality.result).duplicates.count).toBe(1);
    const overlap = await referenceOverlap(
      conn,
      currentScan,
      new TableScan(conn, reference),
      quality.rowHashes,
    );
    expect(overlap).toBe(1);
  });
});
