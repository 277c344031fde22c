import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { addSegment, type Halves, overlappingIds } from './id-index.ts';
import { writePredictionSegment } from './segments.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-id-index-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const columns = { predictionId: 'prediction_id', timestamp: 'timestamp', label: 'label' };
let n = 0;

/** Writes a CSV batch of ids (all at 2026-03-01T10:00Z + i minutes) and ingests it as a segment. */
async function ingest(key: string, ids: string[], existing: { file: string; from: number; to: number }[]) {
  const csv = path.join(dir, `b${++n}.csv`);
  const rows = ids.map((id, i) => `${id},2026-03-01T10:${String(i % 60).padStart(2, '0')}:00Z,${i}`);
  fs.writeFileSync(csv, `prediction_id,timestamp,x\n${rows.join('\n')}\n`);
  const out = path.join(dir, `s${n}.parquet`);
  const { predictions } = await writePredictionSegment({
    source: { file: csv, format: 'csv' },
    columns,
    batchId: String(n).padStart(4, '0'),
    out,
    outcomesOut: path.join(dir, `o${n}.parquet`),
    existing,
    indexKey: key,
  });
  return { file: out, from: predictions.from as number, to: predictions.to as number, info: predictions };
}

describe('prediction-id index', () => {
  it('drops ids stored in earlier overlapping segments and repeated within a batch, and forgets unlisted files', async () => {
    const a = await ingest('dep-a', ['p1', 'p2', 'p3'], []);
    expect(a.info.duplicates).toBe(0);
    // p2, p3 stored already; p4 repeated in the batch: 3 dropped, p4 and p5 kept
    const b = await ingest('dep-a', ['p2', 'p4', 'p3', 'p4', 'p5'], [a]);
    expect(b.info).toMatchObject({ rows: 2, duplicates: 3 });
    // a third batch sees both earlier segments (the second was indexed when written)
    const c = await ingest('dep-a', ['p5', 'p1', 'p6'], [a, b]);
    expect(c.info).toMatchObject({ rows: 1, duplicates: 2 });
    // another deployment's index is its own
    const other = await ingest('dep-b', ['p1'], [{ file: path.join(dir, 'none.parquet'), from: 0, to: 0 }]);
    expect(other.info.duplicates).toBe(0);
    // a segment no longer listed (its manifest gone) no longer counts
    const d = await ingest('dep-a', ['p1', 'p4'], [b]);
    expect(d.info).toMatchObject({ rows: 1, duplicates: 1 });
    // a segment outside the batch's time range does not count (as before the index)
    const far = { ...a, from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-01-02T00:00:00Z') };
    const e = await ingest('dep-a', ['p1'], [far]);
    expect(e.info.duplicates).toBe(0);
  });

  it('holds thousands of ids across table growth and removal (exact counts)', async () => {
    const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${from + i}`);
    // 3,000 ids, then 3,000 of which the first half is stored: the table grows past its first size
    const a = await ingest('dep-d', ids(0, 3000), []);
    const b = await ingest('dep-d', ids(1500, 4500), [a]);
    expect(b.info).toMatchObject({ rows: 1500, duplicates: 1500 });
    // the first segment unlisted: its ids are new again, the second's still stored
    const c = await ingest('dep-d', [...ids(0, 100), ...ids(3000, 3100)], [b]);
    expect(c.info).toMatchObject({ rows: 100, duplicates: 100 });
  });

  it('a fresh index reads the segments it needs (after a restart, another process, a compaction)', async () => {
    const a = await ingest('dep-c', ['q1', 'q2'], []);
    // under a new key nothing is indexed yet: the listed segment is read on first use
    const b = await ingest('dep-c-restarted', ['q2', 'q3'], [a]);
    expect(b.info).toMatchObject({ rows: 1, duplicates: 1 });
  });

  it('adds a batch while probing: a batch never listed is forgotten, a repeat within a batch is no hit', async () => {
    // hashes given directly (no file is read: every listed file is indexed)
    const conn = null as unknown as DuckDBConnection;
    const h = (...xs: number[]): Halves => ({ hi: Uint32Array.from(xs, () => 7), lo: Uint32Array.from(xs) });
    const seg = (file: string) => ({ file, from: 0, to: 10 });
    expect(await overlappingIds(conn, 'dep-p', [], 0, 10)).toBeNull();
    await addSegment(conn, 'dep-p', 'a', h(1, 2));
    const first = await overlappingIds(conn, 'dep-p', [seg('a')], 0, 10);
    expect(first?.add(h(2, 3, 3), 'b')).toEqual([(7n << 32n) | 2n]);
    // 'b' is not listed (its manifest was not stored): 3 is new again
    const second = await overlappingIds(conn, 'dep-p', [seg('a')], 0, 10);
    expect(second?.add(h(3, 4), 'c')).toEqual([]);
    // 'c' listed: 3 is held for it; a file outside the batch's time range does not count
    const third = await overlappingIds(conn, 'dep-p', [seg('a'), seg('c')], 0, 10);
    expect(third?.add(h(1, 3, 9), 'd')).toEqual([(7n << 32n) | 1n, (7n << 32n) | 3n]);
    const late = await overlappingIds(
      conn,
      'dep-p',
      [seg('a'), seg('c'), { file: 'd', from: 20, to: 30 }],
      0,
      10,
    );
    expect(late?.add(h(9), 'e')).toEqual([]);
  });
});
