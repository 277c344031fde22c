import { modelFor, ok } from './inventory-permission-cases.ts';
import type { RouteCase } from './permission-cases.ts';

const CARD = {
  provider: 'Acme AI',
  baseModel: 'acme-chat',
  baseModelVersion: '2026-10-01',
  systemPromptSha256: 'a'.repeat(64),
  tools: [{ name: 'lookup_order', description: 'Reads an order', sideEffects: false }],
  retrievalSources: ['kb://policies'],
  guardrails: ['PII output filter'],
  humanOversight: 'Agents review every drafted answer before it is sent.',
};

/** Cases for the GenAI evaluation routes (docs/genai.md). */
export const GENAI_CASES: Record<string, RouteCase> = {
  'GET /api/v1/models/:key/versions/:label/genai': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/genai` }),
  },
  'GET /api/v1/models/:key/versions/:label/genai/system-card': {
    success: 200,
    build: async (ctx) => {
      const { key } = await modelFor(ctx);
      await ok(ctx.s, 'PUT', `/api/v1/models/${key}/versions/1.0.0/genai/system-card`, CARD);
      return { url: `/api/v1/models/${key}/versions/1.0.0/genai/system-card` };
    },
  },
  'PUT /api/v1/models/:key/versions/:label/genai/system-card': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/genai/system-card`,
      body: CARD,
    }),
  },
};
