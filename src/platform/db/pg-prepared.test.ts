// Named prepared statements on PostgreSQL (pg-prepared.ts): Kysely's statements are prepared once a
// connection and give the same results; a table changed under a prepared statement by another
// process fails that one call and the next is parsed again; statements without parameters
// stay unnamed. SQLite has no
// pool: the composition root installs nothing there (the server's tests cover that engine).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TestDb } from '../../../test/support/engines.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { buildServer } from '../../server.ts';
import { loadConfig } from '../config.ts';
import { type Db, openDatabase } from './database.ts';
import { prepareStatements } from './pg-prepared.ts';

const onPostgres = ENGINES.includes('postgres') ? describe : describe.skip;

onPostgres('named prepared statements on PostgreSQL', () => {
  let t: TestDb;
  let db: Db;
  beforeEach(async () => {
    t = await openTestDb('postgres');
    db = openDatabase({ databaseUrl: t.url!, poolSize: 2 });
    prepareStatements(db.pgPool!);
    prepareStatements(db.pgPool!); // idempotent
  });
  afterEach(async () => {
    await db.close();
    await t.dispose();
  });

  const prepared = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from pg_prepared_statements where name like 'assay_%'`.execute(db.kysely)
    ).rows[0]!.n;

  it('prepares a repeated statement once a connection and returns the same rows', async () => {
    await sql`create table pp (id int primary key, v text)`.execute(db.kysely);
    await db.kysely.connection().execute(async (conn) => {
      for (let i = 0; i < 8; i++) await sql`insert into pp (id, v) values (${i}, ${`v${i}`})`.execute(conn);
      const got = [];
      for (let i = 0; i < 8; i++)
        got.push((await sql<{ v: string }>`select v from pp where id = ${i}`.execute(conn)).rows[0]!.v);
      expect(got).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
      const names = await sql<{
        statement: string;
      }>`select statement from pg_prepared_statements where name like 'assay_%'`.execute(conn);
      // The insert and the select, each once (the create table had no parameters).
      expect(names.rows.map((r) => r.statement).sort()).toEqual([
        'insert into pp (id, v) values ($1, $2)',
        'select v from pp where id = $1',
      ]);
    });
    // Errors of a prepared statement are the statement's own (a duplicate key stays a 23505).
    await expect(
      sql`insert into pp (id, v) values (${1}, ${'again'})`.execute(db.kysely),
    ).rejects.toMatchObject({
      code: '23505',
    });
    expect(await prepared()).toBeGreaterThan(0);
  });

  it('a table changed under a prepared statement fails that call once; the next is parsed again', async () => {
    const other = openDatabase({ databaseUrl: t.url!, poolSize: 1 });
    try {
      await sql`create table pq (id int primary key)`.execute(db.kysely);
      await sql`insert into pq (id) values (1)`.execute(db.kysely);
      await db.kysely.connection().execute(async (conn) => {
        const read = () => sql<Record<string, unknown>>`select * from pq where id = ${1}`.execute(conn);
        expect((await read()).rows).toEqual([{ id: 1 }]);
        // Another process (another server's migration) adds a column.
        await sql`alter table pq add column extra text default 'x'`.execute(other.kysely);
        await expect(read()).rejects.toMatchObject({ code: '0A000' });
        expect((await read()).rows).toEqual([{ id: 1, extra: 'x' }]);
      });
    } finally {
      await other.close();
    }
  });

  it.each([
    ['prepares statements by default', {}, true],
    ['sends them unnamed with ASSAY_PG_PREPARED_STATEMENTS=0', { ASSAY_PG_PREPARED_STATEMENTS: '0' }, false],
  ])('the server %s', async (_, env: Record<string, string>, on) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-prepared-'));
    const server = openDatabase({ databaseUrl: t.url!, poolSize: 2 });
    try {
      const config = { ...loadConfig({ ...env, ASSAY_DATABASE_URL: t.url! }), dataDir };
      expect(config.pgPreparedStatements).toBe(on);
      const { app } = await buildServer({ db: server, clock: new ManualClock(), config });
      await app.close();
      const named = await server.kysely.connection().execute(async (conn) => {
        await conn.selectFrom('users').select('id').where('username', '=', 'nobody').execute();
        return (
          await sql<{
            n: number;
          }>`select count(*)::int as n from pg_prepared_statements where name like 'assay_%'`.execute(conn)
        ).rows[0]!.n;
      });
      expect(named > 0).toBe(on);
    } finally {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
