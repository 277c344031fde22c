// Issue 19: `assay blobs migrate` moves a server's local blobs into the shared PostgreSQL store
// (resumable, hashes checked), and the backup procedure of docs/deployment.md (pg_dump of the
// database, which holds the blobs with ASSAY_BLOB_STORE=postgres) restores into a new database
// where `assay audit verify` and `assay blobs verify` pass; a damaged restored blob is named.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, serverRequest, startRealServer, uploadEvidence } from './support/cli-harness.ts';
import { openTestDb, type TestDb } from './support/engines.ts';

const PG = process.env.ASSAY_TEST_DATABASE_URL;

describe.skipIf(!PG)('blobs migrate, backup and restore on PostgreSQL', () => {
  const stores: TestDb[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const s of stores) await s.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('migrates local blobs into PostgreSQL (twice: resumable), then a pg_dump restores with chain and blobs verified', async () => {
    const store = await openTestDb('postgres');
    stores.push(store);
    // A server as it ran before shared storage: PostgreSQL store, blobs in its data directory.
    const server = await startRealServer({
      env: { ASSAY_DATABASE_URL: store.url!, ASSAY_SCHEDULER_INTERVAL_MS: '0' },
    });
    const http = (method: string, url: string, body: unknown) => serverRequest(server, method, url, body);
    await http('POST', '/api/v1/models', { key: 'bk', name: 'Backup', type: 'classification' });
    await http('POST', '/api/v1/models/bk/versions', { label: '1.0.0' });
    for (const [i, size] of [2_500_000, 1000, 40_000].entries())
      await uploadEvidence(
        server,
        'bk',
        '1.0.0',
        { type: 'test_results', title: `file ${i}` },
        randomBytes(size),
        `f${i}.bin`,
      );
    await server.stop(true);
    dirs.push(server.dataDir);
    const shared = {
      ASSAY_DATABASE_URL: store.url!,
      ASSAY_BLOB_STORE: 'postgres',
      ASSAY_DATA_DIR: server.dataDir,
    };

    // Before the migration the shared store misses all three.
    const before = runCli(['blobs', 'verify'], shared);
    expect(before.status).toBe(1);
    expect(before.stdout.match(/^MISSING /gm)).toHaveLength(3);

    const first = runCli(['blobs', 'migrate'], shared);
    expect(first.stderr).toContain('copied 3 blobs');
    expect(first.status).toBe(0);
    const again = runCli(['blobs', 'migrate'], shared);
    expect(again.stderr).toContain('copied 0 blobs (0.0 MiB)');
    expect(again.stderr).toContain('3 were already there');
    const ok = runCli(['blobs', 'verify'], shared);
    expect(ok.stdout).toContain('OK: 3 blobs, every hash matches, every referenced blob present');
    expect(ok.status).toBe(0);

    // Backup: pg_dump of the one database (records, audit chain and blobs); restore into a new one.
    const dump = path.join(server.dataDir, 'assay.dump');
    const d = spawnSync('pg_dump', ['--format=custom', `--file=${dump}`, store.url!], { encoding: 'utf8' });
    expect(d.stderr).toBe('');
    expect(d.status).toBe(0);
    const target = `assay_restore_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${target}`);
    await admin.end();
    const restoredUrl = Object.assign(new URL(PG!), { pathname: `/${target}` }).toString();
    stores.push({
      db: undefined as never,
      url: restoredUrl,
      dispose: async () => {
        const c = new pg.Client({ connectionString: PG });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
        await c.end();
      },
    });
    const r = spawnSync('pg_restore', ['--no-owner', `--dbname=${restoredUrl}`, dump], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const restored = {
      ...shared,
      ASSAY_DATABASE_URL: restoredUrl,
      ASSAY_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'assay-r-')),
    };
    dirs.push(restored.ASSAY_DATA_DIR);
    const chain = runCli(['audit', 'verify', '--database-url', restoredUrl], restored);
    expect(chain.stdout).toMatch(/^ok: \d+ events, chain head [0-9a-f]{64}/);
    expect(chain.status).toBe(0);
    const blobs = runCli(['blobs', 'verify'], restored);
    expect(blobs.stdout).toContain('OK: 3 blobs');
    expect(blobs.status).toBe(0);

    // A byte changed in the restored copy is found and named.
    const c = new pg.Client({ connectionString: restoredUrl });
    await c.connect();
    const { rows } = await c.query(
      `UPDATE blob_chunks SET data = overlay(data placing '\\x00'::bytea from 7) WHERE seq = 1 RETURNING sha256`,
    );
    await c.end();
    expect(rows).toHaveLength(1);
    const bad = runCli(['blobs', 'verify'], restored);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`DAMAGED ${rows[0].sha256}: content hashes to`);
  }, 240_000);
});
