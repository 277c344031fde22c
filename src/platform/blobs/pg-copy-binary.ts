import pg from 'pg';

/**
 * Reads `(seq int4, data bytea)` rows with `COPY (…) TO STDOUT (FORMAT binary)`.
 *
 * Why not a plain SELECT: `pg` receives every column in the text format, so a `bytea` arrives as
 * hex (twice its size on the wire), is decoded to a JavaScript string and then parsed back to
 * bytes; `pg`'s binary result mode decodes fields as UTF-8 and cannot carry raw bytes. A COPY's
 * data messages are handed over as raw buffers, so the chunk bytes cross unchanged.
 *
 * `pg` exposes copy data only through a query object's `handleCopyData` hook (what
 * `pg-copy-streams` uses); this class implements that hook for the copy-out case and collects one
 * query's rows (a few MiB at most: the caller bounds the rows per query).
 */
class CopyOutQuery extends (pg.Query as unknown as new (
  text: string,
  values: undefined,
  callback: (err: Error | null) => void,
) => object) {
  readonly parts: Buffer[] = [];

  handleCopyData(msg: { chunk: Buffer }): void {
    // The chunk is a view into the connection's read buffer, which is reused: copy it now.
    this.parts.push(Buffer.from(msg.chunk));
  }
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** One row of the copy: the chunk's sequence number and its bytes. */
export interface CopiedChunk {
  seq: number;
  data: Buffer;
}

/** Parses PostgreSQL's binary COPY format for rows of exactly (int4, bytea). */
export function parseCopyBinary(parts: Buffer[]): CopiedChunk[] {
  const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (buf.length < 19 || !buf.subarray(0, 11).equals(SIGNATURE))
    throw new Error('pg-blob-store: the COPY output is not in the binary format');
  let at = 15;
  const extension = buf.readUInt32BE(at);
  at += 4 + extension;
  const rows: CopiedChunk[] = [];
  for (;;) {
    const fields = buf.readInt16BE(at);
    at += 2;
    if (fields === -1) return rows;
    if (fields !== 2) throw new Error(`pg-blob-store: expected 2 columns in the COPY output, got ${fields}`);
    const seqLen = buf.readInt32BE(at);
    if (seqLen !== 4) throw new Error('pg-blob-store: a chunk has no sequence number');
    const seq = buf.readInt32BE(at + 4);
    at += 8;
    const len = buf.readInt32BE(at);
    at += 4;
    if (len < 0) throw new Error(`pg-blob-store: chunk ${seq} has no data`);
    rows.push({ seq, data: buf.subarray(at, at + len) });
    at += len;
  }
}

/**
 * The chunks of `sha256` with `from <= seq < to`, in order. The address must already be checked
 * (64 lowercase hex digits) and the bounds are integers: COPY takes no bind parameters, so both are
 * written into the statement.
 */
export async function copyChunks(
  client: pg.PoolClient,
  sha256: string,
  from: number,
  to: number,
): Promise<CopiedChunk[]> {
  if (!/^[0-9a-f]{64}$/.test(sha256) || !Number.isInteger(from) || !Number.isInteger(to))
    throw new Error('pg-blob-store: bad chunk range');
  const text =
    `COPY (SELECT seq::int4, data FROM blob_chunks WHERE sha256 = '${sha256}' ` +
    `AND seq >= ${from} AND seq < ${to} ORDER BY seq) TO STDOUT (FORMAT binary)`;
  let query: CopyOutQuery | undefined;
  await new Promise<void>((resolve, reject) => {
    query = new CopyOutQuery(text, undefined, (err) => (err ? reject(err) : resolve()));
    (client as unknown as { query: (q: object) => void }).query(query);
  });
  return parseCopyBinary(query!.parts);
}
