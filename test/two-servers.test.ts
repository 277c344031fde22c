// Issue 19, "done when": two `assay serve` processes on one PostgreSQL share evidence and signing
// keys. Evidence uploaded through one downloads through the other; an audit package exported by
// the other verifies with a key `GET /api/v1/keys` lists; after a rotation on the first, the old
// package still verifies and the second signs with the new key. Run with the PostgreSQL blob
// store and with the S3 store (a real S3-compatible server, s3rver, in this process).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../src/governance/audit-package/verify-package.ts';
import { parseTrustedKeys } from '../src/platform/signing/trusted-keys.ts';
import { type RealServer, startRealServer } from './support/cli-harness.ts';
import { openTestDb, type TestDb } from './support/engines.ts';
import { startTestS3, type TestS3 } from './support/s3-server.ts';

const PG = process.env.ASSAY_TEST_DATABASE_URL;
const STORES = ['postgres', 's3'] as const;

describe.skipIf(!PG).each(STORES)('two servers on one PostgreSQL, blobs in %s', (kind) => {
  let store: TestDb;
  let s3: TestS3 | undefined;
  let a: RealServer;
  let b: RealServer;
  let token: string;
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-2srv-'));
    dirs.push(d);
    return d;
  };
  const http = async (server: RealServer, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res;
  };
  const exportPackage = async (server: RealServer, name: string) => {
    const res = await http(server, 'GET', '/api/v1/models/shared-pd/audit-package');
    const file = path.join(tmp(), name);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  };

  beforeAll(async () => {
    store = await openTestDb('postgres');
    let blobEnv: Record<string, string> = { ASSAY_BLOB_STORE: 'postgres' };
    if (kind === 's3') {
      s3 = await startTestS3();
      blobEnv = s3.env;
    }
    const env = {
      ASSAY_DATABASE_URL: store.url!,
      ASSAY_SIGNING_KEK: randomBytes(32).toString('base64'),
      ASSAY_SCHEDULER_INTERVAL_MS: '0',
      ...blobEnv,
    };
    a = await startRealServer({ env });
    token = a.token;
    b = await startRealServer({ env, dataDir: tmp() });
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await s3?.close();
    await store?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('uploads through one server, downloads and exports through the other, verified with the listed key; rotation keeps it verifiable', async () => {
    await http(a, 'POST', '/api/v1/models', { key: 'shared-pd', name: 'Shared PD', type: 'classification' });
    await http(b, 'POST', '/api/v1/models/shared-pd/versions', { label: '1.0.0' });
    // 3 MiB + a bit: several PostgreSQL chunks; under one S3 part.
    const content = randomBytes(3 * 1024 * 1024 + 4321);
    const form = new FormData();
    form.append('metadata', JSON.stringify({ type: 'test_results', title: 'metrics' }));
    form.append('file', new Blob([content]), 'metrics.bin');
    const up = await fetch(`${a.url}/api/v1/models/shared-pd/versions/1.0.0/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(up.status).toBe(201);
    const evidence = (await up.json()) as { id: string; file: { sha256: string } };
    expect(evidence.file.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    // Nothing was written under either server's data directory: the blob is in the shared store.
    expect(fs.existsSync(path.join(a.dataDir, 'blobs'))).toBe(false);

    const down = await http(b, 'GET', `/api/v1/evidence/${evidence.id}/content`);
    expect(Buffer.from(await down.arrayBuffer()).equals(content)).toBe(true);

    // Both servers list the same single key.
    const keysA = (await (await http(a, 'GET', '/api/v1/keys')).json()) as { items: { id: string }[] };
    const keysB = await (await http(b, 'GET', '/api/v1/keys')).text();
    expect(JSON.parse(keysB).items.map((k: { id: string }) => k.id)).toEqual(keysA.items.map((k) => k.id));
    expect(keysA.items).toHaveLength(1);

    const first = await exportPackage(b, 'first.zip');
    const v1 = await verifyPackage(first, { trustedKeys: parseTrustedKeys(keysB) });
    expect(v1.problems).toEqual([]);
    expect(v1).toMatchObject({ ok: true, origin: 'trusted', keyId: keysA.items[0]!.id });
    expect(v1.files).toBeGreaterThan(3);

    // Rotate through A; B picks the new key up (here when it lists keys; otherwise on its tick).
    const rotated = (await (await http(a, 'POST', '/api/v1/keys/rotate')).json()) as {
      previous: { id: string };
      current: { id: string };
    };
    const after = await (await http(b, 'GET', '/api/v1/keys')).text();
    const listed = JSON.parse(after).items as { id: string; active: boolean; retiredAt: string | null }[];
    expect(listed.map((k) => [k.id, k.active, k.retiredAt === null])).toEqual([
      [rotated.current.id, true, true],
      [rotated.previous.id, false, false],
    ]);
    const second = await exportPackage(b, 'second.zip');
    const trusted = parseTrustedKeys(after);
    const v2 = await verifyPackage(second, { trustedKeys: trusted });
    expect(v2).toMatchObject({ ok: true, origin: 'trusted', keyId: rotated.current.id });
    // The package signed before the rotation still verifies with the keys listed now.
    expect(await verifyPackage(first, { trustedKeys: trusted })).toMatchObject({
      ok: true,
      origin: 'trusted',
    });
  }, 120_000);
});
