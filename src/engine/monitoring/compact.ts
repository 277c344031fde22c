import { rename } from 'node:fs/promises';
import { count, literal, queryRows } from '../duckdb/sql.ts';
import { list, withDuckDb } from './segments.ts';

/**
 * Merges segment files into one Parquet file (rows keep their `__batch`, so the newest label of a
 * prediction id still wins). Written beside and renamed: a reader never sees half a file.
 */
export async function mergeSegments(files: string[], out: string): Promise<number> {
  return withDuckDb(async (conn) => {
    const tmp = `${out}.part`;
    await conn.run(
      `COPY (SELECT * FROM read_parquet(${list(files)}, union_by_name = true)) TO ${literal(tmp)} (FORMAT parquet)`,
    );
    const n = count((await queryRows(conn, `SELECT count(*) AS n FROM read_parquet(${literal(tmp)})`))[0]?.n);
    await rename(tmp, out);
    return n;
  });
}
