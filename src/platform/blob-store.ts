import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { PayloadTooLargeError, ValidationError } from './errors.ts';

/** What a stored blob is: its SHA-256 (hex, the address) and its size in bytes. */
export interface StoredBlob {
  sha256: string;
  size: number;
}

const SHA = /^[0-9a-f]{64}$/;

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
 * temporary file while hashing, fsyncs it, then renames it into place (so a reader never sees a
 * partial blob) and fsyncs the directory. Identical content is stored once.
 */
export class BlobStore {
  constructor(private readonly root: string) {}

  /** Where the blob with this SHA-256 lives. */
  pathOf(sha256: string): string {
    if (!SHA.test(sha256)) throw new ValidationError('not a SHA-256 hex digest', 'sha256');
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Stores a stream. Refuses (PayloadTooLargeError) once more than `limit` bytes arrive, leaving
   * nothing behind. `tooLarge` lets the caller report a limit its transport detected first.
   */
  async put(source: Readable, limit: number, tooLarge: () => boolean = () => false): Promise<StoredBlob> {
    const tmpDir = path.join(this.root, 'tmp');
    await fs.promises.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const out = await fs.promises.open(tmp, 'wx');
    try {
      for await (const chunk of source) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        size += buf.length;
        if (size > limit)
          throw new PayloadTooLargeError(`the upload is larger than the limit of ${limit} bytes`, { limit });
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

  /** Whether a blob is present. */
  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  /** A read stream of a stored blob. */
  open(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(sha256));
  }
}
