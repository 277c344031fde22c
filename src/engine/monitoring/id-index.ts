import type { DuckDBConnection } from '@duckdb/node-api';
import { count, exclusive, literal, queryRows } from '../duckdb/sql.ts';

/**
 * The prediction ids already stored for a deployment, kept in the process's monitoring DuckDB
 * instance so that a batch is checked against them without reading every earlier segment again
 * (which made ingestion quadratic in the rows of a day). Each id is held as DuckDB's 64-bit
 * `hash()` with the number of the segment file it is in: 12 bytes an id.
 *
 * A hash is only a filter: a batch row whose hash is not in the index is certainly new; the few
 * rows whose hash is there (true duplicates, or a collision) are checked against the exact ids of
 * the segments, so an id is never dropped because another id has the same hash.
 *
 * The index follows the segment files the caller lists on each use: ids of a file no longer
 * listed (compacted away, or a batch whose manifest was never stored) are dropped, and a file the
 * batch overlaps that is not indexed yet (written before this process started or by another
 * process, or the merged file of a compaction) is read. Past MAX_INDEXED_IDS the least recently
 * used deployments' indexes are dropped (and read again when needed).
 */

/** An earlier prediction segment of the deployment and the time range of its predictions (epoch ms). */
export interface ExistingSegment {
  file: string;
  from: number;
  to: number;
}

interface Indexed {
  table: string;
  /** file → its number in the table's `seg` column */
  files: Map<string, number>;
  nextSeg: number;
  rows: number;
  used: number;
}

/** Ids held in memory across deployments before the least recently used deployment's index is dropped. */
export const MAX_INDEXED_IDS = 8_000_000;

const indexes = new Map<string, Indexed>();
let tables = 0;
let clockTick = 0;

/** Ids the indexes hold now (all deployments). */
export function indexedIds(): number {
  let n = 0;
  for (const i of indexes.values()) n += i.rows;
  return n;
}

async function evict(conn: DuckDBConnection, keep: string): Promise<void> {
  while (indexedIds() > MAX_INDEXED_IDS && indexes.size > 1) {
    const [key, oldest] = [...indexes.entries()]
      .filter(([k]) => k !== keep)
      .sort((a, b) => a[1].used - b[1].used)[0] as [string, Indexed];
    indexes.delete(key);
    await conn.run(`DROP TABLE IF EXISTS ${oldest.table}`);
  }
}

/**
 * Brings the deployment's index up to the segment files `existing` lists (see the module note)
 * and returns the SQL of the hashes of the ids in the files that overlap [lo, hi], and the files
 * themselves (for the exact check of candidates).
 */
export async function overlappingIds(
  conn: DuckDBConnection,
  key: string,
  existing: ExistingSegment[],
  lo: number,
  hi: number,
): Promise<{ hashes: string; files: string[] } | null> {
  let index = indexes.get(key);
  if (!index) {
    index = { table: `__assay_ids_${++tables}`, files: new Map(), nextSeg: 0, rows: 0, used: 0 };
    await conn.run(`CREATE TABLE ${index.table} (h UBIGINT, seg UINTEGER)`);
    indexes.set(key, index);
  }
  index.used = ++clockTick;
  const listed = new Set(existing.map((e) => e.file));
  const gone = [...index.files.entries()].filter(([file]) => !listed.has(file));
  if (gone.length > 0) {
    await conn.run(`DELETE FROM ${index.table} WHERE seg IN (${gone.map(([, seg]) => seg).join(', ')})`);
    for (const [file] of gone) index.files.delete(file);
    index.rows = count((await queryRows(conn, `SELECT count(*) AS n FROM ${index.table}`))[0]?.n);
  }
  const files = [...new Set(existing.filter((e) => e.from <= hi && e.to >= lo).map((e) => e.file))];
  if (files.length === 0) return null;
  // only the files a batch overlaps are read: the index holds what recent batches needed
  for (const file of files.filter((f) => !index.files.has(f)))
    await addSegment(conn, key, file, `read_parquet(${literal(file)})`);
  await evict(conn, key);
  const segs = files.map((f) => index.files.get(f) as number);
  // every indexed file overlaps (a day filling up): no filter on the segment
  const all = segs.length === index.files.size;
  return {
    hashes: `SELECT h FROM ${index.table}${all ? '' : ` WHERE seg IN (${segs.join(', ')})`}`,
    files,
  };
}

/**
 * Adds the ids (`__pid`) of `relation`, the rows of segment `file`, to the deployment's index;
 * `hash` is the expression of an id's hash over `relation` (a relation whose ids are hashed
 * already gives its column).
 */
export async function addSegment(
  conn: DuckDBConnection,
  key: string,
  file: string,
  relation: string,
  hash = 'hash(__pid)',
): Promise<void> {
  const index = indexes.get(key);
  if (!index || index.files.has(file)) return;
  const seg = index.nextSeg++;
  const added = await exclusive(conn, () =>
    conn.run(`INSERT INTO ${index.table} SELECT ${hash}, ${seg} FROM ${relation}`),
  )
    .then((r) => r.rowsChanged)
    .catch(() => null);
  if (added === null) {
    // an unreadable file: the index of this deployment is rebuilt on its next use
    indexes.delete(key);
    await conn.run(`DROP TABLE IF EXISTS ${index.table}`);
    throw new Error(`prediction ids of ${file} could not be read`);
  }
  index.files.set(file, seg);
  index.rows += added;
}

const list = (files: string[]) => `[${files.map(literal).join(', ')}]`;

/** The SQL of the exact ids among `candidates` (a relation with column `pid`) stored in `files`. */
export function storedAmong(files: string[], candidates: string): string {
  return `SELECT DISTINCT __pid FROM read_parquet(${list(files)}, union_by_name = true) WHERE __pid IN (SELECT pid FROM ${candidates})`;
}
