import { modelFor, ok } from './inventory-permission-cases.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';

/** A model the caller relates to as asked, with a saved card on 1.0.0 (saved by the admin). */
async function cardFor(ctx: CaseContext) {
  const { key } = await modelFor(ctx);
  await ok(ctx.s, 'PUT', `/api/v1/models/${key}/versions/1.0.0/card`, {
    content: { overview: { text: 'A model card written by the permission matrix.' } },
  });
  return key;
}

/** Cases for the standard-format routes of model cards (export and import) and datasheets (export). */
export const DOCUMENTATION_FORMAT_CASES: Record<string, RouteCase> = {
  'GET /api/v1/models/:key/versions/:label/card/export/:format': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${await cardFor(ctx)}/versions/1.0.0/card/export/cyclonedx`,
    }),
  },
  'GET /api/v1/datasets/:id/datasheet/export/:format': {
    success: 200,
    build: async (ctx) => {
      const ds = await ok<{ id: string }>(ctx.s, 'POST', '/api/v1/datasets', {
        name: `ds-croissant-${ctx.unique}`,
        role: 'training',
        owner: ctx.actor.username,
      });
      await ok(ctx.s, 'PUT', `/api/v1/datasets/${ds.id}/datasheet`, {
        content: { motivation: { text: 'Collected for the matrix.' } },
      });
      return { url: `/api/v1/datasets/${ds.id}/datasheet/export/croissant` };
    },
  },
  'POST /api/v1/models/:key/versions/:label/card/import': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/card/import`,
      body: { format: 'huggingface', document: '# m\n\n## Limitations\n\nImported by the matrix.\n' },
    }),
  },
};
