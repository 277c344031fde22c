import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../../test/support/engines.ts';
import {
  idTokenFor,
  ScriptedBrowser,
  startTestProvider,
  type TestClient,
  type TestProvider,
} from '../../../../test/support/oidc-provider.ts';
import { startTestServer, type TestServer } from '../../../../test/support/test-server.ts';
import { deviceSignIn } from '../../../cli/sso-login.ts';
import { AssayClient } from '../../../sdk/index.ts';
import { loadSsoConfig } from './sso-config.ts';

const REDIRECT = 'http://127.0.0.1:9/api/v1/auth/sso/callback';
const consoleClient: TestClient = {
  client_id: 'assay-console',
  redirect_uris: [REDIRECT],
  token_endpoint_auth_method: 'none',
};
const cliClient: TestClient = {
  client_id: 'assay-cli',
  grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
  response_types: [],
  token_endpoint_auth_method: 'none',
};
const otherApp: TestClient = {
  client_id: 'other-app',
  redirect_uris: ['http://127.0.0.1:9/other/callback'],
  token_endpoint_auth_method: 'none',
};
const ciClient: TestClient = {
  client_id: 'assay-ci',
  redirect_uris: ['http://127.0.0.1:9/ci/callback'],
  token_endpoint_auth_method: 'none',
};
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

describe.each(ENGINES)('single sign-on against a real OpenID provider on %s', (engine) => {
  let idp: TestProvider;
  let ci: TestProvider;
  let s: TestServer;
  let baseUrl: string;

  const exchange = (subjectToken: string, extra: Record<string, string> = {}) =>
    s.call(
      'POST',
      '/api/v1/token',
      new URLSearchParams({
        grant_type: EXCHANGE,
        subject_token: subjectToken,
        subject_token_type: ID_TOKEN,
        ...extra,
      }).toString(),
      null,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
  const auditActions = async (entityId: string) =>
    (await s.call('GET', `/api/v1/audit/events?entityId=${entityId}&limit=100`)).json().items as {
      action: string;
      actor: string;
      before: unknown;
      after: unknown;
    }[];
  /** The console flow: start → provider (scripted login/consent) → callback → ticket → session. */
  const consoleSignIn = async (login: string) => {
    const start = await s.call('GET', '/api/v1/auth/sso/start?returnTo=/models', undefined, null);
    expect(start.statusCode).toBe(302);
    const authUrl = new URL(start.headers.location as string);
    expect(authUrl.origin).toBe(idp.issuer);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await new ScriptedBrowser().run(authUrl.toString(), login, REDIRECT);
    const callback = await s.call(
      'GET',
      `/api/v1/auth/sso/callback${new URL(back.url).search}`,
      undefined,
      null,
    );
    expect(callback.statusCode).toBe(302);
    return callback.headers.location as string;
  };

  beforeAll(async () => {
    idp = await startTestProvider([consoleClient, cliClient, otherApp], {
      alice: {
        name: 'Alice Ng',
        email: 'alice@example.com',
        preferred_username: 'alice',
        groups: ['mrm-validators', 'staff'],
      },
      carol: { name: 'Carol', preferred_username: 'carol', groups: ['staff'] },
      // Claims the local `root` user's name: must get an account of its own, never root's.
      mallory: { preferred_username: 'root', groups: ['mrm-validators'] },
    });
    ci = await startTestProvider([ciClient], {
      'repo:acme/models:ref:refs/heads/main': {},
      'repo:evil/models:ref:refs/heads/main': {},
    });
    const sso = loadSsoConfig({
      ASSAY_OIDC_ISSUER: idp.issuer,
      ASSAY_OIDC_CLIENT_ID: 'assay-console',
      ASSAY_OIDC_CLI_CLIENT_ID: 'assay-cli',
      ASSAY_OIDC_REDIRECT_URI: REDIRECT,
      ASSAY_SSO_BREAK_GLASS: 'root',
    });
    s = await startTestServer(engine, new Date().toISOString(), { sso });
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(s.app.server!.address() as AddressInfo).port}`;
    await s.services.identity.createUser(
      { actor: 'admin', requestId: null },
      { username: 'root', role: 'admin', password: 'break glass 0123456789' },
    );
    for (const [value, role, priority] of [
      ['mrm-validators', 'validator', 10],
      ['mrm-admins', 'admin', 100],
    ] as const) {
      const created = await s.call('POST', '/api/v1/sso/role-mappings', { value, role, priority });
      expect(created.statusCode).toBe(201);
      expect((await auditActions(created.json().id)).map((e) => e.action)).toEqual([
        'sso.role_mapping.created',
      ]);
    }
  });
  afterAll(async () => {
    await s?.close();
    await idp?.close();
    await ci?.close();
  });

  it('signs the console in with code + PKCE, creates the user just in time, and tickets are single-use', async () => {
    const status = await new AssayClient({ baseUrl }).sso.status();
    expect(status).toMatchObject({ enabled: true, issuer: idp.issuer, cliClientId: 'assay-cli' });
    const location = await consoleSignIn('alice');
    expect(location).toMatch(/^\/models#sso_ticket=/);
    const ticket = location.split('#sso_ticket=')[1]!;
    const session = await s.call('POST', '/api/v1/auth/sso/ticket', { ticket }, null);
    expect(session.statusCode).toBe(200);
    expect(session.json().user).toMatchObject({
      username: 'alice',
      role: 'validator',
      email: 'alice@example.com',
    });
    const me = await s.call('GET', '/api/v1/me', undefined, session.json().token);
    expect(me.json()).toMatchObject({ username: 'alice', role: 'validator', scope: 'write' });
    expect((await s.call('POST', '/api/v1/auth/sso/ticket', { ticket }, null)).statusCode).toBe(401);
    const events = await auditActions(session.json().user.id);
    // Newest first: the user was created and linked in one transaction by the SSO sign-in.
    expect(events.slice(-2).map((e) => [e.action, e.actor])).toEqual([
      ['sso.identity_linked', 'sso'],
      ['user.created', 'sso'],
    ]);
    // A state or a ticket is used once: replaying the callback is refused.
    expect(await consoleSignIn('carol')).toMatch(/#sso_error=.*mapped/);
  });

  it('never links a provider account to a local user by name', async () => {
    const location = await consoleSignIn('mallory');
    const ticket = location.split('#sso_ticket=')[1]!;
    const session = (await s.call('POST', '/api/v1/auth/sso/ticket', { ticket }, null)).json();
    expect(session.user.username).toBe('root-2');
    expect(session.user.role).toBe('validator');
  });

  it('signs the CLI in with the device flow and exchanges the ID token for a short-lived Assay token', async () => {
    const result = await deviceSignIn(new AssayClient({ baseUrl }), {
      prompt: async (p) => {
        expect(p.userCode).toBeTruthy();
        await new ScriptedBrowser().run(p.verificationUriComplete!, 'alice');
      },
    });
    expect(result).toMatchObject({ token_type: 'Bearer', scope: 'write', expires_in: 3600 });
    const me = await new AssayClient({ baseUrl, token: result.access_token }).auth.me();
    expect(me).toMatchObject({ username: 'alice', role: 'validator' });
    const tokens = await s.call('GET', `/api/v1/tokens?userId=${me.id}`);
    const exchanged = tokens.json().items.find((t: { id: string }) => t.id === me.tokenId);
    expect(Date.parse(exchanged.expiresAt) - Date.parse(exchanged.createdAt)).toBe(3600_000);
    // A validator cannot ask for an admin token.
    const tooMuch = await exchange(await idTokenFor(idp.issuer, consoleClient, 'alice'), { scope: 'admin' });
    expect(tooMuch.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses a token for another audience, an expired token and a forged one', async () => {
    const wrongAudience = await exchange(await idTokenFor(idp.issuer, otherApp, 'alice'));
    expect(wrongAudience.statusCode).toBe(400);
    expect(wrongAudience.json()).toMatchObject({ error: 'invalid_grant' });
    expect(wrongAudience.json().error_description).toMatch(/'aud' claim/);
    const token = await idTokenFor(idp.issuer, consoleClient, 'alice');
    const [h, p] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), groups: ['mrm-admins'] })).toString('base64url')}.${token.split('.')[2]}`;
    expect((await exchange(forged)).json().error_description).toMatch(/signature/);
    const now = s.clock.now();
    s.clock.advance(2 * 3600_000);
    try {
      const expired = await exchange(token);
      expect(expired.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: 'the token has expired',
      });
    } finally {
      s.clock.set(now);
    }
    expect((await exchange(token)).statusCode).toBe(200);
    const bad = await exchange(token, { grant_type: 'password' });
    expect(bad.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('changes the role on the next sign-in when the group changes, audited, and refuses disabled users', async () => {
    idp.accounts.get('alice')!.groups = ['mrm-admins'];
    const res = await exchange(await idTokenFor(idp.issuer, consoleClient, 'alice'), {
      scope: 'admin',
    });
    expect(res.statusCode).toBe(200);
    const me = (await s.call('GET', '/api/v1/me', undefined, res.json().access_token)).json();
    expect(me).toMatchObject({ role: 'admin', scope: 'admin' });
    const events = await auditActions(me.id);
    const change = events.find((e) => e.action === 'user.updated');
    expect(change).toMatchObject({ actor: 'sso', before: { role: 'validator' }, after: { role: 'admin' } });
    expect(events.some((e) => e.action === 'sso.claims_changed')).toBe(true);

    expect((await s.call('PATCH', `/api/v1/users/${me.id}`, { disabled: true })).statusCode).toBe(200);
    const refused = await exchange(await idTokenFor(idp.issuer, consoleClient, 'alice'));
    expect(refused.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: "the user 'alice' is disabled",
    });
    expect(await consoleSignIn('alice')).toMatch(/#sso_error=.*disabled/);
    // The session issued before disabling stops working too.
    expect((await s.call('GET', '/api/v1/me', undefined, res.json().access_token)).statusCode).toBe(401);
  });

  it('keeps password sign-in for the break-glass account only', async () => {
    await s.services.identity.createUser(
      { actor: 'admin', requestId: null },
      { username: 'dana', role: 'developer', password: 'a long enough password' },
    );
    const dana = await s.call(
      'POST',
      '/api/v1/auth/login',
      { username: 'dana', password: 'a long enough password' },
      null,
    );
    expect(dana.statusCode).toBe(403);
    expect(dana.json().error.message).toMatch(/break-glass/);
    const root = await s.call(
      'POST',
      '/api/v1/auth/login',
      { username: 'root', password: 'break glass 0123456789' },
      null,
    );
    expect(root.statusCode).toBe(200);
    const tokens = (await s.call('GET', `/api/v1/tokens?userId=${root.json().user.id}`)).json().items;
    expect(tokens.map((t: { name: string }) => t.name)).toContain(
      'console session (break-glass password sign-in)',
    );
  });

  it('exchanges CI workload tokens of a trusted issuer by subject pattern, as a service user', async () => {
    const rule = await s.call('POST', '/api/v1/sso/workload-rules', {
      name: 'acme-main',
      issuer: ci.issuer,
      audience: 'assay-ci',
      subjectPattern: 'repo:acme/*:ref:refs/heads/main',
      username: 'ci-acme',
      role: 'developer',
      scope: 'write',
      ttlSeconds: 600,
    });
    expect(rule.statusCode).toBe(201);
    expect((await auditActions(rule.json().id)).map((e) => e.action)).toEqual(['sso.workload_rule.created']);
    const asPerson = await s.call('POST', '/api/v1/sso/workload-rules', {
      name: 'acme-as-root',
      issuer: ci.issuer,
      audience: 'assay-ci',
      subjectPattern: 'repo:acme/*',
      username: 'root',
      role: 'developer',
    });
    expect(asPerson.statusCode).toBe(409);

    const acme = await idTokenFor(ci.issuer, ciClient, 'repo:acme/models:ref:refs/heads/main');
    const ok = await exchange(acme, { subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' });
    expect(ok.json()).toMatchObject({ scope: 'write', expires_in: 600 });
    const me = (await s.call('GET', '/api/v1/me', undefined, ok.json().access_token)).json();
    expect(me).toMatchObject({ username: 'ci-acme', role: 'developer' });
    expect((await exchange(acme, { scope: 'admin' })).json()).toMatchObject({ error: 'invalid_scope' });

    const evil = await exchange(
      await idTokenFor(ci.issuer, ciClient, 'repo:evil/models:ref:refs/heads/main'),
    );
    expect(evil.json().error_description).toMatch(/no workload rule .* matches subject/);
    expect((await s.call('POST', `/api/v1/sso/workload-rules/${rule.json().id}/disable`)).statusCode).toBe(
      200,
    );
    expect((await exchange(acme)).json().error_description).toMatch(/is not trusted/);
  });

  it('lets only admins configure mappings and workload rules', async () => {
    const { token } = await s.userToken('gail', 'governance');
    expect((await s.call('GET', '/api/v1/sso/role-mappings', undefined, token)).statusCode).toBe(403);
    expect(
      (await s.call('POST', '/api/v1/sso/role-mappings', { value: 'x', role: 'admin' }, token)).statusCode,
    ).toBe(403);
    const dup = await s.call('POST', '/api/v1/sso/role-mappings', { value: 'mrm-admins', role: 'auditor' });
    expect(dup.statusCode).toBe(409);
  });
});
