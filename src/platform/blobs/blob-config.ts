import path from 'node:path';
import { type BlobStore, LocalBlobStore } from '../blob-store.ts';
import { ValidationError } from '../errors.ts';
import type { S3BlobStoreOptions } from './s3-blob-store.ts';

/** Which blob store a server uses (ASSAY_BLOB_STORE and ASSAY_S3_*; docs/deployment.md). */
export type BlobStoreConfig =
  /** `directory` unset = `<dataDir>/blobs`. */
  | { kind: 'local'; directory?: string | undefined }
  | { kind: 'postgres'; databaseUrl: string }
  | ({ kind: 's3' } & S3BlobStoreOptions);

/**
 * Reads the blob-store choice from the environment. `ASSAY_BLOB_STORE` = `local` (default:
 * `<dataDir>/blobs`, or ASSAY_BLOB_DIR), `postgres` (needs ASSAY_DATABASE_URL) or `s3` (needs
 * ASSAY_S3_BUCKET; ASSAY_S3_ENDPOINT, ASSAY_S3_REGION, ASSAY_S3_PREFIX, ASSAY_S3_FORCE_PATH_STYLE,
 * ASSAY_S3_READ_AHEAD and ASSAY_S3_READ_PART_MB (ranged parallel reads);
 * credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the SDK's usual chain).
 */
export function blobConfigFromEnv(env: NodeJS.ProcessEnv, databaseUrl: string | undefined): BlobStoreConfig {
  const kind = env.ASSAY_BLOB_STORE || 'local';
  if (kind === 'local')
    return { kind, directory: env.ASSAY_BLOB_DIR ? path.resolve(env.ASSAY_BLOB_DIR) : undefined };
  if (kind === 'postgres') {
    if (!databaseUrl)
      throw new ValidationError(
        'ASSAY_BLOB_STORE=postgres keeps blobs in the PostgreSQL store: set ASSAY_DATABASE_URL too',
        'ASSAY_BLOB_STORE',
      );
    return { kind, databaseUrl };
  }
  if (kind === 's3') {
    const bucket = env.ASSAY_S3_BUCKET;
    if (!bucket) throw new ValidationError('ASSAY_BLOB_STORE=s3 needs ASSAY_S3_BUCKET', 'ASSAY_S3_BUCKET');
    const pathStyle = env.ASSAY_S3_FORCE_PATH_STYLE;
    if (pathStyle !== undefined && pathStyle !== '' && pathStyle !== '0' && pathStyle !== '1')
      throw new ValidationError(
        `ASSAY_S3_FORCE_PATH_STYLE must be 0 or 1, got '${pathStyle}'`,
        'ASSAY_S3_FORCE_PATH_STYLE',
      );
    const count = (name: string, max: number): number | undefined => {
      const v = env[name];
      if (v === undefined || v === '') return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > max)
        throw new ValidationError(`${name} must be an integer from 0 to ${max}, got '${v}'`, name);
      return n;
    };
    const readAhead = count('ASSAY_S3_READ_AHEAD', 16);
    const partMb = count('ASSAY_S3_READ_PART_MB', 64);
    if (partMb === 0)
      throw new ValidationError('ASSAY_S3_READ_PART_MB must be at least 1', 'ASSAY_S3_READ_PART_MB');
    const prefix = env.ASSAY_S3_PREFIX ?? '';
    return {
      kind,
      bucket,
      prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
      ...(env.ASSAY_S3_ENDPOINT ? { endpoint: env.ASSAY_S3_ENDPOINT } : {}),
      region: env.ASSAY_S3_REGION || env.AWS_REGION || 'us-east-1',
      forcePathStyle: pathStyle === '1' || (pathStyle === undefined && Boolean(env.ASSAY_S3_ENDPOINT)),
      ...(readAhead !== undefined ? { readAhead } : {}),
      ...(partMb !== undefined ? { readPartBytes: partMb * 1024 * 1024 } : {}),
    };
  }
  throw new ValidationError(
    `ASSAY_BLOB_STORE must be local, postgres or s3, got '${kind}'`,
    'ASSAY_BLOB_STORE',
  );
}

/**
 * Opens the configured blob store (a local one defaults to `<dataDir>/blobs`). The PostgreSQL and
 * S3 implementations are loaded only when chosen (the configuration is read by light commands).
 */
export async function openBlobStore(config: BlobStoreConfig, dataDir: string): Promise<BlobStore> {
  if (config.kind === 'local') return new LocalBlobStore(config.directory ?? path.join(dataDir, 'blobs'));
  if (config.kind === 'postgres')
    return new (await import('./pg-blob-store.ts')).PgBlobStore(config.databaseUrl);
  const { kind: _kind, ...options } = config;
  return new (await import('./s3-blob-store.ts')).S3BlobStore(options);
}
