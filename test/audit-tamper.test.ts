import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamAuditEvents } from '../src/platform/audit/audit-trail.ts';
import { verifyAuditChain } from '../src/platform/audit/audit-verify.ts';
import { IdentityService } from '../src/platform/auth/identity.service.ts';
import type { Db, Dialect } from '../src/platform/db/database.ts';
import { ENGINES, openTestDb, type TestDb } from './support/engines.ts';
import { ManualClock } from './support/manual-clock.ts';

type Value = string | number | null;

/** Runs one statement through the normal path (triggers active). */
async function runSql(db: Db, text: string, params: Value[] = []): Promise<void> {
  if (db.sqlite) {
    db.sqlite.prepare(text.replace(/\$\d+/g, '?')).run(...params);
    return;
  }
  await db.pgPool!.query(text, params);
}

/**
 * Runs one statement with the append-only triggers bypassed, as an attacker with raw database
 * access would: SQLite drops and re-creates the trigger, PostgreSQL runs as a replica.
 */
async function runBypassingTriggers(db: Db, text: string, params: Value[]): Promise<void> {
  if (db.sqlite) {
    const h = db.sqlite;
    const triggers = h
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
      .all() as { name: string; sql: string }[];
    for (const t of triggers) h.exec(`DROP TRIGGER ${t.name}`);
    try {
      h.prepare(text.replace(/\$\d+/g, '?')).run(...params);
    } finally {
      for (const t of triggers) h.exec(t.sql);
    }
    return;
  }
  const client = await db.pgPool!.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(text, params);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

async function rowAt(db: Db, seq: number): Promise<Record<string, Value>> {
  const row = await db.kysely
    .selectFrom('audit_events')
    .selectAll()
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  return row as unknown as Record<string, Value>;
}

/** Changes one character of a text: the smallest edit that still leaves valid text. */
function flipOneByte(text: string, at: number): string {
  const i = at % text.length;
  const c = text.charCodeAt(i);
  const replacement = c === 0x61 ? 'b' : 'a';
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

async function verifyStore(db: Db) {
  return verifyAuditChain(streamAuditEvents(db));
}

/** Writes realistic events through the identity service: users, role changes, tokens, revocations. */
async function writeThroughService(db: Db): Promise<number> {
  const identity = new IdentityService(db, new ManualClock());
  const ctx = { actor: 'admin', requestId: 'req-1' };
  for (let i = 0; i < 12; i++) {
    const u = await identity.createUser(ctx, { username: `user${i}`, role: 'developer' });
    await identity.updateUser(ctx, u.id, {
      role: i % 2 ? 'owner' : 'validator',
      displayName: `User "${i}" ☃`,
    });
    const { view } = await identity.createToken(ctx, { userId: u.id, name: `t${i}`, scope: 'read' });
    if (i % 3 === 0) await identity.revokeToken(ctx, view.id);
  }
  const n = await db.kysely
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n.n);
}

describe.each(ENGINES)('audit trail tamper evidence on %s', (engine: Dialect) => {
  let store: TestDb;
  let dir: string;
  let events: number;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-tamper-'));
    store = await openTestDb(engine, { sqlitePath: path.join(dir, 'assay.db') });
    events = await writeThroughService(store.db);
  });
  afterAll(async () => {
    await store.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses UPDATE, DELETE (and TRUNCATE) through normal SQL', async () => {
    const { db } = store;
    await expect(runSql(db, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")).rejects.toThrow(
      /append-only/,
    );
    await expect(runSql(db, 'DELETE FROM audit_events WHERE seq = 3')).rejects.toThrow(/append-only/);
    await expect(runSql(db, 'DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    if (engine === 'postgres')
      await expect(runSql(db, 'TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    expect((await rowAt(db, 3)).actor).toBe('admin');
    expect(await verifyStore(db)).toMatchObject({ ok: true, checked: events });
  });

  it('names exactly the event of which one stored byte was changed, offline and through the CLI', async () => {
    const { db } = store;
    const seq = Math.floor(events / 2);
    const original = await rowAt(db, seq);
    const tampered = flipOneByte(String(original.after_json), 17);
    expect(Buffer.byteLength(tampered)).toBe(Buffer.byteLength(String(original.after_json)));
    await runBypassingTriggers(db, 'UPDATE audit_events SET after_json = $1 WHERE seq = $2', [tampered, seq]);
    const result = await verifyStore(db);
    expect(result.ok).toBe(false);
    expect(result.firstBreak).toMatchObject({ seq, id: original.id, reason: 'hash_mismatch' });
    expect(result.checked).toBe(seq - 1);

    const cliEnv = { ...process.env, ASSAY_DATABASE_URL: engine === 'postgres' ? store.url : '' };
    const cli = spawnSync(
      process.execPath,
      ['bin/assay.mjs', 'audit', 'verify', '--data-dir', dir, '--json'],
      { encoding: 'utf8', env: cliEnv, cwd: path.resolve(import.meta.dirname, '..') },
    );
    expect(cli.status).toBe(1);
    expect(JSON.parse(cli.stdout).firstBreak).toMatchObject({ seq, id: original.id });
    const human = spawnSync(process.execPath, ['bin/assay.mjs', 'audit', 'verify', '--data-dir', dir], {
      encoding: 'utf8',
      env: cliEnv,
      cwd: path.resolve(import.meta.dirname, '..'),
    });
    expect(human.stdout).toContain(`seq ${seq} (id ${original.id})`);

    await runBypassingTriggers(db, 'UPDATE audit_events SET after_json = $1 WHERE seq = $2', [
      original.after_json ?? null,
      seq,
    ]);
    expect(await verifyStore(db)).toMatchObject({ ok: true, checked: events });
    const ok = spawnSync(process.execPath, ['bin/assay.mjs', 'audit', 'verify', '--data-dir', dir], {
      encoding: 'utf8',
      env: cliEnv,
      cwd: path.resolve(import.meta.dirname, '..'),
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^ok: ${events} events, chain head [0-9a-f]{64}`));
  }, 60_000);

  it('detects any single-field change to any row, naming that row', async () => {
    const { db } = store;
    const fields = [
      'id',
      'at',
      'actor',
      'action',
      'entity_type',
      'entity_id',
      'model_id',
      'request_id',
      'before_json',
      'after_json',
      'prev_hash',
      'hash',
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: events }),
        fc.constantFrom(...fields),
        fc.nat(),
        async (seq, field, at) => {
          const original = await rowAt(db, seq);
          const was = original[field];
          // null fields become a value; text fields change one byte (hashes stay hex-looking).
          const next =
            was === null
              ? field.endsWith('_json')
                ? '{}'
                : 'x'
              : field.endsWith('hash')
                ? flipHex(String(was), at)
                : flipOneByte(String(was), at);
          await runBypassingTriggers(db, `UPDATE audit_events SET ${field} = $1 WHERE seq = $2`, [next, seq]);
          try {
            const result = await verifyStore(db);
            expect(result.ok).toBe(false);
            expect(result.firstBreak?.seq).toBe(seq);
          } finally {
            await runBypassingTriggers(db, `UPDATE audit_events SET ${field} = $1 WHERE seq = $2`, [
              was ?? null,
              seq,
            ]);
          }
        },
      ),
      { numRuns: engine === 'sqlite' ? 60 : 25 },
    );
    expect(await verifyStore(db)).toMatchObject({ ok: true });
  }, 120_000);

  it('detects a removed event and a changed seq', async () => {
    const { db } = store;
    const seq = 5;
    const original = await rowAt(db, seq);
    await runBypassingTriggers(db, 'UPDATE audit_events SET seq = $1 WHERE seq = $2', [events + 100, seq]);
    const moved = await verifyStore(db);
    expect(moved.ok).toBe(false);
    expect(moved.firstBreak).toMatchObject({ seq: seq + 1, reason: 'sequence_gap' });
    await runBypassingTriggers(db, 'UPDATE audit_events SET seq = $1 WHERE seq = $2', [seq, events + 100]);
    expect((await rowAt(db, seq)).id).toBe(original.id);
    expect(await verifyStore(db)).toMatchObject({ ok: true });
  });
});

function flipHex(text: string, at: number): string {
  const i = at % text.length;
  return text.slice(0, i) + (text[i] === '0' ? '1' : '0') + text.slice(i + 1);
}
