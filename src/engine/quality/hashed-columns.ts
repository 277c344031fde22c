import { ident, queryRows } from '../duckdb/sql.ts';
import type { TableScan } from '../scan/table-scan.ts';

/**
 * A numeric column whose approximate distinct count is at least this share of the rows makes the
 * numeric columns alone a selective row hash.
 */
const NEARLY_UNIQUE = 0.5;

const cache = new WeakMap<TableScan, Promise<Set<string>>>();

/**
 * The columns a row hash covers (duplicates, overlap with the reference): every column, or only
 * the numeric ones when one of them is nearly unique by the table's own statistics (DuckDB keeps
 * an approximate distinct count of each column of a table; a view of a file has none, and then
 * every column is hashed). Hashes only find candidate rows, which are then compared on every
 * column, so leaving columns out of the hash never changes a count; it spares hashing the text
 * columns (~25 ms a column per million rows, several times a number's cost). Asked once per scan,
 * while its table exists; the answer is kept, so that every hash of the run is the same.
 */
export function hashedColumns(scan: TableScan): Promise<Set<string>> {
  let found = cache.get(scan);
  if (!found) {
    found = chooseHashed(scan);
    cache.set(scan, found);
  }
  return found;
}

async function chooseHashed(scan: TableScan): Promise<Set<string>> {
  const columns = scan.table.columns;
  const all = new Set(columns.map((c) => c.name));
  const numeric = columns.filter((c) => c.kind === 'numeric');
  if (numeric.length === 0 || numeric.length === columns.length || scan.table.rows === 0) return all;
  let row: Record<string, unknown> | undefined;
  try {
    [row] = await queryRows(
      scan.conn,
      `SELECT ${numeric.map((c, i) => `stats(${ident(c.name)}) AS s${i}`).join(', ')} FROM ${scan.from()} LIMIT 1`,
    );
  } catch {
    return all;
  }
  const selective = numeric.some((_, i) => {
    const unique = /\[Approx Unique: (\d+)\]/.exec(String(row?.[`s${i}`] ?? ''));
    return unique !== null && Number(unique[1]) >= NEARLY_UNIQUE * scan.table.rows;
  });
  return selective ? new Set(numeric.map((c) => c.name)) : all;
}
