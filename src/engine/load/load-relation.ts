import type { DuckDBConnection } from '@duckdb/node-api';
import { count, exclusive, ident, queryRows, tempTableName } from '../duckdb/sql.ts';
import type { LoadedTable } from '../table.ts';
import { InputError } from './input-error.ts';
import { type LoadOptions, loadTable, typeColumns, unknownColumns } from './load-table.ts';

/**
 * An input given as a SQL relation instead of a file: a query (`SELECT …`) the run's DuckDB
 * connection can answer (for example over Parquet files, or a table of the caller's DuckDB
 * instance), and the SHA-256 the evidence records for it (the caller's digest of what the query
 * reads, since there are no file bytes to hash).
 */
export interface RelationSource {
  sql: string;
  sha256: string;
}

/**
 * Loads a relation the way loadTable loads a Parquet file with `parquetView`: a view over the query
 * (read at each use; no stable row order, no rowid), its rows counted and its columns typed by the
 * same rule. `name` stands for the file's path in the evidence and in messages.
 */
export async function loadRelation(
  conn: DuckDBConnection,
  name: string,
  relation: RelationSource,
  options: Pick<LoadOptions, 'categorical' | 'table'> = {},
): Promise<LoadedTable> {
  if (!/^[0-9a-f]{64}$/.test(relation.sha256))
    throw new InputError(`${name}: the relation's SHA-256 must be 64 lowercase hex digits`);
  const table = ident(options.table ?? tempTableName('rel'));
  const source = `(${relation.sql})`;
  try {
    await exclusive(conn, () => conn.run(`CREATE OR REPLACE VIEW ${table} AS SELECT * FROM ${source}`));
  } catch (err) {
    throw new InputError(`${name}: ${String((err as Error).message).split('\n')[0]}`);
  }
  const rows = count((await queryRows(conn, `SELECT count(*) AS n FROM ${table}`))[0]?.n);
  if (rows === 0) throw new InputError(`${name}: the relation has no rows`);
  const described = await queryRows(conn, `DESCRIBE ${table}`);
  const names = described.map((d) => String(d.column_name));
  const forced = new Set(options.categorical ?? []);
  const unknown = [...forced].filter((c) => !names.includes(c));
  if (unknown.length > 0) throw unknownColumns(name, unknown, names);
  const columns = await typeColumns(
    conn,
    table,
    described.map((d) => ({ name: String(d.column_name), type: String(d.column_type) })),
    forced,
  );
  return { table, path: name, rows, columns, sha256: relation.sha256, source, view: true };
}

/** Loads `file`, or the relation standing for it when one is given. */
export function loadInput(
  conn: DuckDBConnection,
  file: string,
  relation: RelationSource | undefined,
  options: LoadOptions,
): Promise<LoadedTable> {
  return relation ? loadRelation(conn, file, relation, options) : loadTable(conn, file, options);
}
