import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import { AssayApiError, AssayClient } from './index.ts';

describe.each(ENGINES)('SDK against a real port on %s', (engine) => {
  let s: TestServer;
  let baseUrl: string;
  let admin: AssayClient;
  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    admin = new AssayClient({ baseUrl, token: s.adminToken });
  });
  afterAll(async () => {
    await s.close();
  });

  it('manages users and tokens with typed, validated answers', async () => {
    expect(await new AssayClient({ baseUrl }).health()).toMatchObject({ status: 'ok' });
    const user = await admin.users.create({
      username: 'pia',
      role: 'owner',
      password: 'a long enough password',
    });
    expect(user.role).toBe('owner');
    const session = await new AssayClient({ baseUrl }).auth.login('pia', 'a long enough password');
    const pia = new AssayClient({ baseUrl: `${baseUrl}/`, token: session.token });
    expect(await pia.auth.me()).toMatchObject({ username: 'pia', scope: 'write' });
    const created = await pia.tokens.create({ name: 'laptop', scope: 'read' });
    expect(created.secret).toMatch(/^assay_/);
    const mine = await pia.tokens.list();
    expect(mine.items.map((t) => t.name).sort()).toEqual(['console session', 'laptop']);
    const revoked = await pia.tokens.revoke(created.id);
    expect(revoked.revokedAt).not.toBeNull();
    const updated = await admin.users.update(user.id, { displayName: 'Pia P.' });
    expect(updated.displayName).toBe('Pia P.');
    const page = await admin.audit.events({ entityType: 'user', entityId: user.id, order: 'asc' });
    expect(page.items.map((e) => e.action)).toEqual(['user.created', 'user.updated']);
    expect((await admin.audit.verify()).ok).toBe(true);
  });

  it('turns the error envelope into AssayApiError with status, code, field and request id', async () => {
    const err = await admin.users.create({ username: 'x', role: 'owner' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssayApiError);
    const e = err as AssayApiError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('bad_request');
    expect(e.field).toBe('body.username');
    expect(e.requestId).toMatch(/[0-9a-f-]{36}/);

    const anon = await new AssayClient({ baseUrl }).auth.me().catch((x: unknown) => x as AssayApiError);
    expect(anon).toMatchObject({ status: 401, code: 'unauthenticated' });
    const missing = await admin.users.get('nobody').catch((x: unknown) => x as AssayApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('reports an unreachable server as status 0 and a contract mismatch as invalid_response', async () => {
    const down = await new AssayClient({ baseUrl: 'http://127.0.0.1:9', token: 't' }).auth
      .me()
      .catch((x: unknown) => x as AssayApiError);
    expect(down).toMatchObject({ status: 0, code: 'unavailable' });
    const lying = new AssayClient({
      baseUrl,
      token: 't',
      fetch: async () => new Response(JSON.stringify({ id: 1 }), { status: 200 }),
    });
    const bad = await lying.auth.me().catch((x: unknown) => x as AssayApiError);
    expect(bad).toMatchObject({ code: 'invalid_response' });
  });
});
