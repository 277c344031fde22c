import type { ModelRelation, Role, TokenScope } from '../../src/platform/auth/roles.ts';
import type { TestServer } from './test-server.ts';

/** The caller of one matrix cell. */
export interface MatrixActor {
  role: Role;
  scope: TokenScope;
  userId: string;
  username: string;
  token: string;
}

/** What a case builder gets: the server, the caller, and the relation it should hold to the model. */
export interface CaseContext {
  s: TestServer;
  actor: MatrixActor;
  /** For model-scoped routes: the caller's relation to the target model, or null for none. */
  relation: ModelRelation | null;
  /** A fresh suffix for names that must be unique. */
  unique: string;
}

/** A request that succeeds with `success` for a caller who is allowed. */
export interface MatrixRequest {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** How to exercise one route: build a valid request (creating fixtures as the admin if needed). */
export interface RouteCase {
  success: 200 | 201 | 202;
  build(ctx: CaseContext): Promise<MatrixRequest>;
}

async function json<T>(s: TestServer, method: string, url: string, body?: unknown): Promise<T> {
  const res = await s.call(method, url, body);
  if (res.statusCode >= 300)
    throw new Error(`fixture ${method} ${url} failed: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/** Cases for the identity and audit routes. Inventory cases live in inventory-permission-cases.ts. */
export const IDENTITY_CASES: Record<string, RouteCase> = {
  'GET /api/openapi.json': { success: 200, build: async () => ({ url: '/api/openapi.json' }) },
  'GET /api/v1/me': { success: 200, build: async () => ({ url: '/api/v1/me' }) },
  'GET /api/v1/auth/me': { success: 200, build: async () => ({ url: '/api/v1/auth/me' }) },
  'GET /api/v1/users': { success: 200, build: async () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/users': {
    success: 201,
    build: async ({ unique }) => ({
      url: '/api/v1/users',
      body: { username: `new-${unique}`, role: 'auditor' },
    }),
  },
  'GET /api/v1/users/:id': {
    success: 200,
    build: async ({ s }) => {
      const me = await json<{ id: string }>(s, 'GET', '/api/v1/me');
      return { url: `/api/v1/users/${me.id}` };
    },
  },
  'PATCH /api/v1/users/:id': {
    success: 200,
    build: async ({ s, unique }) => {
      const u = await json<{ id: string }>(s, 'POST', '/api/v1/users', {
        username: `p-${unique}`,
        role: 'developer',
      });
      return { url: `/api/v1/users/${u.id}`, body: { displayName: 'Changed', role: 'owner' } };
    },
  },
  'POST /api/v1/tokens': {
    success: 201,
    build: async () => ({ url: '/api/v1/tokens', body: { name: 'matrix', scope: 'read' } }),
  },
  'GET /api/v1/tokens': { success: 200, build: async () => ({ url: '/api/v1/tokens' }) },
  'POST /api/v1/tokens/:id/revoke': {
    success: 200,
    build: async ({ s, actor }) => {
      const { view } = await s.services.identity.createToken(
        { actor: 'admin', requestId: null },
        { userId: actor.userId, name: 'to revoke', scope: 'read' },
      );
      return { url: `/api/v1/tokens/${view.id}/revoke` };
    },
  },
  'GET /api/v1/audit/events': { success: 200, build: async () => ({ url: '/api/v1/audit/events?limit=5' }) },
  'GET /api/v1/audit/verify': { success: 200, build: async () => ({ url: '/api/v1/audit/verify' }) },
};
