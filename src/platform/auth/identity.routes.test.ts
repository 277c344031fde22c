import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

describe.each(ENGINES)('identity routes on %s', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
  });

  it('signs in with a password and answers /me with that session', async () => {
    const created = await s.call('POST', '/api/v1/users', {
      username: 'dana',
      role: 'developer',
      password: 'correct horse battery',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).not.toHaveProperty('passwordHash');
    const bad = await s.call(
      'POST',
      '/api/v1/auth/login',
      { username: 'dana', password: 'wrong password!' },
      null,
    );
    expect(bad.statusCode).toBe(401);
    const login = await s.call(
      'POST',
      '/api/v1/auth/login',
      { username: 'dana', password: 'correct horse battery' },
      null,
    );
    expect(login.statusCode).toBe(200);
    const { token, user } = login.json();
    expect(user.role).toBe('developer');
    for (const url of ['/api/v1/me', '/api/v1/auth/me']) {
      const me = await s.call('GET', url, undefined, token);
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ username: 'dana', role: 'developer', scope: 'write' });
    }
    const unknown = await s.call(
      'POST',
      '/api/v1/auth/login',
      { username: 'dana', password: 'x', extra: 1 },
      null,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.field).toBe('body.extra');
  });

  it('lets only admins manage users, and refuses bad input naming the field', async () => {
    const { token: gov } = await s.userToken('gail', 'governance');
    expect((await s.call('POST', '/api/v1/users', { username: 'x1', role: 'auditor' }, gov)).statusCode).toBe(
      403,
    );
    expect((await s.call('GET', '/api/v1/users', undefined, gov)).statusCode).toBe(200);
    const badRole = await s.call('POST', '/api/v1/users', { username: 'x2', role: 'superuser' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().error.details.field).toBe('body.role');
    const badName = await s.call('POST', '/api/v1/users', {
      username: "Robert'); DROP TABLE users;--",
      role: 'owner',
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.details.field).toBe('body.username');
    const dup = await s.call('POST', '/api/v1/users', { username: 'gail', role: 'owner' });
    expect(dup.statusCode).toBe(409);
    const users = (await s.call('GET', '/api/v1/users?limit=500')).json().items as { username: string }[];
    expect(users.filter((u) => u.username.startsWith('x'))).toEqual([]);
  });

  it('changes role and disables a user; a disabled user is refused', async () => {
    const { userId, token } = await s.userToken('olaf', 'owner');
    const patched = await s.call('PATCH', `/api/v1/users/${userId}`, { role: 'validator' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().role).toBe('validator');
    expect((await s.call('PATCH', `/api/v1/users/${userId}`, {})).statusCode).toBe(400);
    expect((await s.call('PATCH', '/api/v1/users/nope', { disabled: true })).statusCode).toBe(404);
    expect((await s.call('PATCH', `/api/v1/users/${userId}`, { disabled: true })).statusCode).toBe(200);
    expect((await s.call('GET', '/api/v1/me', undefined, token)).statusCode).toBe(401);
    const me = (await s.call('GET', '/api/v1/me')).json();
    const self = await s.call('PATCH', `/api/v1/users/${me.id}`, { role: 'auditor' });
    expect(self.statusCode).toBe(400);
  });

  it('creates tokens shown once, with scope no higher than role or the creating token', async () => {
    const { token: dev } = await s.userToken('devon', 'developer');
    const created = await s.call('POST', '/api/v1/tokens', { name: 'ci', scope: 'read' }, dev);
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.secret).toMatch(/^assay_/);
    expect(body.scope).toBe('read');
    const list = (await s.call('GET', '/api/v1/tokens', undefined, dev)).json();
    expect(JSON.stringify(list)).not.toContain(body.secret);
    expect(list.items.every((t: { userId: string }) => t.userId === body.userId)).toBe(true);
    // The secret works, with read scope: it may not mint a write token.
    expect((await s.call('GET', '/api/v1/me', undefined, body.secret)).json().scope).toBe('read');
    expect(
      (await s.call('POST', '/api/v1/tokens', { name: 'up', scope: 'write' }, body.secret)).statusCode,
    ).toBe(403);
    expect((await s.call('POST', '/api/v1/tokens', { name: 'adm', scope: 'admin' }, dev)).statusCode).toBe(
      403,
    );
    // Only admins create tokens for others.
    expect(
      (await s.call('POST', '/api/v1/tokens', { name: 'x', scope: 'read', username: 'admin' }, dev))
        .statusCode,
    ).toBe(403);
    const forDev = await s.call('POST', '/api/v1/tokens', {
      name: 'for devon',
      scope: 'write',
      username: 'devon',
    });
    expect(forDev.statusCode).toBe(201);
    const past = await s.call('POST', '/api/v1/tokens', {
      name: 'old',
      scope: 'read',
      expiresAt: '2000-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details.field).toBe('expiresAt');
  });

  it('revokes own tokens; other people tokens are 404 unless admin', async () => {
    const { token: a } = await s.userToken('ann', 'approver');
    const { token: b } = await s.userToken('bob', 'auditor');
    const annToken = (await s.call('POST', '/api/v1/tokens', { name: 'tmp', scope: 'read' }, a)).json();
    expect((await s.call('POST', `/api/v1/tokens/${annToken.id}/revoke`, undefined, b)).statusCode).toBe(404);
    const revoked = await s.call('POST', `/api/v1/tokens/${annToken.id}/revoke`, undefined, a);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await s.call('GET', '/api/v1/me', undefined, annToken.secret)).statusCode).toBe(401);
    const other = (await s.call('POST', '/api/v1/tokens', { name: 'tmp2', scope: 'read' }, b)).json();
    expect((await s.call('POST', `/api/v1/tokens/${other.id}/revoke`)).statusCode).toBe(200);
    const all = (await s.call('GET', '/api/v1/tokens?limit=500')).json().items as { userId: string }[];
    expect(new Set(all.map((t) => t.userId)).size).toBeGreaterThan(2);
    const active = (await s.call('GET', '/api/v1/tokens?limit=500&includeRevoked=false')).json().items as {
      revokedAt: string | null;
    }[];
    expect(active.every((t) => t.revokedAt === null)).toBe(true);
  });

  it('pages users with an opaque cursor and rejects a forged one', async () => {
    const first = (await s.call('GET', '/api/v1/users?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await s.call('GET', `/api/v1/users?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].username).not.toBe(first.items[0].username);
    const forged = await s.call('GET', '/api/v1/users?cursor=abc');
    expect(forged.statusCode).toBe(400);
  });

  it('records user and token changes in the audit trail, readable by auditors only', async () => {
    const { token: aud } = await s.userToken('audrey', 'auditor');
    const { token: own } = await s.userToken('owen', 'owner');
    expect((await s.call('GET', '/api/v1/audit/events', undefined, own)).statusCode).toBe(403);
    const res = await s.call(
      'GET',
      '/api/v1/audit/events?entityType=user&action=user.*&order=asc',
      undefined,
      aud,
    );
    expect(res.statusCode).toBe(200);
    const names = res.json().items.map((e: { after: { username: string } }) => e.after.username);
    expect(names).toContain('audrey');
    const verify = (await s.call('GET', '/api/v1/audit/verify', undefined, aud)).json();
    expect(verify.ok).toBe(true);
    expect(verify.checked).toBeGreaterThan(10);
  });
});
