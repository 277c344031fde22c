import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

interface Event {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
}

describe.each(ENGINES)('audit API on %s', (engine) => {
  let s: TestServer;
  let userIds: string[];
  beforeAll(async () => {
    s = await startTestServer(engine);
    userIds = [];
    for (let i = 0; i < 7; i++) {
      s.clock.advance(60_000);
      const u = await s.call('POST', '/api/v1/users', { username: `u${i}`, role: 'developer' });
      userIds.push(u.json().id);
      await s.call('PATCH', `/api/v1/users/${u.json().id}`, { displayName: `User ${i}` });
    }
  });
  afterAll(async () => {
    await s.close();
  });

  const events = async (qs: string): Promise<{ items: Event[]; nextCursor: string | null }> => {
    const res = await s.call('GET', `/api/v1/audit/events?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('pages through every event with a cursor, newest first by default, without gaps or repeats', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Event[]; nextCursor: string | null } = await events(
        `limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    const total = seen.length;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => total - i));
    const asc = await events('order=asc&limit=500');
    expect(asc.items.map((e) => e.seq)).toEqual([...seen].reverse());
  });

  it('filters by entity, actor, action (exact or prefix) and time range', async () => {
    const one = await events(`entityType=user&entityId=${userIds[3]}&order=asc`);
    expect(one.items.map((e) => e.action)).toEqual(['user.created', 'user.updated']);
    expect((await events('actor=admin&limit=500')).items.every((e) => e.actor === 'admin')).toBe(true);
    expect((await events('actor=nobody')).items).toEqual([]);
    const updates = await events('action=user.updated&limit=500');
    expect(updates.items).toHaveLength(7);
    const prefix = await events('action=user.*&limit=500');
    expect(prefix.items).toHaveLength(15); // 7 created + 7 updated + the bootstrap admin
    // `%` and `_` in a prefix are literal, not LIKE wildcards.
    expect((await events('action=u%25*')).items).toEqual([]);
    const all = (await events('order=asc&limit=500')).items;
    const from = all[4]!.at;
    const to = all[8]!.at;
    const ranged = (await events(`from=${from}&to=${to}&order=asc&limit=500`)).items;
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((e) => e.at >= from && e.at < to)).toBe(true);
    expect(ranged).toEqual(all.filter((e) => e.at >= from && e.at < to));
  });

  it('refuses bad queries naming the parameter', async () => {
    for (const [qs, field] of [
      ['limit=0', 'querystring.limit'],
      ['limit=501', 'querystring.limit'],
      ['from=yesterday', 'querystring.from'],
      ['order=sideways', 'querystring.order'],
      ['cursor=bm9wZQ', 'querystring.cursor'],
      ['colour=red', 'querystring.colour'],
    ] as const) {
      const res = await s.call('GET', `/api/v1/audit/events?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().error.details.field, qs).toBe(field);
    }
  });

  it('verifies the live chain and answers 401/403 as the rules say', async () => {
    const v = await s.call('GET', '/api/v1/audit/verify');
    expect(v.json()).toMatchObject({ ok: true, firstBreak: null });
    expect((await s.call('GET', '/api/v1/audit/verify', undefined, null)).statusCode).toBe(401);
    const { token } = await s.userToken('dev', 'developer');
    expect((await s.call('GET', '/api/v1/audit/verify', undefined, token)).statusCode).toBe(403);
  });
});
