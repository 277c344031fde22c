import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

describe('HTTP shell', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers health without a token', async () => {
    const res = await s.call('GET', '/api/health', undefined, null);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });

  it('refuses every other /api route without a valid token, with the error envelope', async () => {
    for (const token of [null, 'assay_not-a-real-token']) {
      const res = await s.call('GET', '/api/openapi.json', undefined, token);
      expect(res.statusCode).toBe(401);
      const body = res.json();
      expect(body.error.code).toBe('unauthenticated');
      expect(body.error.id).toBe(res.headers['x-request-id']);
    }
    const malformed = await s.call('GET', '/api/openapi.json', undefined, null, {
      authorization: 'Basic abc',
    });
    expect(malformed.statusCode).toBe(401);
  });

  it('refuses revoked and expired tokens', async () => {
    const { token } = await s.userToken('rita', 'auditor');
    expect((await s.call('GET', '/api/openapi.json', undefined, token)).statusCode).toBe(200);
    const rita = (await s.services.identity.listTokens()).find((t) => t.name === 'test');
    await s.services.identity.revokeToken({ actor: 'admin', requestId: null }, rita!.id);
    const res = await s.call('GET', '/api/openapi.json', undefined, token);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/revoked/);

    const user = await s.services.identity.createUser(
      { actor: 'admin', requestId: null },
      { username: 'eve', role: 'auditor' },
    );
    const short = await s.services.identity.createToken(
      { actor: 'admin', requestId: null },
      {
        userId: user.id,
        name: 'short',
        scope: 'read',
        expiresAt: new Date(s.clock.now().getTime() + 1000).toISOString(),
      },
    );
    expect((await s.call('GET', '/api/openapi.json', undefined, short.token)).statusCode).toBe(200);
    s.clock.advance(2000);
    const expired = await s.call('GET', '/api/openapi.json', undefined, short.token);
    expect(expired.json().error.message).toMatch(/expired/);
  });

  it('serves an OpenAPI 3.1 document', async () => {
    const doc = (await s.call('GET', '/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/health']).toBeDefined();
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const res = await s.call('GET', '/api/v1/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
