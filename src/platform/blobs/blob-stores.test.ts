import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../../test/support/engines.ts';
import { startTestS3, type TestS3 } from '../../../test/support/s3-server.ts';
import { BlobIntegrityError, type BlobStore, LocalBlobStore } from '../blob-store.ts';
import { NotFoundError, PayloadTooLargeError } from '../errors.ts';
import { blobConfigFromEnv } from './blob-config.ts';
import { PG_CHUNK_BYTES, PgBlobStore } from './pg-blob-store.ts';
import { S3_READ_PART_BYTES, S3BlobStore } from './s3-blob-store.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

/** A store under test with ways to look behind it: its raw objects, and damaging one. */
interface Subject {
  store: BlobStore;
  /** Everything the backend holds (file paths, chunk rows, object keys), temporaries included. */
  raw(): Promise<string[]>;
  /** Changes the byte at offset `at` (default 0) of a stored blob. */
  corrupt(sha256: string, at?: number): Promise<void>;
  /** Environment for a child process that opens the same store. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

async function localSubject(): Promise<Subject> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-blobs-'));
  const store = new LocalBlobStore(root);
  return {
    store,
    raw: async () =>
      (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) =>
        fs.statSync(path.join(root, f)).isFile(),
      ),
    corrupt: async (s, at = 0) => {
      const p = store.pathOf(s);
      const b = fs.readFileSync(p);
      b[at] = (b[at]! + 1) % 256;
      fs.writeFileSync(p, b);
    },
    env: { ASSAY_BLOB_STORE: 'local', ASSAY_BLOB_DIR: root },
    dispose: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

async function pgSubject(): Promise<Subject> {
  const t: TestDb = await openTestDb('postgres');
  const store = new PgBlobStore(t.url!);
  const k = t.db.kysely;
  return {
    store,
    raw: async () => [
      ...(await k.selectFrom('blob_chunks').select(['sha256', 'seq']).execute()).map(
        (r) => `${r.sha256}/${r.seq}`,
      ),
      ...(await k.selectFrom('blob_objects').select('sha256').execute()).map((r) => r.sha256),
    ],
    corrupt: async (s, at = 0) => {
      const seq = Math.floor(at / PG_CHUNK_BYTES);
      const from = (at % PG_CHUNK_BYTES) + 1;
      await sql`UPDATE blob_chunks SET data = overlay(data placing (CASE WHEN get_byte(data, ${from - 1}) = 0 THEN '\\x01' ELSE '\\x00' END)::bytea from ${from}) WHERE sha256 = ${s} AND seq = ${seq}`.execute(
        k,
      );
    },
    env: { ASSAY_BLOB_STORE: 'postgres', ASSAY_DATABASE_URL: t.url! },
    dispose: async () => {
      await store.close();
      await t.dispose();
    },
  };
}

async function s3Subject(): Promise<Subject> {
  const s3: TestS3 = await startTestS3();
  const store = new S3BlobStore(s3.options);
  const raw = new S3Client({ ...s3.options, credentials: s3.options.credentials! });
  return {
    store,
    raw: async () =>
      ((await raw.send(new ListObjectsV2Command({ Bucket: s3.options.bucket }))).Contents ?? []).map(
        (o) => o.Key!,
      ),
    corrupt: async (s, at = 0) => {
      const key = `blobs/${s.slice(0, 2)}/${s.slice(2, 4)}/${s}`;
      const got = await raw.send(new GetObjectCommand({ Bucket: s3.options.bucket, Key: key }));
      const b = Buffer.from(await got.Body!.transformToByteArray());
      b[at] = (b[at]! + 1) % 256;
      await raw.send(new PutObjectCommand({ Bucket: s3.options.bucket, Key: key, Body: b }));
    },
    env: s3.env,
    dispose: async () => {
      raw.destroy();
      await store.close();
      await s3.close();
    },
  };
}

const SUBJECTS: [string, () => Promise<Subject>][] = [
  ['local directory', localSubject],
  ...(process.env.ASSAY_TEST_DATABASE_URL
    ? [['PostgreSQL', pgSubject] as [string, () => Promise<Subject>]]
    : []),
  ['S3 (s3rver)', s3Subject],
];

describe.each(SUBJECTS)('blob store: %s', (_name, make) => {
  let s: Subject;
  beforeAll(async () => {
    s = await make();
  }, 60_000);
  afterAll(async () => s?.dispose());

  it('stores by content, reads back across chunk/part boundaries, stores identical content once, lists', async () => {
    const big = Buffer.alloc(20 * MiB + 12345);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    const small = Buffer.from('validation report\n'.repeat(100));
    // Odd-sized pieces so chunks never align with the store's boundaries.
    const pieces = (b: Buffer) =>
      Readable.from(
        Array.from({ length: Math.ceil(b.length / 700_001) }, (_, i) =>
          b.subarray(i * 700_001, (i + 1) * 700_001),
        ),
      );
    expect(await s.store.put(pieces(big), 1e9)).toEqual({ sha256: sha(big), size: big.length });
    expect(await s.store.put(Readable.from([small]), 1e9)).toEqual({
      sha256: sha(small),
      size: small.length,
    });
    const before = (await s.raw()).length;
    await s.store.put(pieces(big), 1e9);
    await s.store.put(Readable.from([small]), 1e9);
    expect((await s.raw()).length).toBe(before);
    expect(Buffer.concat(await s.store.open(sha(big)).toArray()).equals(big)).toBe(true);
    expect(Buffer.concat(await s.store.open(sha(small)).toArray()).equals(small)).toBe(true);
    expect(await s.store.has(sha(small))).toBe(true);
    const listed = [];
    for await (const b of s.store.list()) listed.push(b);
    expect(listed.sort((a, b) => a.sha256.localeCompare(b.sha256))).toEqual(
      [
        { sha256: sha(big), size: big.length },
        { sha256: sha(small), size: small.length },
      ].sort((a, b) => a.sha256.localeCompare(b.sha256)),
    );
  }, 120_000);

  it('readers that stop early give back what they hold: more of them than connections, then a full read', async () => {
    const data = Buffer.alloc(10 * MiB + 7);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE((i * 40503) >>> 0, i);
    const { sha256 } = await s.store.put(Readable.from([data]), 1e9);
    for (let i = 0; i < 8; i++) {
      const reader = s.store.open(sha256);
      for await (const chunk of reader) {
        expect((chunk as Buffer).length).toBeGreaterThan(0);
        break;
      }
      reader.destroy();
    }
    expect(Buffer.concat(await s.store.open(sha256).toArray()).equals(data)).toBe(true);
  }, 60_000);

  it('refuses more than the limit, or a truncation the transport saw, leaving nothing behind', async () => {
    const before = await s.raw();
    await expect(
      s.store.put(Readable.from([Buffer.alloc(9 * MiB, 1), Buffer.alloc(2 * MiB, 2)]), 10 * MiB),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(s.store.put(Readable.from([Buffer.alloc(10, 3)]), 1000, () => true)).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    expect((await s.raw()).sort()).toEqual(before.sort());
  }, 60_000);

  it('checks the hash on read: damaged content fails the stream; a missing blob is not found', async () => {
    const content = Buffer.from(`evidence ${_name}\n`.repeat(5000));
    const { sha256 } = await s.store.put(Readable.from([content]), 1e9);
    await s.corrupt(sha256);
    await expect(s.store.open(sha256).toArray()).rejects.toBeInstanceOf(BlobIntegrityError);
    const absent = sha(Buffer.from('never stored'));
    expect(await s.store.has(absent)).toBe(false);
    await expect(s.store.open(absent).toArray()).rejects.toBeInstanceOf(NotFoundError);
    expect(() => s.store.open('../../etc/passwd')).toThrow(/SHA-256/);
  });

  it('reads exact bytes across parts and chunks; an empty blob reads empty', async () => {
    // Several S3 parts and PostgreSQL chunks, and an odd tail.
    const size = 3 * S3_READ_PART_BYTES + 777;
    const data = Buffer.alloc(size);
    for (let i = 0; i + 4 <= size; i += 4) data.writeUInt32LE((i * 2246822519) >>> 0, i);
    const { sha256 } = await s.store.put(Readable.from([data]), 1e9);
    const chunks = (await s.store.open(sha256).toArray()) as Buffer[];
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    const empty = await s.store.put(Readable.from([]), 1e9);
    expect(empty).toEqual({ sha256: sha(Buffer.alloc(0)), size: 0 });
    expect(Buffer.concat(await s.store.open(empty.sha256).toArray()).length).toBe(0);
  }, 60_000);

  it('detects damage far into a blob (a later part or chunk), after handing out the bytes before it', async () => {
    const data = Buffer.alloc(3 * S3_READ_PART_BYTES + 5);
    for (let i = 0; i + 4 <= data.length; i += 4) data.writeUInt32LE((i * 3266489917) >>> 0, i);
    const { sha256 } = await s.store.put(Readable.from([data]), 1e9);
    await s.corrupt(sha256, 2 * S3_READ_PART_BYTES + 12345);
    let got = 0;
    await expect(
      (async () => {
        for await (const c of s.store.open(sha256)) got += (c as Buffer).length;
      })(),
    ).rejects.toBeInstanceOf(BlobIntegrityError);
    expect(got).toBe(data.length);
  }, 60_000);

  it('a process killed with SIGKILL mid-write leaves no visible temporary data once swept', async () => {
    const before = (await s.raw()).sort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/blob-crash-child.ts'], {
      env: { ...process.env, ...s.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      child.on('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
    });
    // Mid-write, the store shows something in progress for the local and S3 stores (PostgreSQL
    // keeps it inside an open transaction), but never a finished blob.
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 300));
    await s.store.sweep(0);
    expect((await s.raw()).sort()).toEqual(before);
  }, 60_000);
});

describe('S3 reads in parallel ranged parts (ASSAY_S3_READ_AHEAD, ASSAY_S3_READ_PART_MB)', () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startTestS3();
  }, 60_000);
  afterAll(async () => s3?.close());

  it('are configured from the environment, refusing bad values', () => {
    const env = { ASSAY_BLOB_STORE: 's3', ASSAY_S3_BUCKET: 'b' };
    expect(blobConfigFromEnv(env, undefined)).not.toHaveProperty('readAhead');
    expect(
      blobConfigFromEnv({ ...env, ASSAY_S3_READ_AHEAD: '3', ASSAY_S3_READ_PART_MB: '4' }, undefined),
    ).toMatchObject({ readAhead: 3, readPartBytes: 4 * MiB });
    expect(() => blobConfigFromEnv({ ...env, ASSAY_S3_READ_AHEAD: 'many' }, undefined)).toThrow(
      /ASSAY_S3_READ_AHEAD must be an integer/,
    );
    expect(() => blobConfigFromEnv({ ...env, ASSAY_S3_READ_PART_MB: '0' }, undefined)).toThrow(/at least 1/);
  });

  it('give the exact bytes in order, detect damage in a later part, and can stop early', async () => {
    const store = new S3BlobStore({ ...s3.options, readPartBytes: MiB, readAhead: 2 });
    try {
      const data = Buffer.alloc(5 * MiB + 4321);
      for (let i = 0; i + 4 <= data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
      const { sha256 } = await store.put(Readable.from([data]), 1e9);
      expect(Buffer.concat(await store.open(sha256).toArray()).equals(data)).toBe(true);
      for (let i = 0; i < 3; i++) {
        const reader = store.open(sha256);
        for await (const _ of reader) break;
        reader.destroy();
      }
      const raw = new S3Client({ ...s3.options, credentials: s3.options.credentials! });
      const key = `blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
      const damaged = Buffer.from(data);
      damaged[4 * MiB + 10] = (damaged[4 * MiB + 10]! + 1) % 256;
      await raw.send(new PutObjectCommand({ Bucket: s3.options.bucket, Key: key, Body: damaged }));
      raw.destroy();
      await expect(store.open(sha256).toArray()).rejects.toBeInstanceOf(BlobIntegrityError);
    } finally {
      await store.close();
    }
  }, 60_000);
});
