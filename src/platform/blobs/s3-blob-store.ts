import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  asBuffer,
  type BlobStore,
  checkAddress,
  checkLimit,
  type StoredBlob,
  verifiedStream,
} from '../blob-store.ts';
import { NotFoundError, PayloadTooLargeError } from '../errors.ts';

/** Part size of multipart uploads (S3's minimum is 5 MiB for every part but the last). */
export const S3_PART_BYTES = 8 * 1024 * 1024;

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Size of the ranged GETs a read is made of, when it reads ahead (ASSAY_S3_READ_PART_MB). */
export const S3_READ_PART_BYTES = 8 * 1024 * 1024;
/**
 * Ranged GETs in flight ahead of the part being read (ASSAY_S3_READ_AHEAD; the memory a read holds
 * is bounded by this many parts); 0, the default, reads with one plain GET.
 */
export const S3_READ_AHEAD = 0;

/** Where an S3-compatible store is (ASSAY_S3_*); credentials come from the AWS SDK's usual chain. */
export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix, e.g. `assay/` (default none). */
  prefix?: string;
  /** Endpoint of an S3-compatible service (MinIO, Ceph, …); unset = AWS. */
  endpoint?: string;
  region?: string;
  /** Path-style addressing (needed by most S3-compatible servers). */
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Reads: bytes per ranged GET (default {@link S3_READ_PART_BYTES}). */
  readPartBytes?: number;
  /** Reads: ranged GETs in flight ahead of the one being read (default {@link S3_READ_AHEAD}; 0 = one plain GET). */
  readAhead?: number;
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Blobs in S3-compatible object storage: `<prefix>blobs/ab/cd/<sha256>`. A write that fits in one
 * part (8 MiB) is hashed in memory and put at its address directly; a larger one is streamed as a
 * multipart upload to `<prefix>tmp/<time>-<random>` while hashing, completed, copied to its
 * address and the temporary object deleted (a failed upload is aborted). A crash between
 * completion and deletion leaves a temporary object that {@link sweep} removes; a crash before
 * completion leaves an invisible incomplete multipart upload, which the bucket's
 * AbortIncompleteMultipartUpload lifecycle rule clears (docs/deployment.md).
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly readPartBytes: number;
  private readonly readAhead: number;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.readPartBytes = options.readPartBytes ?? S3_READ_PART_BYTES;
    this.readAhead = options.readAhead ?? S3_READ_AHEAD;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}blobs/`;
  }

  private keyOf(sha256: string): string {
    checkAddress(sha256);
    return `${this.prefix}blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
  }

  async put(source: Readable, limit: number, tooLarge: () => boolean = () => false): Promise<StoredBlob> {
    const hash = createHash('sha256');
    let size = 0;
    let part: Buffer[] = [];
    let partBytes = 0;
    let upload: { key: string; id: string; parts: { PartNumber: number; ETag: string }[] } | undefined;
    const sendPart = async (data: Buffer) => {
      if (!upload) {
        const key = `${this.prefix}tmp/${Date.now()}-${randomBytes(8).toString('hex')}`;
        const created = await this.client.send(
          new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key }),
        );
        upload = { key, id: created.UploadId!, parts: [] };
      }
      const PartNumber = upload.parts.length + 1;
      const r = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: upload.key,
          UploadId: upload.id,
          PartNumber,
          Body: data,
        }),
      );
      upload.parts.push({ PartNumber, ETag: r.ETag! });
    };
    try {
      for await (const chunk of source) {
        const buf = asBuffer(chunk);
        size += buf.length;
        checkLimit(size, limit);
        hash.update(buf);
        part.push(buf);
        partBytes += buf.length;
        if (partBytes >= S3_PART_BYTES) {
          const joined = Buffer.concat(part);
          part = [joined.subarray(S3_PART_BYTES)];
          partBytes = part[0]!.length;
          await sendPart(joined.subarray(0, S3_PART_BYTES));
        }
      }
      if (tooLarge())
        throw new PayloadTooLargeError(`the upload is larger than the limit of ${limit} bytes`, { limit });
      const sha256 = hash.digest('hex');
      const key = this.keyOf(sha256);
      const rest = Buffer.concat(part);
      if (!upload) {
        if (!(await this.has(sha256)))
          await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: rest }));
        return { sha256, size };
      }
      if (rest.length > 0) await sendPart(rest);
      const u = upload;
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: u.key,
          UploadId: u.id,
          MultipartUpload: { Parts: u.parts },
        }),
      );
      upload = undefined;
      try {
        if (!(await this.has(sha256)))
          await this.client.send(
            new CopyObjectCommand({
              Bucket: this.bucket,
              Key: key,
              CopySource: `${this.bucket}/${encodeURI(u.key)}`,
            }),
          );
      } finally {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: u.key }));
      }
      return { sha256, size };
    } catch (err) {
      if (upload)
        await this.client
          .send(
            new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.key, UploadId: upload.id }),
          )
          .catch(() => undefined);
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(sha256) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * By default one GET, streamed. With `readAhead` > 0: ranged GETs of `readPartBytes`, up to
   * `readAhead` of them in flight after the one being consumed (each collected into memory, so at
   * most that many parts are held), handed out strictly in order; the first GET tells the size.
   * Measured here against s3rver in its own process on two cores, the single GET was fastest (more
   * requests cost the reader and the server CPU: bench/README.md, issue 19); against a distant
   * object store, where one connection's throughput is the limit, parallel parts are the usual cure.
   */
  open(sha256: string): Readable {
    const key = this.keyOf(sha256);
    const { client, bucket, readPartBytes: PART, readAhead: AHEAD } = this;
    const get = async (from: number, to: number) => {
      try {
        return await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${from}-${to - 1}` }),
        );
      } catch (err) {
        if (isNotFound(err)) throw new NotFoundError('blob', sha256);
        throw err;
      }
    };
    const collect = async (body: unknown): Promise<Buffer[]> => {
      const parts: Buffer[] = [];
      for await (const c of body as AsyncIterable<Uint8Array>)
        parts.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
      return parts;
    };
    return verifiedStream(sha256, async function* () {
      if (sha256 === EMPTY_SHA256 || AHEAD === 0) {
        // One plain GET, streamed (readAhead 0); also for an empty object, which has no byte 0 to
        // range over (S3 refuses the range, s3rver drops the connection). Checked like any read.
        let r: Awaited<ReturnType<typeof get>>;
        try {
          r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        } catch (err) {
          if (isNotFound(err)) throw new NotFoundError('blob', sha256);
          throw err;
        }
        for await (const c of r.Body as unknown as AsyncIterable<Uint8Array>)
          yield Buffer.from(c.buffer, c.byteOffset, c.byteLength);
        return;
      }
      const first = await get(0, PART);
      const total = Number(/\/(\d+)$/.exec(first.ContentRange ?? '')?.[1] ?? first.ContentLength ?? 0);
      const ahead: Promise<Buffer[]>[] = [];
      let next = PART;
      const fill = () => {
        while (ahead.length < AHEAD && next < total) {
          const from = next;
          next = Math.min(total, from + PART);
          const p = get(from, next).then((r) => collect(r.Body));
          p.catch(() => undefined); // awaited in order below; an early stop must not leave it unhandled
          ahead.push(p);
        }
      };
      try {
        fill();
        for await (const c of first.Body as unknown as AsyncIterable<Uint8Array>)
          yield Buffer.from(c.buffer, c.byteOffset, c.byteLength);
        while (ahead.length > 0) {
          const head = ahead.shift()!;
          fill();
          yield* (await head).values();
        }
      } finally {
        // A reader that stops early: the first response is closed, the parts in flight finish
        // into nothing (at most readAhead parts).
        (first.Body as { destroy?: () => void } | undefined)?.destroy?.();
        ahead.length = 0;
      }
    });
  }

  private async *objects(under: string): AsyncIterable<{ key: string; size: number; modified: Date }> {
    let token: string | undefined;
    do {
      const r = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: under, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? [])
        yield { key: o.Key!, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) };
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }

  async *list(): AsyncIterable<StoredBlob> {
    for await (const o of this.objects(`${this.prefix}blobs/`)) {
      const name = o.key.slice(o.key.lastIndexOf('/') + 1);
      if (/^[0-9a-f]{64}$/.test(name)) yield { sha256: name, size: o.size };
    }
  }

  async sweep(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for await (const o of this.objects(`${this.prefix}tmp/`)) {
      if (o.modified.getTime() > cutoff) continue;
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: o.key }));
      removed++;
    }
    return removed;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
