import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adultPredictions, predictionsNdjson } from '../../governance/monitoring/monitoring-fixture.ts';
import { literal } from '../duckdb/sql.ts';
import { ndjsonSchema } from './ndjson-schema.ts';
import { writePredictionSegment } from './segments.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-ndjson-schema-'));
let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run("SET TimeZone = 'UTC'");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const FIELDS = {
  keys: ['predictionId', 'timestamp', 'features', 'score', 'prediction'],
  nested: 'features',
  timestampKey: 'timestamp',
};
const line = (o: unknown) => JSON.stringify(o);
const p = (id: unknown, features: unknown, extra: Record<string, unknown> = {}) =>
  line({ predictionId: id, timestamp: '2026-03-01T10:00:00Z', features, score: 0.5, ...extra });

/** Batches the pass must type, each checked against DuckDB's own detection. */
const typed: Record<string, string> = {
  'the Adult prediction log': predictionsNdjson(adultPredictions('2026-03-01T00:00:00.000Z', 1, 300)),
  'ids starting with digits, integers and decimals in one column': [
    p('3-p-0-1', { x: 1, y: 'a' }),
    p('3-p-0-2', { x: 1.5, y: 'b' }),
  ].join('\n'),
  'integers of both signs (HUGEINT), booleans, nulls': [
    p('a', { n: -5, b: true, s: null }),
    p('b', { n: 5, b: false, s: 'x' }),
  ].join('\n'),
  'a feature first seen later, features null or missing': [
    p('a', { x: 1 }),
    p('b', null),
    line({ predictionId: 'c', timestamp: '2026-03-01T10:00:00Z', score: 1 }),
    p('d', { z: 'q', x: 2 }),
  ].join('\n'),
  'canonical UUIDs, integer ids, prediction instead of score': [
    line({
      predictionId: 7,
      timestamp: '2026-03-01T10:00:00Z',
      features: { u: '550E8400-E29B-41D4-A716-446655440000' },
      prediction: 1,
    }),
    line({
      predictionId: 8,
      timestamp: '2026-03-01T10:00:00Z',
      features: { u: '550e8400-e29b-41d4-a716-446655440001' },
      prediction: 0,
    }),
  ].join('\n'),
  'timestamps with offsets, fractions, a space; blank lines and CRLF': [
    line({ predictionId: 'a', timestamp: '2026-03-01T10:00:00+02:00', features: { x: 1 }, score: 1e-3 }),
    '',
    line({ predictionId: 'b', timestamp: '2026-03-01 10:00:00.123456', features: { x: 2 }, score: -2.5e3 }),
    '   ',
    `${line({ predictionId: 'c', timestamp: '2026-03-01T23:59:59.5-0130', features: { x: 3 }, score: 0 })}\r`,
    line({ predictionId: 'd', timestamp: '2026-03-01T10:00:00Z', features: { x: 4 }, score: 1 }),
  ].join('\n'),
  'text with spaces, digits after letters, unicode': [
    p('a', { s: 'Married civ spouse', t: 'A1-2', u: 'Ωmega ✓' }),
    p('b', { s: 'x', t: 'B 12:30', u: 'é' }),
  ].join('\n'),
};

/** Batches the pass leaves to DuckDB (a type it might read otherwise, or a shape it does not know). */
const detected: Record<string, string> = {
  'a date in a feature': p('a', { d: '2024-01-01' }),
  'a time in a feature': p('a', { d: '10:30' }),
  'a date-like id': p('2024-01-01', { x: 1 }),
  'a hex string (a UUID perhaps)': p('a', { h: 'deadbeef-1' }),
  'special dates': p('a', { w: 'Infinity' }),
  'numbers and text in one column': [p('a', { x: 1 }), p('b', { x: 'one' })].join('\n'),
  'a nested array': p('a', { x: [1, 2] }),
  'an escape in a string': p('a', { x: 'say "hi"' }),
  'a key twice':
    '{"predictionId":"a","predictionId":"b","timestamp":"2026-03-01T10:00:00Z","features":{"x":1}}',
  'malformed JSON': `${p('a', { x: 1 })}\n{"predictionId":"b",`,
  'an unknown field': p('a', { x: 1 }, { model: 'v2' }),
  'a column of nulls only': p('a', { x: null }),
  'an integer of 19 digits': p('a', { x: 1 }).replace('"x":1', '"x":1234567890123456789'),
  'a timestamp not in ISO 8601': line({
    predictionId: 'a',
    timestamp: '03-01-2026 10:00',
    features: { x: 1 },
  }),
  'a line that is not an object': '[1, 2]',
  'a timestamp without seconds': line({
    predictionId: 'a',
    timestamp: '2026-03-01T10:00Z',
    features: { x: 1 },
  }),
};

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

describe('ndjsonSchema', () => {
  for (const [name, text] of Object.entries(typed)) {
    it(`types as DuckDB detects: ${name}`, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.ndjson`);
      fs.writeFileSync(file, text);
      const schema = ndjsonSchema(Buffer.from(text), FIELDS);
      expect(schema).not.toBeNull();
      const columns = schema?.columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
      const auto = `read_json(${literal(file)}, format = 'newline_delimited')`;
      const given = `read_json(${literal(file)}, format = 'newline_delimited', columns = {${columns}})`;
      // the same columns and types (the time is text here, an instant for DuckDB: compared as instants)
      const types = async (rel: string) =>
        (await rows(`DESCRIBE SELECT * EXCLUDE ("timestamp") FROM ${rel}`)).map(
          (r) => `${r.column_name} ${r.column_type}`,
        );
      expect(await types(given)).toEqual(await types(auto));
      // the same values, row by row
      const values = (rel: string) =>
        rows(`SELECT * EXCLUDE ("timestamp"), epoch_ms(CAST("timestamp" AS TIMESTAMPTZ)) AS t FROM ${rel}`);
      expect(await values(given)).toEqual(await values(auto));
      expect(schema?.lines).toBe(text.split('\n').filter((l) => l.trim() !== '').length);
    });
  }
  for (const [name, text] of Object.entries(detected)) {
    it(`leaves to DuckDB: ${name}`, () => {
      expect(ndjsonSchema(Buffer.from(text), FIELDS)).toBeNull();
    });
  }
});

describe('NDJSON batches typed by the pass are refused as before', () => {
  const columns = { predictionId: 'prediction_id', timestamp: 'timestamp', label: 'label' };
  const write = (name: string, text: string) => {
    const file = path.join(dir, `${name}.ndjson`);
    fs.writeFileSync(file, text);
    return writePredictionSegment({
      source: { ndjson: file, score: 'score', bytes: Buffer.from(text) },
      columns,
      batchId: '0001',
      out: path.join(dir, `${name}.parquet`),
      outcomesOut: path.join(dir, `${name}-o.parquet`),
      existing: [],
    });
  };

  it('names the first row without a readable time, and writes nothing', async () => {
    const text = [p('a', { x: 1 }), line({ predictionId: 'b', features: { x: 2 }, score: 1 })].join('\n');
    expect(ndjsonSchema(Buffer.from(text), FIELDS)).not.toBeNull();
    await expect(write('no-time', text)).rejects.toThrow(
      /1 row\(s\) have no prediction id or no readable timestamp in 'timestamp' \(first: data row 2\)/,
    );
    expect(fs.existsSync(path.join(dir, 'no-time.parquet'))).toBe(false);
  });

  it('stores the typed rows, an id once', async () => {
    const text = [p('a', { x: 1, s: 'u' }), p('b', { x: 2.5, s: 'v' }), p('a', { x: 3, s: 'w' })].join('\n');
    const { predictions } = await write('typed', text);
    expect(predictions).toMatchObject({ rows: 2, duplicates: 1, columns: ['score', 'x', 's'] });
    const stored = await rows(
      `SELECT __pid, x, s, score FROM read_parquet(${literal(path.join(dir, 'typed.parquet'))}) ORDER BY __pid`,
    );
    expect(stored).toEqual([
      { __pid: 'a', x: 1, s: 'u', score: 0.5 },
      { __pid: 'b', x: 2.5, s: 'v', score: 0.5 },
    ]);
  });
});
