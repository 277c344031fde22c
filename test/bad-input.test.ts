import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeErrorToDomain } from '../src/platform/db/store-errors.ts';
import { ENGINES } from './support/engines.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/** The examples of invariant 8 ("bad input never gives a 500"), each through the HTTP API. */
describe.each(ENGINES)('bad input gets a 400 naming the field on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.call('POST', '/api/v1/models', { key: 'credit-pd', name: 'Credit PD', type: 'classification' });
  });
  afterAll(async () => {
    await s.close();
  });

  async function head(): Promise<string> {
    const row = await s.store.db.kysely
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return `${row.seq}:${row.hash}`;
  }

  it('refuses a NUL byte in any string field, naming it, and writes nothing', async () => {
    const before = await head();
    const res = await s.call('PATCH', '/api/v1/models/credit-pd', { description: 'ok\u0000then' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.field).toBe('body.description');
    const nested = await s.call('POST', '/api/v1/datasets', {
      name: 'ds',
      role: 'training',
      tags: ['fine', 'bad\u0000'],
    });
    expect(nested.statusCode, nested.body).toBe(400);
    expect(nested.json().error.details.field).toBe('body.tags.1');
    const query = await s.call('GET', '/api/v1/models?q=%00');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.details.field).toBe('querystring.q');
    const param = await s.call('GET', '/api/v1/models/credit%00pd');
    expect(param.statusCode).toBe(400);
    expect(param.json().error.details.field).toBe('params.key');
    expect(await head()).toBe(before);
  });

  it('refuses garbage cursors with a 400 naming the cursor', async () => {
    const bad = (text: string) => Buffer.from(text).toString('base64url');
    for (const url of [
      `/api/v1/models/credit-pd/history?cursor=${bad('[1e999,"x"]')}`,
      `/api/v1/models/credit-pd/history?cursor=${bad('["x","y"]')}`,
      `/api/v1/models?cursor=${bad(JSON.stringify(['a', 'b\u0000']))}`,
      `/api/v1/users?cursor=${bad('o:-1')}`,
      '/api/v1/users?cursor=%%%',
      `/api/v1/audit/events?cursor=${bad('s:99999999999999999999')}`,
      `/api/v1/reviews?cursor=${bad(JSON.stringify(['2026\u0000', 'x']))}`,
    ]) {
      const res = await s.call('GET', url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().error.details.field, url).toMatch(/cursor$/);
    }
  });

  it('refuses an unknown owner with a 400 naming the field, never a foreign-key 500', async () => {
    const res = await s.call('PUT', '/api/v1/models/credit-pd/relations', {
      owner: 'nobody-by-that-name',
      developers: [],
      validators: [],
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.field).toMatch(/owner/);
  });

  it('refuses a YAML alias bomb in the policy as a syntax error, quickly, and keeps the policy', async () => {
    const before = (await s.call('GET', '/api/v1/policy')).json().version;
    const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lol.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const res = await s.call('PUT', '/api/v1/policy', lol.join('\n'), undefined, {
      'content-type': 'text/yaml',
    });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(400);
    expect(res.json().error.details.field).toBe('(syntax)');
    expect(Date.now() - started).toBeLessThan(5_000);
    const huge = `# ${'x'.repeat(300 * 1024)}\n`;
    const big = await s.call('PUT', '/api/v1/policy', { yaml: huge });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.details.field).toBe('(document)');
    expect((await s.call('GET', '/api/v1/policy')).json().version).toBe(before);
  });

  it('refuses a webhook whose host does not resolve with a 400 naming the url', async () => {
    const res = await s.call('POST', '/api/v1/webhooks', {
      url: 'https://assay-hook.does-not-exist.invalid/hook',
      events: ['review.opened'],
      secret: 'a-secret-of-some-length',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details.field).toBe('url');
  });

  it('maps a foreign-key, unique or NUL error from the store itself to 400/409 (the net under validation)', async () => {
    const db = s.store.db.kysely;
    const caught = async (p: Promise<unknown>) =>
      p.then(
        () => null,
        (err: unknown) => err,
      );
    const fk = await caught(
      db
        .insertInto('api_tokens')
        .values({
          id: 'tok-x',
          user_id: 'no-such-user',
          name: 'x',
          token_hash: 'h',
          prefix: 'p',
          scope: 'read',
          created_at: '2026-01-01T00:00:00Z',
          expires_at: null,
          revoked_at: null,
          last_used_at: null,
        })
        .execute(),
    );
    expect(storeErrorToDomain(fk)).toMatchObject({ code: 'bad_request', details: { rule: 'reference' } });
    const admin = await db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    const dup = await caught(
      db
        .insertInto('users')
        .values({ ...admin, id: 'another-id' })
        .execute(),
    );
    expect(storeErrorToDomain(dup)).toMatchObject({ code: 'conflict', details: { rule: 'unique' } });
    if (engine === 'postgres') {
      const nul = await caught(
        db.selectFrom('users').selectAll().where('username', '=', 'a\u0000').execute(),
      );
      expect(storeErrorToDomain(nul)).toMatchObject({ code: 'bad_request' });
    }
    expect(storeErrorToDomain(new Error('something else'))).toBeNull();
  });
});
