// Issue 19: writes that take the writers' lock only at the audit append (model registration, job
// completions) keep their invariants under concurrency. Two servers (two pools) on one store
// register the same key at once: exactly one wins, the others get 409, one `model.registered`
// event; many different keys at once all land; the audit chain verifies after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamAuditEvents } from '../src/platform/audit/audit-trail.ts';
import { verifyAuditChain } from '../src/platform/audit/audit-verify.ts';
import { loadConfig } from '../src/platform/config.ts';
import { type Db, openDatabase } from '../src/platform/db/database.ts';
import { buildServer } from '../src/server.ts';
import { ENGINES } from './support/engines.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

describe.each(ENGINES)('concurrent conflicting writes on %s', (engine) => {
  let s: TestServer;
  let secondDb: Db | undefined;
  let second: Awaited<ReturnType<typeof buildServer>>['app'];
  let token: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-race-'));

  beforeAll(async () => {
    s = await startTestServer(engine);
    token = (await s.userToken('gina', 'governance')).token;
    // PostgreSQL: a second server with its own pool on the same database; SQLite: one server.
    if (s.store.url) {
      secondDb = openDatabase({ databaseUrl: s.store.url, poolSize: 4 });
      second = (
        await buildServer({
          db: secondDb,
          clock: s.clock,
          config: { ...loadConfig({}), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'assay-race-')) },
        })
      ).app;
      await second.ready();
    }
  });
  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
    await s.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const register = (i: number, key: string) => {
    const payload = { key, name: `Model ${key}`, type: 'classification' };
    const headers = { authorization: `Bearer ${token}` };
    return i % 2 && second
      ? second.inject({ method: 'POST', url: '/api/v1/models', headers, payload })
      : s.app.inject({ method: 'POST', url: '/api/v1/models', headers, payload });
  };

  it('registers a key once when twelve requests race for it through two servers', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => register(i, 'same-key')));
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([201, ...Array(11).fill(409)]);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(a.json().error.details).toMatchObject({ field: 'key' });
    const rows = await s.store.db.kysely
      .selectFrom('models')
      .select('id')
      .where('key', '=', 'same-key')
      .execute();
    expect(rows.length).toBe(1);
    const events = await s.store.db.kysely
      .selectFrom('audit_events')
      .select('entity_id')
      .where('action', '=', 'model.registered')
      .execute();
    expect(events.map((e) => e.entity_id)).toEqual([rows[0]!.id]);
  });

  it('lands forty different registrations racing through two servers, and the chain verifies', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => register(i, `race-${i}`)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(40).fill(201));
    const events = [];
    for await (const e of streamAuditEvents(s.store.db)) events.push(e);
    const registered = events.filter((e) => e.action === 'model.registered');
    expect(registered.length).toBe(41);
    expect(await verifyAuditChain(streamAuditEvents(s.store.db))).toMatchObject({
      ok: true,
      firstBreak: null,
    });
  });
});
