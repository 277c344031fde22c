import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryRows } from '../duckdb/sql.ts';
import { withDuckDb, writePredictionSegment } from './segments.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-segments-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const columns = { predictionId: 'prediction_id', timestamp: 'timestamp', label: 'label' };
// instants (UTC) with sub-millisecond parts, before 1970 and far ahead
const instants = [
  '2026-03-01 10:00:00.123456',
  '1969-12-31 23:59:59.999999',
  '1900-01-01 00:00:00.0005',
  '2200-12-31 23:59:59',
];

describe('prediction segments: the time of a Parquet batch', () => {
  // a TIMESTAMP (read as UTC) and a TIMESTAMPTZ are stored without a cast, the other temporal
  // types and text with one: every kind gives the epoch milliseconds of the same instants
  for (const type of ['TIMESTAMP', 'TIMESTAMPTZ', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'VARCHAR']) {
    it(`stores ${type} times as the instants' epoch milliseconds`, async () => {
      const file = path.join(dir, `${type}.parquet`);
      const values = instants.map((t, i) => `('p${i}', CAST(TIMESTAMPTZ '${t}+00' AS ${type}))`).join(', ');
      await withDuckDb(async (conn) => {
        await conn.run(
          `COPY (SELECT * FROM (VALUES ${values}) v(prediction_id, "timestamp")) TO '${file}' (FORMAT parquet)`,
        );
      });
      const out = path.join(dir, `${type}-seg.parquet`);
      const { predictions } = await writePredictionSegment({
        source: { file, format: 'parquet' },
        columns,
        batchId: '1',
        out,
        outcomesOut: path.join(dir, `${type}-out.parquet`),
      });
      const stored = await withDuckDb((conn) =>
        queryRows(conn, `SELECT __pid, __ts FROM read_parquet('${out}') ORDER BY __pid`),
      );
      // what the cast of every value to TIMESTAMPTZ gives (epoch_ms truncates toward zero)
      const expected = await withDuckDb((conn) =>
        queryRows(
          conn,
          `SELECT epoch_ms(CAST(CAST(CAST(t AS TIMESTAMPTZ) AS ${type}) AS TIMESTAMPTZ)) AS ms FROM (VALUES ${instants.map((t, i) => `(${i}, '${t}+00')`).join(', ')}) v(i, t) ORDER BY i`,
        ),
      );
      const ms = expected.map((r) => Number(r.ms));
      expect(ms[0]).toBe(Date.parse('2026-03-01T10:00:00.123Z'));
      expect(ms[1]).toBe(0);
      expect(stored.map((r) => Number(r.__ts))).toEqual(ms);
      expect(predictions).toMatchObject({ rows: 4, from: Math.min(...ms), to: Math.max(...ms) });
    });
  }
});
