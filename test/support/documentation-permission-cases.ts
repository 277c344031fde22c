import { modelFor, ok } from './inventory-permission-cases.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';

/** A minimal valid card body. */
const CARD = { content: { overview: { text: 'A model card written by the permission matrix.' } } };

/** A model the caller relates to as asked, with a saved card on 1.0.0 (saved by the admin). */
async function cardFor(ctx: CaseContext) {
  const { key } = await modelFor(ctx);
  await ok(ctx.s, 'PUT', `/api/v1/models/${key}/versions/1.0.0/card`, CARD);
  return key;
}

/** A dataset owned by the caller, with a saved datasheet (saved by the admin). */
async function datasheetFor(ctx: CaseContext) {
  const ds = await ok<{ id: string }>(ctx.s, 'POST', '/api/v1/datasets', {
    name: `ds-doc-${ctx.unique}`,
    role: 'training',
    owner: ctx.actor.username,
  });
  await ok(ctx.s, 'PUT', `/api/v1/datasets/${ds.id}/datasheet`, {
    content: { motivation: { text: 'Collected for the matrix.' } },
  });
  return ds.id;
}

const cardUrl = async (ctx: CaseContext, tail = '') =>
  `/api/v1/models/${await cardFor(ctx)}/versions/1.0.0/card${tail}`;
const sheetUrl = async (ctx: CaseContext, tail = '') =>
  `/api/v1/datasets/${await datasheetFor(ctx)}/datasheet${tail}`;

/** Cases for the documentation routes (model cards and datasheets). */
export const DOCUMENTATION_CASES: Record<string, RouteCase> = {
  'GET /api/v1/models/:key/versions/:label/card': {
    success: 200,
    build: async (ctx) => ({ url: await cardUrl(ctx) }),
  },
  'PUT /api/v1/models/:key/versions/:label/card': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/card`,
      body: CARD,
    }),
  },
  'GET /api/v1/models/:key/versions/:label/card/revisions': {
    success: 200,
    build: async (ctx) => ({ url: await cardUrl(ctx, '/revisions') }),
  },
  'POST /api/v1/models/:key/versions/:label/card/publish': {
    success: 200,
    build: async (ctx) => ({ url: await cardUrl(ctx, '/publish'), body: {} }),
  },
  'POST /api/v1/models/:key/versions/:label/card/draft': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/card/draft`,
      body: { save: false },
    }),
  },
  'GET /api/v1/models/:key/versions/:label/card/completeness': {
    success: 200,
    build: async (ctx) => ({ url: await cardUrl(ctx, '/completeness') }),
  },
  'GET /api/v1/models/:key/versions/:label/card/export': {
    success: 200,
    build: async (ctx) => ({ url: await cardUrl(ctx, '/export?format=md') }),
  },
  'GET /api/v1/datasets/:id/datasheet': {
    success: 200,
    build: async (ctx) => ({ url: await sheetUrl(ctx) }),
  },
  'PUT /api/v1/datasets/:id/datasheet': {
    success: 201,
    build: async (ctx) => ({ url: await sheetUrl(ctx), body: { content: {} } }),
  },
  'GET /api/v1/datasets/:id/datasheet/revisions': {
    success: 200,
    build: async (ctx) => ({ url: await sheetUrl(ctx, '/revisions') }),
  },
  'POST /api/v1/datasets/:id/datasheet/publish': {
    success: 200,
    build: async (ctx) => ({ url: await sheetUrl(ctx, '/publish'), body: {} }),
  },
  'POST /api/v1/datasets/:id/datasheet/draft': {
    success: 200,
    build: async (ctx) => ({ url: await sheetUrl(ctx, '/draft'), body: {} }),
  },
  'GET /api/v1/datasets/:id/datasheet/completeness': {
    success: 200,
    build: async (ctx) => ({ url: await sheetUrl(ctx, '/completeness') }),
  },
  'GET /api/v1/datasets/:id/datasheet/export': {
    success: 200,
    build: async (ctx) => ({ url: await sheetUrl(ctx, '/export?format=html') }),
  },
};
