import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3BlobStoreOptions } from '../../src/platform/blobs/s3-blob-store.ts';

process.env.AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING ??= '1';

/** A real S3-compatible server (s3rver: the S3 REST protocol over a directory) on 127.0.0.1. */
export interface TestS3 {
  options: S3BlobStoreOptions;
  /** The environment a server process needs to use it (ASSAY_BLOB_STORE=s3 …). */
  env: Record<string, string>;
  directory: string;
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'assay-test'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    options: { bucket, endpoint, region: 'us-east-1', forcePathStyle: true, credentials },
    env: {
      ASSAY_BLOB_STORE: 's3',
      ASSAY_S3_BUCKET: bucket,
      ASSAY_S3_ENDPOINT: endpoint,
      ASSAY_S3_FORCE_PATH_STYLE: '1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
    },
    directory,
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
