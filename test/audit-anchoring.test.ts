import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPortfolio } from '../src/demo/seed.ts';
import { streamAuditEvents } from '../src/platform/audit/audit-trail.ts';
import { type StoredAuditEvent, verifyAuditChain } from '../src/platform/audit/audit-verify.ts';
import { bootstrapAdmin } from '../src/platform/auth/bootstrap.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Dialect } from '../src/platform/db/database.ts';
import type { ApiApp } from '../src/platform/http/http-app.ts';
import { buildServer, type Services } from '../src/server.ts';
import { runCli } from './support/cli-harness.ts';
import { ENGINES, openTestDb, type TestDb } from './support/engines.ts';
import { ManualClock } from './support/manual-clock.ts';
import { StoreOwner } from './support/store-owner.ts';

/**
 * The tamper test of issue 12: a store owner truncates the trail, renumbers and re-hashes it,
 * forges a re-chain after a checkpoint, and edits a state table directly. `assay audit verify`
 * (the real CLI, on the store) names each with the documented options, and says what it cannot
 * detect without them.
 */
describe.each(ENGINES)('audit trail anchored outside the store on %s', (engine: Dialect) => {
  let store: TestDb;
  let dataDir: string;
  let cpDir: string;
  let app: ApiApp;
  let services: Services;
  let token: string;
  let owner: StoreOwner;
  let original: StoredAuditEvent[];
  const clock = new ManualClock('2026-11-01T00:00:00.000Z');

  const verify = (...args: string[]) =>
    runCli(['audit', 'verify', '--data-dir', dataDir, ...args], {
      ASSAY_DATABASE_URL: engine === 'postgres' ? store.url! : '',
    });
  /** The chain checked only against itself (what a plain verify does), in process: it passes every attack below. */
  const chainAlone = async () => (await verifyAuditChain(streamAuditEvents(store.db))).ok;
  const checkpoint = async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; checkpoint: { sequence: number }; published: { file: string | null } };
  };
  /** A directory holding just these checkpoint files (what an auditor kept). */
  const kept = (files: (string | null)[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-kept-'));
    for (const f of files) fs.copyFileSync(f!, path.join(dir, path.basename(f!)));
    return dir;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-anchor-'));
    cpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-checkpoints-'));
    store = await openTestDb(engine, { sqlitePath: path.join(dataDir, 'assay.db') });
    const built = await buildServer({
      db: store.db,
      clock,
      config: { ...loadConfig({}), dataDir, checkpointDir: cpDir },
    });
    app = built.app;
    services = built.services;
    await app.ready();
    token = (await bootstrapAdmin(services.identity))!.token;
    await seedDemoPortfolio(store.db, services.identity, new Date('2026-11-01T00:00:00Z'));
    owner = new StoreOwner(store.db);
    original = await owner.events();
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await store.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(cpDir, { recursive: true, force: true });
  });

  it('passes an untouched store with every option, and says what a plain verify cannot detect', async () => {
    const cp = await checkpoint();
    expect(cp.published.file).toMatch(new RegExp(`^${cpDir}/checkpoint-0+${cp.checkpoint.sequence}-`));
    const full = verify('--checkpoint', cpDir, '--state');
    expect(full.stderr).toBe('');
    expect(full.status).toBe(0);
    expect(full.stdout).toMatch(/^checkpoint seq \d+ of .*: ok: the chain still extends it/m);
    expect(full.stdout).toMatch(/^state: ok: \d+ entities match their last audit snapshot$/m);
    const plain = verify();
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain(
      'NOT CHECKED: no checkpoint given (--checkpoint): deleting the newest events',
    );
    expect(plain.stdout).toContain(
      'NOT CHECKED: state tables not compared (--state): a direct edit of a state table',
    );
  }, 60_000);

  it('names a direct edit of a state table (UPDATE models SET tier = 4) with --state', async () => {
    const model = await store.db.kysely
      .selectFrom('models')
      .select(['id', 'key', 'tier'])
      .where('tier', '<', 4)
      .orderBy('key')
      .executeTakeFirstOrThrow();
    await owner.run('UPDATE models SET tier = 4 WHERE id = $1', [model.id]);
    try {
      expect(await chainAlone()).toBe(true);
      const r = verify('--state');
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(
        `MISMATCH field_differs model ${model.id}: tier is 4 in models, but the audit trail's last snapshot says ${model.tier}`,
      );
      expect(r.stdout.match(/^MISMATCH/gm)).toHaveLength(1);
    } finally {
      await owner.run('UPDATE models SET tier = $1 WHERE id = $2', [model.tier, model.id]);
    }
  }, 60_000);

  it('names the deletion of the newest events (triggers dropped) against a checkpoint', async () => {
    const cp = await checkpoint();
    const head = cp.checkpoint.sequence;
    await owner.withoutTriggers(() => owner.run('DELETE FROM audit_events WHERE seq > $1', [head - 3]));
    try {
      expect(await chainAlone()).toBe(true);
      const r = verify('--checkpoint', kept([cp.published.file]));
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(
        `FAILED truncated: the checkpoint of ${clock.now().toISOString()} saw event ${head}`,
      );
      expect(r.stdout).toContain(
        `the chain now ends at seq ${head - 3}: the newest events (seq ${head - 2} to at least ${head}) were deleted (truncation)`,
      );
    } finally {
      await owner.restore(original);
    }
  }, 60_000);

  it('names a renumbered and re-hashed chain', async () => {
    const cp = await checkpoint();
    const head = cp.checkpoint.sequence;
    const victim = head - 10;
    const renumbered = original
      .filter((e) => e.seq !== victim)
      .map((e) => (e.seq > victim ? { ...e, seq: e.seq - 1 } : e));
    await owner.rechain(renumbered, victim);
    try {
      expect(await chainAlone()).toBe(true);
      const r = verify('--checkpoint', kept([cp.published.file]));
      expect(r.status).toBe(1);
      const last = original.find((e) => e.seq === head)!;
      expect(r.stdout).toContain(
        `FAILED renumbered: the checkpoint of ${clock.now().toISOString()} saw event ${head} (${last.id})`,
      );
      expect(r.stdout).toContain(
        `that event now sits at seq ${head - 1}: events were removed or inserted before it and the chain was renumbered and re-hashed`,
      );
    } finally {
      await owner.restore(original);
    }
  }, 60_000);

  it('names a forged re-chain after a checkpoint and narrows it between two checkpoints', async () => {
    const first = await checkpoint();
    // More activity, then a second checkpoint.
    clock.advance(3_600_000);
    const ctx = { actor: 'admin', requestId: null };
    for (let i = 0; i < 5; i++)
      await services.identity.createUser(ctx, { username: `later${i}`, role: 'developer' });
    const second = await checkpoint();
    const all = await owner.events();
    const target = first.checkpoint.sequence + 2;
    const forged = all.map((e) => (e.seq === target ? { ...e, actor: 'mallory' } : e));
    await owner.rechain(forged, target);
    try {
      expect(await chainAlone()).toBe(true);
      const r = verify('--checkpoint', kept([first.published.file, second.published.file]));
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`checkpoint seq ${first.checkpoint.sequence} .*: ok`));
      expect(r.stdout).toContain(
        `FAILED rewritten: the checkpoint of ${clock.now().toISOString()} saw event ${second.checkpoint.sequence}`,
      );
      expect(r.stdout).toContain('was changed and re-hashed (a forged re-chain)');
      expect(r.stdout).toMatch(
        new RegExp(
          `^=> the trail was changed after seq ${first.checkpoint.sequence} \\(.*\\) and at or before seq ${second.checkpoint.sequence} `,
          'm',
        ),
      );
    } finally {
      await owner.restore(all);
    }
    const after = verify('--checkpoint', cpDir, '--state');
    expect(after.stdout).toMatch(/^ok$/m);
    expect(after.status).toBe(0);
  }, 60_000);

  it('refuses a checkpoint file that was edited, and one signed by a key the verifier does not trust', async () => {
    const cp = await checkpoint();
    const dir = kept([cp.published.file]);
    const file = path.join(dir, path.basename(cp.published.file!));
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    // A forger moves the checkpoint to match a shortened chain: the signature no longer matches.
    doc.checkpoint.sequence -= 3;
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = verify('--checkpoint', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAILED bad_signature: the signature does not match the checkpoint');
    const other = path.join(dir, 'other-keys.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    fs.writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const untrusted = verify('--checkpoint', cp.published.file!, '--trusted-keys', other);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stdout).toContain('FAILED untrusted_key: signed by key');
  }, 60_000);
});
