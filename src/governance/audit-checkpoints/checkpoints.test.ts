import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb } from '../../../test/support/engines.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { loadConfig } from '../../platform/config.ts';
import { SigningKeyRing } from '../../platform/signing/key-ring.ts';
import { buildServer } from '../../server.ts';
import { scheduledCheckpointDue } from './checkpoint-rules.ts';

const HOUR = 3_600_000;

describe('the checkpoint schedule rule', () => {
  it('is due only with events, a moved head and the interval passed', () => {
    const h = (seq: number) => ({ seq, hash: String(seq).padStart(64, '0') });
    const at = '2026-01-01T00:00:00.000Z';
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 3 * HOUR }),
        (seq, moved, elapsed) => {
          const latest = { sequence: seq, headHash: h(seq).hash, time: at };
          const now = new Date(Date.parse(at) + elapsed);
          const due = scheduledCheckpointDue({ head: h(seq + moved), latest }, now, HOUR);
          expect(due).toBe(moved > 0 && elapsed >= HOUR);
        },
      ),
    );
    expect(scheduledCheckpointDue({ head: null, latest: null }, new Date(), HOUR)).toBe(false);
    expect(scheduledCheckpointDue({ head: h(1), latest: null }, new Date(), HOUR)).toBe(true);
    expect(scheduledCheckpointDue({ head: h(1), latest: null }, new Date(), 0)).toBe(false);
  });
});

describe.each(ENGINES)('audit checkpoints through the API on %s', (engine) => {
  let s: TestServer;
  let dir: string;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cp-'));
    s = await startTestServer(engine, '2026-03-01T00:00:00.000Z', {
      checkpointDir: dir,
      checkpointIntervalMs: HOUR,
    });
    tokens = await s.userTokens([
      ['audrey', 'auditor'],
      ['gov', 'governance'],
      ['dev', 'developer'],
    ]);
  });
  afterAll(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes a signed checkpoint on demand, publishes it as a file, a webhook event and through the API', async () => {
    const hook = await s.call('POST', '/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      events: ['audit.checkpoint'],
      secret: 'a-secret-of-sixteen+',
      allowPrivate: true,
    });
    expect(hook.statusCode).toBe(201);
    expect((await s.call('POST', '/api/v1/audit/checkpoints', undefined, tokens.dev)).statusCode).toBe(403);
    const res = await s.call('POST', '/api/v1/audit/checkpoints', undefined, tokens.audrey);
    expect(res.statusCode).toBe(201);
    const cp = res.json();
    const head = await s.store.db.kysely
      .selectFrom('audit_events')
      .select(['seq', 'hash', 'id'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(cp).toMatchObject({
      trigger: 'manual',
      createdBy: 'audrey',
      checkpoint: {
        format: 'assay.audit-checkpoint/v1',
        sequence: Number(head.seq),
        headHash: head.hash,
        headEventId: head.id,
        time: '2026-03-01T00:00:00.000Z',
        keyId: s.services.signingKey.publicKey.id,
      },
    });
    // The file outside the data directory holds exactly the signed checkpoint.
    const file = JSON.parse(fs.readFileSync(cp.published.file, 'utf8'));
    expect(path.dirname(cp.published.file)).toBe(dir);
    expect(file).toEqual({
      checkpoint: cp.checkpoint,
      signature: cp.signature,
      publicKeyPem: cp.publicKeyPem,
    });
    const delivery = await s.store.db.kysely
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('event', '=', 'audit.checkpoint')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(delivery.payload).data).toEqual(file);
    const latest = await s.call('GET', '/api/v1/audit/checkpoints/latest', undefined, tokens.gov);
    expect(latest.json()).toMatchObject({ id: cp.id, signature: cp.signature });
    const list = await s.call('GET', '/api/v1/audit/checkpoints?limit=5', undefined, tokens.audrey);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([cp.id]);
    // The API verify proves the chain extends it.
    const v = await s.call(
      'POST',
      '/api/v1/audit/verify',
      { checkpoints: [file], state: true },
      tokens.audrey,
    );
    expect(v.statusCode).toBe(200);
    expect(v.json()).toMatchObject({
      ok: true,
      checkpoints: [{ ok: true, reason: 'holds' }],
      state: { ok: true },
    });
  });

  it('checkpoints on the scheduler tick only when the interval passed and the head moved', async () => {
    const count = async () =>
      (await s.store.db.kysely.selectFrom('audit_checkpoints').select('id').execute()).length;
    const before = await count();
    await s.call('POST', '/api/v1/users', { username: 'newcomer', role: 'developer' });
    // The head moved, but the interval since the last checkpoint has not passed: none.
    s.clock.advance(HOUR / 2);
    await s.services.scheduler.runDueJobs();
    expect(await count()).toBe(before);
    s.clock.advance(HOUR / 2);
    await s.services.scheduler.runDueJobs();
    expect(await count()).toBe(before + 1);
    // The interval passed again, but the head has not moved since: none.
    s.clock.advance(HOUR + 1);
    await s.services.scheduler.runDueJobs();
    expect(await count()).toBe(before + 1);
    const latest = (await s.call('GET', '/api/v1/audit/checkpoints/latest', undefined, tokens.audrey)).json();
    expect(latest).toMatchObject({ trigger: 'schedule', createdBy: 'system' });
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(before + 1);
  });

  it('names a state-table edit through the API, and refuses checkpoint rows being changed', async () => {
    const u = await s.store.db.kysely
      .selectFrom('users')
      .select(['id'])
      .where('username', '=', 'dev')
      .executeTakeFirstOrThrow();
    if (s.store.db.sqlite)
      s.store.db.sqlite.prepare("UPDATE users SET role = 'admin' WHERE id = ?").run(u.id);
    else await s.store.db.pgPool!.query("UPDATE users SET role = 'admin' WHERE id = $1", [u.id]);
    const v = (await s.call('POST', '/api/v1/audit/verify', { state: true }, tokens.audrey)).json();
    expect(v.ok).toBe(false);
    expect(v.state.mismatches).toEqual([
      expect.objectContaining({
        entityType: 'user',
        entityId: u.id,
        field: 'role',
        audit: 'developer',
        table: 'admin',
      }),
    ]);
    expect(v.limits[0]).toContain('no checkpoint given');
    if (s.store.db.sqlite)
      s.store.db.sqlite.prepare("UPDATE users SET role = 'developer' WHERE id = ?").run(u.id);
    else await s.store.db.pgPool!.query("UPDATE users SET role = 'developer' WHERE id = $1", [u.id]);
    const del = s.store.db.sqlite
      ? Promise.resolve().then(() => s.store.db.sqlite!.prepare('DELETE FROM audit_checkpoints').run())
      : s.store.db.pgPool!.query('DELETE FROM audit_checkpoints');
    await expect(del).rejects.toThrow(/append-only/);
  });

  it('rotates the signing key (admin); old checkpoints stay verifiable with the retired key', async () => {
    const old = (await s.call('GET', '/api/v1/audit/checkpoints/latest', undefined, tokens.audrey)).json();
    expect((await s.call('POST', '/api/v1/keys/rotate', undefined, tokens.gov)).statusCode).toBe(403);
    const r = await s.call('POST', '/api/v1/keys/rotate');
    expect(r.statusCode).toBe(200);
    const { previous, current } = r.json();
    expect(previous).toMatchObject({ id: old.checkpoint.keyId, active: false });
    expect(current.active).toBe(true);
    expect(current.id).not.toBe(previous.id);
    const keys = (await s.call('GET', '/api/v1/keys', undefined, tokens.dev)).json().items;
    expect(keys.map((k: { id: string; active: boolean }) => [k.id, k.active])).toEqual(
      expect.arrayContaining([
        [current.id, true],
        [previous.id, false],
      ]),
    );
    const fresh = (await s.call('POST', '/api/v1/audit/checkpoints', undefined, tokens.audrey)).json();
    expect(fresh.checkpoint.keyId).toBe(current.id);
    const v = (
      await s.call('POST', '/api/v1/audit/verify', { checkpoints: [old, fresh] }, tokens.audrey)
    ).json();
    expect(v.checkpoints.map((c: { ok: boolean }) => c.ok)).toEqual([true, true]);
    const events = (await s.call('GET', '/api/v1/audit/events?action=signing_key.rotated')).json().items;
    expect(events[0]).toMatchObject({ actor: 'admin', entityId: current.id });
  });
});

describe('the checkpoint directory', () => {
  it('is refused inside the data directory', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cpdir-'));
    const store = await openTestDb('sqlite');
    try {
      await expect(
        buildServer({
          db: store.db,
          clock: new ManualClock(),
          config: { ...loadConfig({}), dataDir, checkpointDir: path.join(dataDir, 'checkpoints') },
        }),
      ).rejects.toThrow(/ASSAY_CHECKPOINT_DIR .* is inside the data directory/);
    } finally {
      await store.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a signing key from ASSAY_SIGNING_KEY_FILE', () => {
  it('is not rotated through the API, and a new file on restart retires the old key but keeps it listed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-keyfile-'));
    const store = await openTestDb('sqlite');
    const { generateKeyPairSync } = await import('node:crypto');
    const write = (name: string) => {
      const file = path.join(dataDir, name);
      fs.writeFileSync(
        file,
        generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      );
      return file;
    };
    try {
      const clock = new ManualClock('2026-01-01T00:00:00.000Z');
      const first = await SigningKeyRing.open(store.db, clock, { dataDir, keyFile: write('a.pem') });
      await expect(first.rotate({ actor: 'admin', requestId: null })).rejects.toThrow(
        /ASSAY_SIGNING_KEY_FILE/,
      );
      clock.advance(1000);
      const second = await SigningKeyRing.open(store.db, clock, { dataDir, keyFile: write('b.pem') });
      const keys = await second.list();
      expect(keys.map((k) => [k.id, k.active, k.retiredAt])).toEqual([
        [second.publicKey.id, true, null],
        [first.publicKey.id, false, '2026-01-01T00:00:01.000Z'],
      ]);
    } finally {
      await store.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
