import type { CaseContext, RouteCase } from './permission-cases.ts';
import type { TestServer } from './test-server.ts';

export async function ok<T>(s: TestServer, method: string, url: string, body?: unknown): Promise<T> {
  const res = await s.call(method, url, body);
  if (res.statusCode >= 300)
    throw new Error(`fixture ${method} ${url} failed: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/** The user that owns fixture models the caller is not related to. */
export const FIXTURE_OWNER = 'fixture-owner';

/**
 * A fresh model (as the admin) to which the caller holds `ctx.relation` (or none), with version
 * 1.0.0 and, if asked, a staging deployment of it (production needs the gate or an exception).
 */
export async function modelFor(ctx: CaseContext, options: { deployment?: boolean } = {}) {
  const { s, actor, relation, unique } = ctx;
  const key = `m-${unique}`;
  await ok(s, 'POST', '/api/v1/models', { key, name: `Model ${unique}`, type: 'classification' });
  await ok(s, 'PUT', `/api/v1/models/${key}/relations`, {
    owner: relation === 'owner' ? actor.username : FIXTURE_OWNER,
    developers: relation === 'developer' ? [actor.username] : [],
    validators: relation === 'validator' ? [actor.username] : [],
  });
  await ok(s, 'POST', `/api/v1/models/${key}/versions`, { label: '1.0.0' });
  let deploymentId = '';
  if (options.deployment) {
    const d = await ok<{ id: string }>(s, 'POST', `/api/v1/models/${key}/deployments`, {
      version: '1.0.0',
      environment: 'staging',
    });
    deploymentId = d.id;
  }
  return { key, deploymentId };
}

/** A fresh dataset owned by the caller (dataset edits need its owner or a steward). */
async function datasetFor(ctx: CaseContext) {
  return ok<{ id: string }>(ctx.s, 'POST', '/api/v1/datasets', {
    name: `ds-${ctx.unique}`,
    role: 'training',
    owner: ctx.actor.username,
  });
}

const read = (path: string): RouteCase => ({
  success: 200,
  build: async (ctx) => ({ url: `/api/v1/models/${(await modelFor(ctx)).key}${path}` }),
});

/** Cases for the inventory routes (models, versions, deployments, datasets, lineage). */
export const INVENTORY_CASES: Record<string, RouteCase> = {
  'GET /api/v1/models': { success: 200, build: async () => ({ url: '/api/v1/models?limit=5' }) },
  'POST /api/v1/models': {
    success: 201,
    build: async ({ unique }) => ({
      url: '/api/v1/models',
      body: { key: `new-${unique}`, name: 'New', type: 'regression' },
    }),
  },
  'GET /api/v1/models/:key': read(''),
  'GET /api/v1/models/:key/as-of': read(`/as-of?at=${encodeURIComponent('2030-01-01T00:00:00Z')}`),
  'GET /api/v1/models/:key/completeness': read('/completeness'),
  'GET /api/v1/models/:key/history': read('/history'),
  'GET /api/v1/models/:key/lineage': read('/lineage'),
  'GET /api/v1/models/:key/versions': read('/versions'),
  'GET /api/v1/models/:key/versions/:label': read('/versions/1.0.0'),
  'GET /api/v1/models/:key/deployments': read('/deployments'),
  'PATCH /api/v1/models/:key': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}`,
      body: { description: 'changed by the matrix' },
    }),
  },
  'POST /api/v1/models/:key/transition': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/transition`,
      body: { to: 'development' },
    }),
  },
  'POST /api/v1/models/:key/retire': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await modelFor(ctx)).key}/retire`, body: {} }),
  },
  'PUT /api/v1/models/:key/relations': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/relations`,
      body: { owner: FIXTURE_OWNER, developers: [], validators: [] },
    }),
  },
  'POST /api/v1/models/:key/versions': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions`,
      body: { label: '2.0.0' },
    }),
  },
  'PATCH /api/v1/models/:key/versions/:label': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0`,
      body: { changeSummary: 'edited' },
    }),
  },
  'POST /api/v1/models/:key/versions/:label/freeze': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/freeze` }),
  },
  'POST /api/v1/models/:key/versions/:label/supersede': {
    success: 200,
    build: async (ctx) => {
      const { key } = await modelFor(ctx);
      await ok(ctx.s, 'POST', `/api/v1/models/${key}/versions`, { label: '1.1.0' });
      return { url: `/api/v1/models/${key}/versions/1.0.0/supersede`, body: { by: '1.1.0' } };
    },
  },
  'POST /api/v1/models/:key/deployments': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/deployments`,
      body: { version: '1.0.0', environment: 'staging' },
    }),
  },
  'POST /api/v1/deployments/:id/end': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/deployments/${(await modelFor(ctx, { deployment: true })).deploymentId}/end`,
      body: {},
    }),
  },
  'GET /api/v1/datasets': { success: 200, build: async () => ({ url: '/api/v1/datasets?limit=5' }) },
  'POST /api/v1/datasets': {
    success: 201,
    build: async ({ unique }) => ({
      url: '/api/v1/datasets',
      body: { name: `new-ds-${unique}`, role: 'test' },
    }),
  },
  'GET /api/v1/datasets/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/datasets/${(await datasetFor(ctx)).id}` }),
  },
  'GET /api/v1/datasets/:id/lineage': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/datasets/${(await datasetFor(ctx)).id}/lineage` }),
  },
  'PATCH /api/v1/datasets/:id': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/datasets/${(await datasetFor(ctx)).id}`,
      body: { retentionNote: '7 years' },
    }),
  },
  'POST /api/v1/datasets/:id/archive': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/datasets/${(await datasetFor(ctx)).id}/archive` }),
  },
  'POST /api/v1/import': {
    success: 200,
    build: async ({ unique }) => ({
      url: '/api/v1/import?kind=datasets&format=json',
      body: [{ name: `imported-ds-${unique}`, role: 'reference' }],
    }),
  },
  'GET /api/v1/export': {
    success: 200,
    build: async () => ({ url: '/api/v1/export?kind=models&format=json' }),
  },
};
