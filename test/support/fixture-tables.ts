import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { count, ident, literal, queryRows } from '../../src/engine/duckdb/sql.ts';
import type { ColumnInfo, LoadedTable } from '../../src/engine/table.ts';

/** Repository root (two levels above test/support). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** One case of test/fixtures/reference/drift/expected.json (written by the SciPy generator). */
export interface ReferenceCase {
  name: string;
  reference: string;
  current: string;
  reference_rows: number;
  current_rows: number;
  kinds: Record<string, 'numeric' | 'categorical'>;
  features: Record<string, Record<string, unknown>>;
}

/** The reference cases computed by scripts/reference/make_drift_fixtures.py. */
export function readReferenceCases(): ReferenceCase[] {
  const file = path.join(REPO_ROOT, 'test/fixtures/reference/drift/expected.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: ReferenceCase[] }).cases;
}

let loaded = 0;

/**
 * Loads a CSV for tests: as text columns (the engine's SQL then parses numbers itself) or, with
 * `typed`, with DuckDB's detected types (numbers stored as numbers), as the real loader does.
 */
export async function loadCsvAsText(
  conn: DuckDBConnection,
  file: string,
  columns?: ColumnInfo[],
  typed = false,
): Promise<LoadedTable> {
  loaded += 1;
  const table = `fixture_${loaded}`;
  const absolute = path.resolve(REPO_ROOT, file);
  await conn.run(
    `CREATE TABLE ${ident(table)} AS SELECT * FROM read_csv(${literal(absolute)}, all_varchar = ${typed ? 'false' : 'true'}, header = true)`,
  );
  const [row] = await queryRows(conn, `SELECT count(*) AS n FROM ${ident(table)}`);
  const described = await queryRows(conn, `DESCRIBE ${ident(table)}`);
  const names = described.map((d) => String(d.column_name));
  const kinds = new Map((columns ?? []).map((c) => [c.name, c.kind]));
  return {
    table: ident(table),
    path: absolute,
    rows: count(row?.n),
    columns: names.map((name) => ({ name, kind: kinds.get(name) ?? 'categorical' })),
    sha256: '',
  };
}
