import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { NotFoundError, PayloadTooLargeError, ValidationError } from './errors.ts';

/** What a stored blob is: its SHA-256 (hex, the address) and its size in bytes. */
export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * Content-addressed storage of evidence files, documents and package inputs. Three
 * implementations: the local directory (embedded default, {@link LocalBlobStore}), PostgreSQL
 * itself (`blobs/pg-blob-store.ts`) and S3-compatible object storage (`blobs/s3-blob-store.ts`);
 * `blobs/blob-config.ts` picks one from the environment.
 *
 * Every implementation: streams in and out (never a whole blob in memory), stores identical
 * content once, never shows a partial blob, checks the hash of what it reads (the stream errors
 * with {@link BlobIntegrityError} at its end when the bytes do not match the address) and leaves
 * no temporary data behind a crash once {@link BlobStore.sweep} has run (servers run it on start).
 */
export interface BlobStore {
  /** `local`, `postgres` or `s3`. */
  readonly kind: 'local' | 'postgres' | 's3';
  /** Where the blobs are, for messages (no secrets). */
  readonly location: string;
  /**
   * Stores a stream. Refuses (PayloadTooLargeError) once more than `limit` bytes arrive, leaving
   * nothing behind. `tooLarge` lets the caller report a limit its transport detected first.
   */
  put(source: Readable, limit: number, tooLarge?: () => boolean): Promise<StoredBlob>;
  /** Whether a blob is present. */
  has(sha256: string): Promise<boolean>;
  /** A read stream of a stored blob; it errors with NotFoundError when absent, BlobIntegrityError when damaged. */
  open(sha256: string): Readable;
  /** Every stored blob (order unspecified). */
  list(): AsyncIterable<StoredBlob>;
  /** Removes temporary data older than `olderThanMs` left by interrupted writes; returns how many. */
  sweep(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}

/** The bytes read do not hash to the blob's address: the store is damaged. */
export class BlobIntegrityError extends Error {
  constructor(
    readonly sha256: string,
    readonly actual: string,
    readonly size: number,
  ) {
    super(
      `blob ${sha256} is damaged: its ${size} bytes hash to ${actual}; restore it from a backup (docs/deployment.md)`,
    );
    this.name = 'BlobIntegrityError';
  }
}

const SHA = /^[0-9a-f]{64}$/;

/** Throws unless `sha256` is a lower-case SHA-256 hex digest. */
export function checkAddress(sha256: string): void {
  if (!SHA.test(sha256)) throw new ValidationError('not a SHA-256 hex digest', 'sha256');
}

/** Buffers of a stream chunk (strings become UTF-8). */
export function asBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
}

/** Checks a write's running size against the limit (the error every store throws). */
export function checkLimit(size: number, limit: number): void {
  if (size > limit)
    throw new PayloadTooLargeError(`the upload is larger than the limit of ${limit} bytes`, { limit });
}

/**
 * A readable of `chunks` that hashes what passes and fails at the end (BlobIntegrityError) when
 * the content does not match `sha256`. `chunks` is read lazily, so nothing is fetched before the
 * consumer reads.
 */
export function verifiedStream(sha256: string, chunks: () => AsyncIterable<Buffer>): Readable {
  async function* gen(): AsyncGenerator<Buffer> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of chunks()) {
      const b = asBuffer(chunk);
      hash.update(b);
      size += b.length;
      yield b;
    }
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new BlobIntegrityError(sha256, actual, size);
  }
  return Readable.from(gen(), { objectMode: false });
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.promises.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A content-addressed blob store on local disk: `<root>/ab/cd/<sha256>`. A write streams into a
 * temporary file under `<root>/tmp` while hashing, fsyncs it, then renames it into place (so a
 * reader never sees a partial blob) and fsyncs the directory. Identical content is stored once.
 * A crash mid-write leaves a `tmp/*.part` file that {@link sweep} removes (the server sweeps on
 * start, when its data-directory lock guarantees no other writer).
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  constructor(private readonly root: string) {}

  get location(): string {
    return this.root;
  }

  /** Where the blob with this SHA-256 lives. */
  pathOf(sha256: string): string {
    checkAddress(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: Readable, limit: number, tooLarge: () => boolean = () => false): Promise<StoredBlob> {
    const tmpDir = path.join(this.root, 'tmp');
    await fs.promises.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const out = await fs.promises.open(tmp, 'wx');
    try {
      for await (const chunk of source) {
        const buf = asBuffer(chunk);
        size += buf.length;
        checkLimit(size, limit);
        hash.update(buf);
        await out.write(buf);
      }
      if (tooLarge())
        throw new PayloadTooLargeError(`the upload is larger than the limit of ${limit} bytes`, { limit });
      await out.sync();
    } catch (err) {
      await out.close();
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    await out.close();
    const sha256 = hash.digest('hex');
    const final = this.pathOf(sha256);
    await fs.promises.mkdir(path.dirname(final), { recursive: true });
    if (fs.existsSync(final)) {
      await fs.promises.rm(tmp, { force: true });
    } else {
      await fs.promises.rename(tmp, final);
      await fsyncPath(path.dirname(final));
    }
    return { sha256, size };
  }

  async has(sha256: string): Promise<boolean> {
    return fs.existsSync(this.pathOf(sha256));
  }

  open(sha256: string): Readable {
    const file = this.pathOf(sha256);
    return verifiedStream(sha256, async function* () {
      let stream: fs.ReadStream;
      try {
        await fs.promises.access(file);
        stream = fs.createReadStream(file);
      } catch {
        throw new NotFoundError('blob', sha256);
      }
      yield* stream as AsyncIterable<Buffer>;
    });
  }

  async *list(): AsyncIterable<StoredBlob> {
    if (!fs.existsSync(this.root)) return;
    for (const a of await fs.promises.readdir(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await fs.promises.readdir(path.join(this.root, a))) {
        for (const name of await fs.promises.readdir(path.join(this.root, a, b))) {
          if (!SHA.test(name)) continue;
          const st = await fs.promises.stat(path.join(this.root, a, b, name));
          yield { sha256: name, size: st.size };
        }
      }
    }
  }

  async sweep(olderThanMs: number): Promise<number> {
    const tmpDir = path.join(this.root, 'tmp');
    if (!fs.existsSync(tmpDir)) return 0;
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of await fs.promises.readdir(tmpDir)) {
      if (!name.endsWith('.part')) continue;
      const p = path.join(tmpDir, name);
      const st = await fs.promises.stat(p).catch(() => null);
      if (st && st.mtimeMs <= cutoff) {
        await fs.promises.rm(p, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {}
}
