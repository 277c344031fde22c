import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../src/platform/auth/permissions.ts';
import { ROLES, type Role } from '../src/platform/auth/roles.ts';
import { ROUTE_GUARDS } from '../src/platform/auth/route-permissions.ts';
import { FIXTURE_VALIDATOR } from './support/decision-permission-cases.ts';
import { ENGINES } from './support/engines.ts';
import { hostileVariants } from './support/hostile-input.ts';
import { FIXTURE_OWNER } from './support/inventory-permission-cases.ts';
import type { MatrixActor } from './support/permission-cases.ts';
import { ROUTE_CASES } from './support/route-cases.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/**
 * Invariant 8: bad input never gives a 500. Every route of the route table gets a valid request
 * (the permission matrix's case, as a caller the route allows) turned hostile: NUL bytes, oversized
 * strings, wrong types, unknown usernames, garbage cursors and query parameters, odd path
 * parameters. No answer may be a 5xx, and a refusal changes nothing (the audit chain's head stays).
 */
describe.each(ENGINES)('hostile input on every route on %s', (engine) => {
  let s: TestServer;
  const actors = new Map<Role, MatrixActor>();
  let n = 0;
  beforeAll(async () => {
    s = await startTestServer(engine);
    const ctx = { actor: 'admin', requestId: null };
    await s.services.identity.createUser(ctx, { username: FIXTURE_OWNER, role: 'owner' });
    await s.services.identity.createUser(ctx, { username: FIXTURE_VALIDATOR, role: 'validator' });
    for (const role of ROLES) {
      const user = await s.services.identity.createUser(ctx, { username: `h-${role}`, role });
      const scope = role === 'admin' ? 'admin' : 'write';
      const { token } = await s.services.identity.createToken(ctx, { userId: user.id, name: 'h', scope });
      actors.set(role, { role, scope, userId: user.id, username: user.username, token });
    }
  }, 60_000);
  afterAll(async () => {
    await s.close();
  });

  async function head(): Promise<string> {
    const row = await s.store.db.kysely
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? `${row.seq}:${row.hash}` : 'empty';
  }

  /** A caller the route lets through (admin first, then the roles with sign-off rights). */
  function allowedActor(guard: (typeof ROUTE_GUARDS)[number]): MatrixActor {
    for (const role of ['admin', 'governance', 'approver', 'validator', 'owner'] as const) {
      const a = actors.get(role)!;
      if (guard.guard === 'public' || guard.guard === 'authenticated') return a;
      const p = { ...a, tokenId: 't' };
      if ((guard.model ? decide(p, guard.guard, []) : decide(p, guard.guard)) === 'allow') return a;
    }
    return actors.get('admin')!;
  }

  it('answers every hostile request to every route without a 5xx, and a refusal changes nothing', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const guard of ROUTE_GUARDS) {
      const c = ROUTE_CASES[`${guard.method} ${guard.url}`];
      if (!c) continue;
      const actor = allowedActor(guard);
      const valid = await c.build({ s, actor, relation: null, unique: `h${++n}` });
      for (const v of hostileVariants(guard.method, guard.url, valid)) {
        // A background job an accepted request queued writes its own audit event when it finishes.
        await s.services.jobs.idle();
        const before = await head();
        const headers = { ...(v.headers ?? {}) };
        if (typeof v.body === 'string') headers['content-type'] ??= 'application/json';
        const res = await s.call(guard.method, v.url, v.body, actor.token, headers);
        sent++;
        const where = `${guard.method} ${guard.url} [${v.what}]`;
        if (res.statusCode >= 500) failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (res.statusCode >= 400 && (await head()) !== before)
          failures.push(`${where}: refused with ${res.statusCode} but the audit chain moved`);
        if (res.statusCode === 400 && !res.json().error?.details?.field && !res.json().error?.details?.issues)
          failures.push(`${where}: a 400 that names no field: ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 600_000);

  it('answers hostile sign-in attempts without a 5xx', async () => {
    const bodies: unknown[] = [
      { username: 'a\u0000b', password: 'whatever password' },
      { username: 'admin', password: 'p\u0000' },
      { username: 'x'.repeat(200), password: 'y'.repeat(1000) },
      { username: 12, password: [] },
      { username: 'no-such-user-zz', password: 'twelve chars at least' },
    ];
    for (const body of bodies) {
      const res = await s.call('POST', '/api/v1/auth/login', body, null);
      expect(res.statusCode, JSON.stringify(body).slice(0, 60)).toBeLessThan(500);
    }
  });
});
