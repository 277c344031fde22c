import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import {
  asBuffer,
  type BlobStore,
  checkAddress,
  checkLimit,
  type StoredBlob,
  verifiedStream,
} from '../blob-store.ts';
import type { Database } from '../db/schema.ts';
import { NotFoundError, PayloadTooLargeError } from '../errors.ts';
import { copyBinaryRows } from './pg-copy-binary.ts';

/** Bytes per row of `blob_chunks`. */
export const PG_CHUNK_BYTES = 1024 * 1024;

class AlreadyStored extends Error {}

/**
 * Blobs in PostgreSQL itself (ASSAY_BLOB_STORE=postgres): `blob_objects` (address, size) and
 * `blob_chunks` (1 MiB rows). A write runs in ONE transaction on the store's own small pool: the
 * chunks are inserted under a temporary name while hashing, then renamed to the address and the
 * object row inserted before commit. A crash or a refused upload rolls the transaction back, so
 * nothing partial or temporary can survive; a concurrent write of the same content waits on the
 * object row's key and then rolls back (stored once). A read streams every chunk through one binary COPY
 * with a bounded buffer (pg-copy-binary.ts).
 */
export class PgBlobStore implements BlobStore {
  readonly kind = 'postgres' as const;
  private readonly kysely: Kysely<Database>;
  private readonly pool: pg.Pool;

  constructor(
    databaseUrl: string,
    private readonly now: () => Date = () => new Date(),
    poolSize = 4,
  ) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
    this.pool = pool;
    pool.on('error', (err) =>
      process.stderr.write(`assay: a blob-store connection was closed: ${err.message}\n`),
    );
    this.kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }

  get location(): string {
    return 'PostgreSQL (tables blob_objects, blob_chunks)';
  }

  async put(source: Readable, limit: number, tooLarge: () => boolean = () => false): Promise<StoredBlob> {
    const tmp = `tmp:${randomBytes(12).toString('hex')}`;
    const hash = createHash('sha256');
    let size = 0;
    let result: StoredBlob | undefined;
    try {
      await this.kysely.transaction().execute(async (tx) => {
        let seq = 0;
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        const flush = async (all: boolean) => {
          while (pendingBytes >= PG_CHUNK_BYTES || (all && pendingBytes > 0)) {
            const joined = Buffer.concat(pending);
            const data = joined.subarray(0, PG_CHUNK_BYTES);
            const rest = joined.subarray(data.length);
            await tx.insertInto('blob_chunks').values({ sha256: tmp, seq: seq++, data }).execute();
            pending = rest.length ? [rest] : [];
            pendingBytes = rest.length;
          }
        };
        for await (const chunk of source) {
          const buf = asBuffer(chunk);
          size += buf.length;
          checkLimit(size, limit);
          hash.update(buf);
          pending.push(buf);
          pendingBytes += buf.length;
          if (pendingBytes >= PG_CHUNK_BYTES) await flush(false);
        }
        if (tooLarge())
          throw new PayloadTooLargeError(`the upload is larger than the limit of ${limit} bytes`, { limit });
        await flush(true);
        const sha256 = hash.digest('hex');
        result = { sha256, size };
        const inserted = await tx
          .insertInto('blob_objects')
          .values({ sha256, size, created_at: this.now().toISOString() })
          .onConflict((oc) => oc.column('sha256').doNothing())
          .returning('sha256')
          .executeTakeFirst();
        if (!inserted) throw new AlreadyStored();
        await tx.updateTable('blob_chunks').set({ sha256 }).where('sha256', '=', tmp).execute();
      });
    } catch (err) {
      if (!(err instanceof AlreadyStored)) throw err;
    }
    return result!;
  }

  async has(sha256: string): Promise<boolean> {
    checkAddress(sha256);
    const row = await this.kysely
      .selectFrom('blob_objects')
      .select('sha256')
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    return row !== undefined;
  }

  open(sha256: string): Readable {
    checkAddress(sha256);
    const pool = this.pool;
    return verifiedStream(sha256, async function* () {
      // One pooled connection for the whole read, and one binary COPY streaming every chunk in
      // order (pg-copy-binary.ts: raw bytes, no round trip per chunk, a bounded buffer).
      const client = await pool.connect();
      let streaming = false;
      try {
        const obj = await client.query('SELECT 1 FROM blob_objects WHERE sha256 = $1', [sha256]);
        if (obj.rows.length === 0) throw new NotFoundError('blob', sha256);
        let seq = 0;
        streaming = true;
        for await (const piece of copyBinaryRows(
          client,
          `SELECT seq::int4, data FROM blob_chunks WHERE sha256 = '${sha256}' ORDER BY seq`,
        )) {
          if (piece.seq !== seq)
            throw new Error(`blob ${sha256}: chunk ${seq} is missing; the blob store is damaged`);
          if (piece.rowEnd) seq++;
          yield piece.data;
        }
        streaming = false;
      } finally {
        // A reader that stops early (or fails) mid-COPY leaves the statement running on the
        // connection: close that connection rather than give it back to the pool.
        client.release(streaming ? new Error('blob read stopped before its end') : undefined);
      }
    });
  }

  async *list(): AsyncIterable<StoredBlob> {
    let after = '';
    for (;;) {
      const rows = await this.kysely
        .selectFrom('blob_objects')
        .select(['sha256', 'size'])
        .where('sha256', '>', after)
        .orderBy('sha256')
        .limit(500)
        .execute();
      for (const r of rows) yield { sha256: r.sha256, size: Number(r.size) };
      if (rows.length < 500) return;
      after = rows[rows.length - 1]!.sha256;
    }
  }

  /** Nothing to sweep: a write's temporary chunks exist only inside its transaction (rolled back on a crash). */
  async sweep(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}
