import type { DuckDBConnection } from '@duckdb/node-api';
import { exclusive, literal } from '../duckdb/sql.ts';

/**
 * The prediction ids already stored for a deployment, kept in memory so that a batch is checked
 * against them without reading every earlier segment again (which made ingestion quadratic in
 * the rows of a day). Each id is held as DuckDB's 64-bit `hash()` with the number of the segment
 * file it is in, in an open-addressing hash table of typed arrays: a batch's hashes are looked up
 * one by one (the cost grows with the batch, not with the ids of the day, which a DuckDB join
 * over a table of the stored hashes scanned whole for every batch).
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

/**
 * 64-bit hashes (as two 32-bit halves) with a segment number each, in one typed array of slots
 * (low half, high half, segment + 1; 0: empty), so that a lookup touches one place in memory;
 * several entries may share a hash.
 */
class HashTable {
  slots = new Uint32Array(3 * 1024);
  capacity = 1024;
  size = 0;

  add(hi: number, lo: number, seg: number): void {
    if ((this.size + 1) * 4 > this.capacity * 3) this.rebuild(this.capacity * 2, () => true);
    const mask = this.capacity - 1;
    const slots = this.slots;
    let i = lo & mask;
    while (slots[3 * i + 2] !== 0) i = (i + 1) & mask;
    slots[3 * i] = lo;
    slots[3 * i + 1] = hi;
    slots[3 * i + 2] = seg + 1;
    this.size++;
  }

  /**
   * Adds the hash for segment `seg` and returns whether it was held already for one of `segs`
   * (any other segment when null): one probe, the lookup's, ends at the empty slot it takes.
   */
  addNew(hi: number, lo: number, seg: number, segs: Set<number> | null): boolean {
    if ((this.size + 1) * 4 > this.capacity * 3) this.rebuild(this.capacity * 2, () => true);
    const mask = this.capacity - 1;
    const slots = this.slots;
    let held = false;
    let i = lo & mask;
    for (; slots[3 * i + 2] !== 0; i = (i + 1) & mask) {
      if (!held && slots[3 * i] === lo && slots[3 * i + 1] === hi) {
        const s = (slots[3 * i + 2] as number) - 1;
        held = s !== seg && (!segs || segs.has(s));
      }
    }
    slots[3 * i] = lo;
    slots[3 * i + 1] = hi;
    slots[3 * i + 2] = seg + 1;
    this.size++;
    return held;
  }

  /** Keeps the entries whose segment `keep` accepts (open addressing has no cheap delete). */
  retain(keep: (seg: number) => boolean): void {
    this.rebuild(this.capacity, keep);
  }

  private rebuild(capacity: number, keep: (seg: number) => boolean): void {
    const old = this.slots;
    this.slots = new Uint32Array(3 * capacity);
    this.capacity = capacity;
    this.size = 0;
    for (let i = 0; i < old.length; i += 3) {
      const s = old[i + 2] as number;
      if (s !== 0 && keep(s - 1)) this.add(old[i + 1] as number, old[i] as number, s - 1);
    }
  }
}

interface Indexed {
  table: HashTable;
  /** file → its segment number in the table */
  files: Map<string, number>;
  nextSeg: number;
  used: number;
}

/** Ids held in memory across deployments before the least recently used deployment's index is dropped. */
export const MAX_INDEXED_IDS = 8_000_000;

const indexes = new Map<string, Indexed>();
let clockTick = 0;

/** Ids the indexes hold now (all deployments). */
export function indexedIds(): number {
  let n = 0;
  for (const i of indexes.values()) n += i.table.size;
  return n;
}

function evict(keep: string): void {
  while (indexedIds() > MAX_INDEXED_IDS && indexes.size > 1) {
    const [key] = [...indexes.entries()]
      .filter(([k]) => k !== keep)
      .sort((a, b) => a[1].used - b[1].used)[0] as [string, Indexed];
    indexes.delete(key);
  }
}

/** The SQL of the two 32-bit halves (`hi`, `lo`) of hash expression `hash` over `relation`. */
const halves = (hash: string, relation: string) =>
  `SELECT (${hash} >> 32)::UINTEGER AS hi, (${hash} & 4294967295)::UINTEGER AS lo FROM ${relation}`;

/** Hashes as their two 32-bit halves. */
export interface Halves {
  hi: Uint32Array;
  lo: Uint32Array;
}

/** A vector's values: its typed array when the vector exposes it (node-api's vectors do), else read one by one. */
function values(vector: { getItem(i: number): unknown }, n: number): Uint32Array {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Uint32Array && items.length === n) return items;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = vector.getItem(i) as number;
  return out;
}

/** The halves of hash expression `hash` (never NULL: DuckDB hashes NULL too) over `relation`. */
export async function readHalves(conn: DuckDBConnection, relation: string, hash: string): Promise<Halves> {
  const result = await exclusive(conn, () => conn.run(halves(hash, relation)));
  const n = Number(result.rowCount);
  const out = { hi: new Uint32Array(n), lo: new Uint32Array(n) };
  let at = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const rows = chunk.rowCount;
    out.hi.set(values(chunk.getColumnVector(0), rows), at);
    out.lo.set(values(chunk.getColumnVector(1), rows), at);
    at += rows;
  }
  if (at !== n) throw new Error(`read ${at} of ${n} hashes`);
  return out;
}

/**
 * Brings the deployment's index up to the segment files `existing` lists (see the module note)
 * and returns a lookup of the hashes of the ids in the files that overlap [lo, hi], and the
 * files themselves (for the exact check of candidates).
 */
export async function overlappingIds(
  conn: DuckDBConnection,
  key: string,
  existing: ExistingSegment[],
  lo: number,
  hi: number,
): Promise<{ add: (batch: Halves, file: string) => bigint[]; files: string[] } | null> {
  let index = indexes.get(key);
  if (!index) {
    index = { table: new HashTable(), files: new Map(), nextSeg: 0, used: 0 };
    indexes.set(key, index);
  }
  index.used = ++clockTick;
  const listed = new Set(existing.map((e) => e.file));
  const gone = [...index.files.entries()].filter(([file]) => !listed.has(file));
  if (gone.length > 0) {
    const segs = new Set(gone.map(([, seg]) => seg));
    index.table.retain((seg) => !segs.has(seg));
    for (const [file] of gone) index.files.delete(file);
  }
  const files = [...new Set(existing.filter((e) => e.from <= hi && e.to >= lo).map((e) => e.file))];
  if (files.length === 0) return null;
  // only the files a batch overlaps are read: the index holds what recent batches needed
  for (const file of files.filter((f) => !index.files.has(f)))
    await addSegment(conn, key, file, `read_parquet(${literal(file)})`);
  evict(key);
  const segs = new Set(files.map((f) => index.files.get(f) as number));
  // every indexed file overlaps (a day filling up): no filter on the segment
  const only = segs.size === index.files.size ? null : segs;
  const table = index.table;
  const indexed = index.files;
  return {
    /**
     * Adds every hash of the batch to the index as the ids of its segment `file` (the file is
     * listed from now on: a batch whose manifest is not stored is dropped from the index on the
     * next use, as any file no longer listed) and returns those held already for the overlapping
     * files. Every hash is added, the rows that will be dropped as duplicates too: the index may
     * hold more than a file's ids (a candidate the exact check clears), never fewer.
     */
    add: (batch, file) => {
      const seg = index.nextSeg++;
      indexed.set(file, seg);
      const found: bigint[] = [];
      for (let i = 0; i < batch.hi.length; i++) {
        const h = batch.hi[i] as number;
        const l = batch.lo[i] as number;
        if (table.addNew(h, l, seg, only)) found.push((BigInt(h) << 32n) | BigInt(l));
      }
      return found;
    },
    files,
  };
}

/**
 * Adds the ids (`__pid`) of `relation`, the rows of segment `file`, to the deployment's index
 * (or their hashes when already read).
 */
export async function addSegment(
  conn: DuckDBConnection,
  key: string,
  file: string,
  ids: string | Halves,
): Promise<void> {
  const index = indexes.get(key);
  if (!index || index.files.has(file)) return;
  const seg = index.nextSeg++;
  const read = typeof ids === 'string' ? await readHalves(conn, ids, 'hash(__pid)').catch(() => null) : ids;
  if (!read) {
    // an unreadable file: the index of this deployment is rebuilt on its next use
    indexes.delete(key);
    throw new Error(`prediction ids of ${file} could not be read`);
  }
  for (let i = 0; i < read.hi.length; i++) index.table.add(read.hi[i] as number, read.lo[i] as number, seg);
  index.files.set(file, seg);
}

const list = (files: string[]) => `[${files.map(literal).join(', ')}]`;

/** The SQL of the exact ids among `candidates` (a relation with column `pid`) stored in `files`. */
export function storedAmong(files: string[], candidates: string): string {
  return `SELECT DISTINCT __pid FROM read_parquet(${list(files)}, union_by_name = true) WHERE __pid IN (SELECT pid FROM ${candidates})`;
}
