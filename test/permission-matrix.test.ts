import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../src/platform/auth/permissions.ts';
import { renderPermissionsDoc } from '../src/platform/auth/permissions-doc.ts';
import { type ModelRelation, ROLES, type Role, type TokenScope } from '../src/platform/auth/roles.ts';
import {
  ROUTE_GUARDS,
  type RouteGuard,
  requiredScope,
  scopeSuffices,
} from '../src/platform/auth/route-permissions.ts';
import { registeredApiRoutes } from './support/api-routes.ts';
import { FIXTURE_VALIDATOR } from './support/decision-permission-cases.ts';
import { ENGINES } from './support/engines.ts';
import { FIXTURE_OWNER } from './support/inventory-permission-cases.ts';
import { type MlflowTestServer, startMlflowServer } from './support/mlflow-server.ts';
import type { MatrixActor } from './support/permission-cases.ts';
import { ROUTE_CASES } from './support/route-cases.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const CASES = ROUTE_CASES;
const PUBLIC = new Set([
  'GET /api/health',
  'POST /api/v1/auth/login',
  // Single sign-on: the sign-in itself (its own tests: src/platform/auth/sso/sso.test.ts).
  'GET /api/v1/auth/sso',
  'GET /api/v1/auth/sso/start',
  'GET /api/v1/auth/sso/callback',
  'POST /api/v1/auth/sso/ticket',
  'POST /api/v1/token',
  // Verified by its HMAC signature (src/governance/connectors/connectors.test.ts).
  'POST /api/v1/connectors/mlflow/webhook',
]);

/** The relation a user of this role naturally holds to a model it works on (none for global roles). */
const NATURAL_RELATION: Partial<Record<Role, ModelRelation>> = {
  owner: 'owner',
  developer: 'developer',
  validator: 'validator',
};

function expectedStatus(
  guard: RouteGuard,
  actor: MatrixActor,
  relation: ModelRelation | null,
  ok: number,
): number {
  if (guard.guard === 'public') return ok;
  // The token's scope is checked before anything else: a read token never reaches a write handler.
  if (!scopeSuffices(actor.scope, requiredScope(guard.method, guard.url))) return 403;
  if (guard.guard === 'authenticated') return ok;
  const p = { ...actor, tokenId: 't' };
  const d = guard.model ? decide(p, guard.guard, relation ? [relation] : []) : decide(p, guard.guard);
  return d === 'allow' ? ok : d === 'hidden' ? 404 : 403;
}

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

/** Percent-encodes every character of `text` (`api` → `%61%70%69`). */
const encodeAll = (text: string) =>
  [...text].map((ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

/** Spellings of `url` that Fastify's router decodes back to the same route. */
function sameRouteSpellings(url: string): string[] {
  const [, ...rest] = url.split('/');
  return [
    url.replace('/api', '/%61pi'),
    url.replace('/api', '/%61%70%69'),
    `/${rest.map((seg) => (seg === 'x' ? seg : encodeAll(seg))).join('/')}`,
  ];
}

/** Spellings the router does not match (doubled slashes, case, trailing slash, `;`, `%2F`). */
function otherSpellings(url: string): string[] {
  return [
    `/${url}`,
    url.replace('/api/', '/api//'),
    url.replace('/api', '/API'),
    url.replace('/api', '/Api'),
    `${url}/`,
    `${url};jsessionid=1`,
    url.replace('/api', '/api;x=1'),
    url.replaceAll('/', '%2F'),
    url.replace('/api/', '/api%2F'),
    url.replace('/api/', '/api%2f'),
    url.replace('/api/', '/api/./'),
    url.replace('/api/', '/api/v1/../'),
  ];
}

describe('the route guard table and docs/permissions.md', () => {
  it('docs/permissions.md is generated from the current tables', () => {
    const file = path.resolve(import.meta.dirname, '../docs/permissions.md');
    expect(fs.readFileSync(file, 'utf8'), 'run: node --import tsx scripts/permissions-doc.ts').toBe(
      renderPermissionsDoc(),
    );
  });
});

describe.each(ENGINES)('permission matrix: every /api route × every role on %s', (engine) => {
  let s: TestServer;
  let mlflow: MlflowTestServer;
  const actors: MatrixActor[] = [];
  let n = 0;
  beforeAll(async () => {
    // The MLflow connector's routes need a registry to read: the MLflow-compatible test server.
    mlflow = await startMlflowServer();
    s = await startTestServer(engine, undefined, {
      mlflow: { url: mlflow.url, token: undefined, webhookSecret: 'matrix', syncIntervalMs: 0 },
    });
    const ctx = { actor: 'admin', requestId: null };
    await s.services.identity.createUser(ctx, { username: FIXTURE_OWNER, role: 'owner' });
    await s.services.identity.createUser(ctx, { username: FIXTURE_VALIDATOR, role: 'validator' });
    for (const role of ROLES) {
      const user = await s.services.identity.createUser(ctx, { username: `m-${role}`, role });
      const scopes: TokenScope[] = role === 'admin' ? ['admin', 'read'] : ['write', 'read'];
      for (const scope of scopes) {
        const { token } = await s.services.identity.createToken(ctx, { userId: user.id, name: scope, scope });
        actors.push({ role, scope, userId: user.id, username: user.username, token });
      }
    }
  }, 60_000);
  afterAll(async () => {
    await s.close();
    await mlflow.close();
  });

  it('every registered route has a guard row and a test case (and no row is stale)', () => {
    const registered = registeredApiRoutes(s.app).map(key);
    const guarded = ROUTE_GUARDS.map(key);
    expect(
      registered.filter((r) => !guarded.includes(r)),
      'routes without a row in src/platform/auth/route-permissions.ts (add one: it drives docs/permissions.md and this test)',
    ).toEqual([]);
    expect(
      guarded.filter((r) => !registered.includes(r)),
      'rows for routes that do not exist',
    ).toEqual([]);
    const untested = guarded.filter((r) => !PUBLIC.has(r) && !CASES[r]);
    expect(
      untested,
      'routes without a case in the matrix: add one to test/support/*-permission-cases.ts (a request that succeeds for an allowed caller)',
    ).toEqual([]);
  });

  it('answers 401 without a token on every route but the public ones', async () => {
    for (const r of ROUTE_GUARDS) {
      const url = r.url.replace(/:(\w+)/g, 'x');
      const res = await s.call(r.method, url, r.method === 'GET' ? undefined : {}, null);
      if (PUBLIC.has(key(r))) expect(res.statusCode, key(r)).not.toBe(401);
      else expect(res.statusCode, key(r)).toBe(401);
      const bad = await s.call(r.method, url, r.method === 'GET' ? undefined : {}, 'assay_forged');
      if (!PUBLIC.has(key(r))) expect(bad.statusCode, `${key(r)} with a forged token`).toBe(401);
    }
  });

  it('answers 401 without a token on every route whatever the path encoding', async () => {
    const failures: string[] = [];
    for (const r of ROUTE_GUARDS) {
      if (PUBLIC.has(key(r))) continue;
      const url = r.url.replace(/:(\w+)/g, 'x');
      const body = r.method === 'GET' ? undefined : {};
      // Spellings the router decodes to the same route: must be refused exactly like the plain one.
      for (const variant of sameRouteSpellings(url)) {
        const res = await s.call(r.method, variant, body, null);
        if (res.statusCode !== 401) failures.push(`${r.method} ${variant}: ${res.statusCode}, want 401`);
      }
      // Spellings the router does not match: never an answer from the API (401 or the 404 envelope).
      for (const variant of otherSpellings(url)) {
        const res = await s.call(r.method, variant, body, null);
        const envelope = res.headers['content-type']?.toString().startsWith('application/json')
          ? (res.json() as { error?: { code?: string } })
          : null;
        const refused = [401, 404].includes(res.statusCode) && envelope?.error !== undefined;
        const consoleShell =
          r.method === 'GET' &&
          res.statusCode === 200 &&
          /text\/html/.test(String(res.headers['content-type']));
        if (!refused && !consoleShell)
          failures.push(`${r.method} ${variant}: ${res.statusCode} ${res.body.slice(0, 80)}`);
        if (consoleShell) failures.push(`${r.method} ${variant}: the console shell answered an API path`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses every write route to a read-scope token with 403 naming the scope, whatever the role', async () => {
    const failures: string[] = [];
    const readActors = actors.filter((a) => a.scope === 'read');
    let writeRoutes = 0;
    for (const guard of ROUTE_GUARDS) {
      if (guard.guard === 'public') continue;
      const need = requiredScope(guard.method, guard.url);
      if (need === 'read') {
        expect(guard.method === 'GET' || guard.scope === 'read', `${key(guard)} needs read`).toBe(true);
        continue;
      }
      writeRoutes++;
      const c = CASES[key(guard)]!;
      for (const actor of engine === 'sqlite' ? readActors : readActors.slice(0, 2)) {
        // The caller's natural relation, so only the scope stands between them and the write.
        const relation = guard.model ? (NATURAL_RELATION[actor.role] ?? null) : null;
        const req = await c.build({ s, actor, relation, unique: `${++n}` });
        const res = await s.call(guard.method, req.url, req.body, actor.token, req.headers);
        const err = res.json().error as { message?: string; details?: { rule?: string } } | undefined;
        if (
          res.statusCode !== 403 ||
          err?.details?.rule !== 'token_scope' ||
          !err.message?.startsWith("this token's scope is 'read'; ") ||
          !err.message.endsWith(`needs '${need}'`)
        )
          failures.push(`${key(guard)} as ${actor.role}/read: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(writeRoutes).toBeGreaterThan(40);
  }, 300_000);

  it('answers each role and token scope exactly as the rules say', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const guard of ROUTE_GUARDS) {
      const c = CASES[key(guard)];
      if (!c) continue;
      // SQLite runs the full matrix; PostgreSQL (ten times slower to set up fixtures) every role with a
      // full-scope token and the admin's read-scope token, which is representative of the scope rule.
      const cellActors =
        engine === 'sqlite' ? actors : actors.filter((a) => a.scope !== 'read' || a.role === 'admin');
      for (const actor of cellActors) {
        const relations: (ModelRelation | null)[] = guard.model
          ? [null, ...(NATURAL_RELATION[actor.role] ? [NATURAL_RELATION[actor.role]!] : [])]
          : [null];
        for (const relation of relations) {
          const req = await c.build({ s, actor, relation, unique: `${++n}` });
          const want = expectedStatus(guard, actor, relation, c.success);
          const res = await s.call(guard.method, req.url, req.body, actor.token, req.headers);
          checked++;
          if (res.statusCode !== want) {
            failures.push(
              `${key(guard)} as ${actor.role}/${actor.scope}${guard.model ? ` relation=${relation}` : ''}: ` +
                `got ${res.statusCode}, want ${want} (${res.body.slice(0, 160)})`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(ROUTE_GUARDS.length);
  }, 900_000);

  it('login and health need no token', async () => {
    expect((await s.call('GET', '/api/health', undefined, null)).statusCode).toBe(200);
    await s.services.identity.createUser(
      { actor: 'admin', requestId: null },
      { username: 'pw-user', role: 'auditor', password: 'twelve chars at least' },
    );
    const login = await s.call(
      'POST',
      '/api/v1/auth/login',
      { username: 'pw-user', password: 'twelve chars at least' },
      null,
    );
    expect(login.statusCode).toBe(200);
  });
});
