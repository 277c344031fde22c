import type { RouteCase } from './permission-cases.ts';
import type { TestServer } from './test-server.ts';

async function asAdmin<T>(s: TestServer, method: string, url: string, body?: unknown): Promise<T> {
  const res = await s.call(method, url, body);
  if (res.statusCode >= 300)
    throw new Error(`fixture ${method} ${url} failed: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

const rule = (unique: string) => ({
  name: `ci-${unique}`,
  issuer: 'https://token.actions.githubusercontent.com',
  audience: 'assay',
  subjectPattern: `repo:acme/${unique}:*`,
  username: `ci-${unique}`,
  role: 'developer',
});

/** Cases for the single sign-on admin routes (the public sign-in routes need none). */
export const SSO_CASES: Record<string, RouteCase> = {
  'GET /api/v1/sso/role-mappings': {
    success: 200,
    build: async () => ({ url: '/api/v1/sso/role-mappings' }),
  },
  'POST /api/v1/sso/role-mappings': {
    success: 201,
    build: async ({ unique }) => ({
      url: '/api/v1/sso/role-mappings',
      body: { value: `group-${unique}`, role: 'auditor' },
    }),
  },
  'DELETE /api/v1/sso/role-mappings/:id': {
    success: 200,
    build: async ({ s, unique }) => {
      const m = await asAdmin<{ id: string }>(s, 'POST', '/api/v1/sso/role-mappings', {
        value: `del-${unique}`,
        role: 'auditor',
      });
      return { url: `/api/v1/sso/role-mappings/${m.id}` };
    },
  },
  'GET /api/v1/sso/workload-rules': {
    success: 200,
    build: async () => ({ url: '/api/v1/sso/workload-rules' }),
  },
  'POST /api/v1/sso/workload-rules': {
    success: 201,
    build: async ({ unique }) => ({ url: '/api/v1/sso/workload-rules', body: rule(unique) }),
  },
  'POST /api/v1/sso/workload-rules/:id/disable': {
    success: 200,
    build: async ({ s, unique }) => {
      const r = await asAdmin<{ id: string }>(s, 'POST', '/api/v1/sso/workload-rules', rule(`d${unique}`));
      return { url: `/api/v1/sso/workload-rules/${r.id}/disable` };
    },
  },
  'GET /api/v1/connectors/reconciliation': {
    success: 200,
    build: async () => ({ url: '/api/v1/connectors/reconciliation' }),
  },
  'POST /api/v1/connectors/reconciliation/register': {
    success: 201,
    build: async ({ s, unique }) => {
      s.services.reconciliation.addObservationSource({
        name: `matrix-${unique}`,
        unknownDeployments: async () => [{ deploymentId: `dep-${unique}` }],
      });
      return {
        url: '/api/v1/connectors/reconciliation/register',
        body: { source: `matrix-${unique}`, externalId: `dep-${unique}` },
      };
    },
  },
  'POST /api/v1/connectors/mlflow/sync': {
    success: 200,
    build: async () => ({ url: '/api/v1/connectors/mlflow/sync' }),
  },
  'GET /api/v1/connectors/mlflow/entries': {
    success: 200,
    build: async () => ({ url: '/api/v1/connectors/mlflow/entries' }),
  },
};
