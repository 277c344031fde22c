import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bootstrapAdmin } from '../../src/platform/auth/bootstrap.ts';
import type { IdentityService } from '../../src/platform/auth/identity.service.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { buildServer } from '../../src/server.ts';
import { openTestDb } from '../support/engines.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { CAST } from './world.ts';

/** When every sequence starts. */
export const START = '2026-03-02T09:00:00.000Z';

/** A throw-away server for one sequence: the real app, its clock, and how to remove it. */
export type WorldServer = Pick<TestServer, 'call' | 'clock' | 'close'>;

/** The cast's tokens and ids, and the oracle's read-only token. */
export interface Cast {
  tokens: Record<string, string>;
  userIds: Record<string, string>;
  readToken: string;
}

/** Creates the cast (every role) and the oracle's auditor with a read-scoped token. */
async function createCast(identity: IdentityService, adminToken: string): Promise<Cast> {
  const ctx = { actor: 'admin', requestId: null };
  const tokens: Record<string, string> = { admin: adminToken };
  const userIds: Record<string, string> = {};
  for (const [username, role] of CAST) {
    const user = await identity.createUser(ctx, { username, role });
    tokens[username] = (
      await identity.createToken(ctx, { userId: user.id, name: 'adversary', scope: 'write' })
    ).token;
    userIds[username] = user.id;
  }
  const reader = await identity.createUser(ctx, { username: 'oracle', role: 'auditor' });
  const readToken = (await identity.createToken(ctx, { userId: reader.id, name: 'oracle', scope: 'read' }))
    .token;
  return { tokens, userIds, readToken };
}

/**
 * On PostgreSQL a new migrated database with the cast costs seconds; each sequence instead clones
 * a template database made once per test file (`CREATE DATABASE … TEMPLATE`), which is quick.
 */
let pgTemplate: Promise<{ name: string; adminUrl: string; cast: Cast }> | null = null;

async function makePgTemplate(): Promise<{ name: string; adminUrl: string; cast: Cast }> {
  const store = await openTestDb('postgres');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-adv-'));
  const { app, services } = await buildServer({
    db: store.db,
    clock: new ManualClock(START),
    config: { ...loadConfig({}), dataDir },
  });
  await app.ready();
  const boot = await bootstrapAdmin(services.identity);
  const cast = await createCast(services.identity, boot!.token);
  await app.close();
  await store.db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    name: new URL(store.url!).pathname.slice(1),
    adminUrl: process.env.ASSAY_TEST_DATABASE_URL!,
    cast,
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops the PostgreSQL template of this test file (call in afterAll). */
export async function disposeTemplates(): Promise<void> {
  if (!pgTemplate) return;
  const { name, adminUrl } = await pgTemplate;
  pgTemplate = null;
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Starts a fresh server with the cast on `engine` (SQLite: in memory; PostgreSQL: a cloned template). */
export async function startWorldServer(
  engine: 'sqlite' | 'postgres',
): Promise<{ server: WorldServer; cast: Cast }> {
  if (engine === 'sqlite') {
    const t = await startTestServer('sqlite', START);
    return { server: t, cast: await createCast(t.services.identity, t.adminToken) };
  }
  pgTemplate ??= makePgTemplate();
  const tpl = await pgTemplate;
  const name = `assay_adv_${randomBytes(6).toString('hex')}`;
  await adminQuery(tpl.adminUrl, `CREATE DATABASE ${name} TEMPLATE ${tpl.name}`);
  const url = new URL(tpl.adminUrl);
  url.pathname = `/${name}`;
  const db = openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  const clock = new ManualClock(START);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-adv-'));
  const { app } = await buildServer({ db, clock, config: { ...loadConfig({}), dataDir } });
  await app.ready();
  const server: WorldServer = {
    clock,
    call: (method, url, body, token, headers = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
    close: async () => {
      await app.close();
      await db.close();
      await adminQuery(tpl.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return { server, cast: tpl.cast };
}
