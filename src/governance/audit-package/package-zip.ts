import { createHash } from 'node:crypto';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { ZipFile } from 'yazl';

/** A file as the manifest lists it. */
export interface PackagedFile {
  path: string;
  sha256: string;
  size: number;
}

/** Hashes and counts what passes through. */
class Measure extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * A zip written as a stream (yazl) that measures every file it adds: SHA-256 and size, taken from
 * the bytes actually written, for the manifest. Streams are added one at a time and piped with
 * back-pressure, so memory does not grow with file sizes.
 */
export class PackageZip {
  private readonly zip = new ZipFile();
  readonly files: PackagedFile[] = [];
  private readonly out = new PassThrough({ highWaterMark: 1 << 20 });
  private failed: Error | null = null;

  constructor(private readonly mtime: Date) {
    this.zip.outputStream.pipe(this.out);
    this.zip.on('error', (err: Error) => this.fail(err));
  }

  /** The zip's bytes. */
  get output(): Readable {
    return this.out;
  }

  /** Aborts: the output stream errors (a reader sees a broken download, never a truncated valid zip). */
  fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    this.out.destroy(err);
  }

  /** Adds a small file held in memory (records, HTML). */
  addBytes(path: string, data: string | Buffer, compress = true): PackagedFile {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const file = { path, sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length };
    this.zip.addBuffer(buf, path, { mtime: this.mtime, compress });
    this.files.push(file);
    return file;
  }

  /**
   * Adds a stream and resolves once all of it is in the zip, with its measured hash and size.
   * `unlisted` files are written but not put in `files` (the manifest and its signature).
   */
  addStream(path: string, source: Readable, compress: boolean): Promise<PackagedFile> {
    const measure = new Measure({ highWaterMark: 1 << 20 });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => {
        this.fail(err);
        reject(err);
      };
      source.on('error', onError);
      measure.on('error', onError);
      measure.on('end', () => {
        const file = { path, sha256: measure.digest(), size: measure.size };
        this.files.push(file);
        resolve(file);
      });
      this.zip.addReadStream(measure, path, { mtime: this.mtime, compress });
      source.pipe(measure);
    });
  }

  /** Adds the manifest and its signature (not listed in themselves) and ends the zip. */
  finish(unlisted: { path: string; data: Buffer }[]): void {
    for (const f of unlisted) this.zip.addBuffer(f.data, f.path, { mtime: this.mtime, compress: false });
    this.zip.end();
  }
}
