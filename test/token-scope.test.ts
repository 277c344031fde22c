import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/platform/auth/roles.ts';
import { DECISION_CASES, FIXTURE_VALIDATOR } from './support/decision-permission-cases.ts';
import { ENGINES } from './support/engines.ts';
import { FIXTURE_OWNER } from './support/inventory-permission-cases.ts';
import type { MatrixActor } from './support/permission-cases.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

/**
 * Invariant 7, the owner shortcuts: a finding's owner may move it and a condition's owner may mark
 * it met without the role the rule table asks for, but never with a read-scope token, whether the
 * request comes through the API (the route's scope) or straight to the service (the shortcut's check).
 */
describe.each(ENGINES)('token scope on the owner shortcuts on %s', (engine) => {
  let s: TestServer;
  let admin: MatrixActor;
  let owner: { userId: string; read: string; write: string };
  let n = 0;
  beforeAll(async () => {
    s = await startTestServer(engine);
    const ctx = { actor: 'admin', requestId: null };
    // An auditor: no role or relation lets them remediate or meet conditions, only the shortcut.
    const u = await s.services.identity.createUser(ctx, { username: FIXTURE_OWNER, role: 'auditor' });
    await s.services.identity.createUser(ctx, { username: FIXTURE_VALIDATOR, role: 'validator' });
    const token = async (scope: 'read' | 'write') =>
      (await s.services.identity.createToken(ctx, { userId: u.id, name: scope, scope })).token;
    owner = { userId: u.id, read: await token('read'), write: await token('write') };
    const me = (await s.call('GET', '/api/v1/me')).json() as { id: string };
    admin = { role: 'admin', scope: 'admin', userId: me.id, username: 'admin', token: s.adminToken };
  });
  afterAll(async () => {
    await s.close();
  });

  const principal = (scope: 'read' | 'write'): Principal => ({
    userId: owner.userId,
    username: FIXTURE_OWNER,
    role: 'auditor',
    scope,
    tokenId: 't',
  });
  const asOwner = (scope: 'read' | 'write') => ({
    principal: principal(scope),
    audit: { actor: FIXTURE_OWNER, requestId: null },
  });

  for (const [route, what] of [
    ['POST /api/v1/findings/:id/transition', 'move a finding they own'],
    ['POST /api/v1/conditions/:id/met', 'mark a condition they own met'],
  ] as const) {
    it(`a read-scope token cannot ${what}; a write-scope one can`, async () => {
      const req = await DECISION_CASES[route]!.build({ s, actor: admin, relation: null, unique: `ts${++n}` });
      const before = (await s.call('GET', req.url.replace(/\/(transition|met)$/, ''))).body;
      const refused = await s.call('POST', req.url, req.body, owner.read);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error.details.rule).toBe('token_scope');
      expect(refused.json().error.message).toMatch(/^this token's scope is 'read'; .* needs 'write'$/);
      if (route.includes('findings'))
        expect((await s.call('GET', req.url.replace(/\/transition$/, ''))).body).toBe(before);
      const allowed = await s.call('POST', req.url, req.body, owner.write);
      expect(allowed.statusCode, allowed.body).toBe(200);
    });

    it(`the service refuses a read-scope owner to ${what} too (not only the route)`, async () => {
      const req = await DECISION_CASES[route]!.build({ s, actor: admin, relation: null, unique: `ts${++n}` });
      const id = req.url.split('/')[4]!;
      const attempt = route.includes('findings')
        ? s.services.findings.transition(asOwner('read'), id, {
            event: 'start_remediation',
            remediationPlan: 'Fix it',
          })
        : s.services.decisions.meetCondition(asOwner('read'), id);
      await expect(attempt).rejects.toMatchObject({ code: 'forbidden', details: { rule: 'token_scope' } });
      const ok = route.includes('findings')
        ? s.services.findings.transition(asOwner('write'), id, {
            event: 'start_remediation',
            remediationPlan: 'Fix it',
          })
        : s.services.decisions.meetCondition(asOwner('write'), id);
      await expect(ok).resolves.toBeDefined();
    });
  }
});
