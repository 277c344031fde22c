import pg from 'pg';

/**
 * Streams `(seq int4, data bytea)` rows out of PostgreSQL with ONE
 * `COPY (…) TO STDOUT (FORMAT binary)`, with backpressure.
 *
 * Why COPY: `pg` receives every column of a SELECT in the text format, so a `bytea` arrives as hex
 * (twice its size on the wire), is decoded to a JavaScript string and then parsed back to bytes;
 * `pg`'s binary result mode decodes fields as UTF-8 and cannot carry raw bytes. A COPY's data
 * messages are handed over as raw buffers, so the chunk bytes cross unchanged.
 *
 * Why one statement streamed rather than a few rows per statement: the server then sends without
 * waiting for the next request (no round trip per batch, no idle backend while the reader hashes),
 * and `pg`'s message parser keeps its grown buffer instead of growing it again for every batch.
 * Memory stays bounded: once more than `maxBuffered` bytes wait for the consumer, the connection's
 * socket is paused (TCP then holds the server back) and resumed when the consumer has taken half.
 *
 * `pg` exposes copy data only through a query object's `handleCopyData` hook (what
 * `pg-copy-streams` uses); {@link CopyOutQuery} implements it and {@link CopyBinaryRowParser}
 * parses the binary format incrementally, whatever the message boundaries.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** A piece of one row's `data`; `rowEnd` on its last piece. Pieces of a row come in order. */
export interface CopiedPiece {
  seq: number;
  data: Buffer;
  rowEnd: boolean;
}

/**
 * An incremental parser of PostgreSQL's binary COPY format for rows of exactly (int4, bytea).
 * `push` takes the stream in pieces of any size; `onData` receives views of the pushed buffers
 * (copy them to keep them); `finish` throws unless the trailer was seen.
 */
export class CopyBinaryRowParser {
  private state: 'header' | 'extension' | 'fields' | 'seq' | 'length' | 'data' | 'done' = 'header';
  private need = 19;
  private have = 0;
  private readonly scratch = Buffer.alloc(19);
  private remaining = 0;
  private seq = 0;

  constructor(private readonly onData: (seq: number, piece: Buffer, rowEnd: boolean) => void) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'done') throw new Error('pg-blob-store: data after the end of the COPY output');
      if (this.state === 'data' || this.state === 'extension') {
        const n = Math.min(this.remaining, chunk.length - at);
        this.remaining -= n;
        if (this.state === 'data') this.onData(this.seq, chunk.subarray(at, at + n), this.remaining === 0);
        at += n;
        if (this.remaining === 0) this.expect('fields', 2);
        continue;
      }
      const n = Math.min(this.need - this.have, chunk.length - at);
      chunk.copy(this.scratch, this.have, at, at + n);
      this.have += n;
      at += n;
      if (this.have === this.need) this.field();
    }
  }

  finish(): void {
    if (this.state !== 'done') throw new Error('pg-blob-store: the COPY output ended early');
  }

  private expect(state: CopyBinaryRowParser['state'], need: number): void {
    this.state = state;
    this.need = need;
    this.have = 0;
  }

  /** Interprets the fixed-size field just completed in `scratch`. */
  private field(): void {
    const s = this.scratch;
    switch (this.state) {
      case 'header': {
        if (!s.subarray(0, 11).equals(SIGNATURE))
          throw new Error('pg-blob-store: the COPY output is not in the binary format');
        this.remaining = s.readUInt32BE(15);
        if (this.remaining > 0) this.state = 'extension';
        else this.expect('fields', 2);
        return;
      }
      case 'fields': {
        const fields = s.readInt16BE(0);
        if (fields === -1) {
          this.expect('done', 0);
          return;
        }
        if (fields !== 2)
          throw new Error(`pg-blob-store: expected 2 columns in the COPY output, got ${fields}`);
        this.expect('seq', 8);
        return;
      }
      case 'seq': {
        if (s.readInt32BE(0) !== 4) throw new Error('pg-blob-store: a chunk has no sequence number');
        this.seq = s.readInt32BE(4);
        this.expect('length', 4);
        return;
      }
      case 'length': {
        const len = s.readInt32BE(0);
        if (len < 0) throw new Error(`pg-blob-store: chunk ${this.seq} has no data`);
        if (len === 0) {
          this.onData(this.seq, Buffer.alloc(0), true);
          this.expect('fields', 2);
          return;
        }
        this.remaining = len;
        this.state = 'data';
        return;
      }
      default:
        throw new Error(`pg-blob-store: unexpected COPY parser state ${this.state}`);
    }
  }
}

/** A `pg` query object for a COPY … TO STDOUT that hands each data message to `onCopyData`. */
class CopyOutQuery extends (pg.Query as unknown as new (
  text: string,
  values: undefined,
  callback: (err: Error | null) => void,
) => object) {
  onCopyData: (chunk: Buffer) => void = () => undefined;

  handleCopyData(msg: { chunk: Buffer }): void {
    // The chunk is a view into the connection's read buffer, which is reused: the consumer copies.
    this.onCopyData(msg.chunk);
  }
}

/** Default bound of the bytes parsed but not yet taken by the consumer. */
export const COPY_MAX_BUFFERED = 2 * 1024 * 1024;

/**
 * Runs `COPY (<select>) TO STDOUT (FORMAT binary)` on `client` (a SELECT of `seq::int4, data`;
 * COPY takes no bind parameters, so the caller writes only checked values into it) and yields the
 * rows' data in order, in pieces (copies: the consumer may keep them). At most about `maxBuffered`
 * bytes wait in memory. A consumer that stops early leaves the COPY running on the connection: the
 * caller must then destroy the connection (`release(err)`), not give it back to a pool.
 */
export async function* copyBinaryRows(
  client: pg.PoolClient,
  select: string,
  maxBuffered = COPY_MAX_BUFFERED,
): AsyncGenerator<CopiedPiece> {
  const queue: CopiedPiece[] = [];
  let head = 0;
  let queued = 0;
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const socket = (client as unknown as { connection: { stream: NodeJS.ReadableStream } }).connection.stream;
  let paused = false;
  const parser = new CopyBinaryRowParser((seq, piece, rowEnd) => {
    // Buffer.from(piece) would copy element by element (a typed-array copy); copy() is a memcpy.
    const data = Buffer.allocUnsafeSlow(piece.length);
    piece.copy(data);
    queue.push({ seq, data, rowEnd });
    queued += piece.length;
    if (queued > maxBuffered && !paused) {
      paused = true;
      socket.pause();
    }
  });
  const query = new CopyOutQuery(`COPY (${select}) TO STDOUT (FORMAT binary)`, undefined, (err) => {
    if (err) failure = err;
    else
      try {
        parser.finish();
      } catch (e) {
        failure = e as Error;
      }
    done = true;
    notify();
  });
  query.onCopyData = (chunk) => {
    if (failure) return;
    try {
      parser.push(chunk);
    } catch (e) {
      failure = e as Error;
    }
    notify();
  };
  (client as unknown as { query: (q: object) => void }).query(query);
  try {
    for (;;) {
      if (failure) throw failure;
      if (head < queue.length) {
        const piece = queue[head]!;
        queue[head++] = undefined as unknown as CopiedPiece;
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        queued -= piece.data.length;
        if (paused && queued <= maxBuffered / 2) {
          paused = false;
          socket.resume();
        }
        yield piece;
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    if (paused) socket.resume();
  }
}
