import { genaiReportQuerySchema, genaiVersionReportSchema } from '../../contracts/genai.ts';
import { genaiSystemCardInputSchema, genaiSystemCardSchema } from '../../contracts/genai-system-card.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, versionParams } from '../../platform/http/route-helpers.ts';
import type { GenAiService } from './genai.service.ts';
import type { SystemCardService } from './system-card.service.ts';

const tags = ['genai'];

/** GenAI evaluation evidence read back: rates per category and the comparison across versions. */
export function registerGenAiRoutes(
  app: ApiApp,
  services: { genai: GenAiService; systemCards: SystemCardService },
): void {
  const { genai, systemCards } = services;
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/genai',
    schema: {
      tags,
      summary:
        "A version's GenAI runs (rates and Wilson intervals per category, recomputed from the rows) and, per tool, the comparison with the previous version's run, regressions named",
      params: versionParams,
      querystring: genaiReportQuerySchema,
      response: { 200: genaiVersionReportSchema },
    },
    handler: (req) => genai.report(callerOf(req), req.params.key, req.params.label, req.query.against),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/genai/system-card',
    schema: {
      tags,
      summary:
        "The version's GenAI system card (provider, model, system prompt hash, tools, retrieval, guardrails, oversight)",
      params: versionParams,
      response: { 200: genaiSystemCardSchema },
    },
    handler: (req) => systemCards.get(callerOf(req), req.params.key, req.params.label),
  });
  app.route({
    method: 'PUT',
    url: '/api/v1/models/:key/versions/:label/genai/system-card',
    schema: {
      tags,
      summary: "Sets or replaces the version's GenAI system card (audited); the model card draft shows it",
      params: versionParams,
      body: genaiSystemCardInputSchema,
      response: { 200: genaiSystemCardSchema },
    },
    handler: (req) => systemCards.put(callerOf(req), req.params.key, req.params.label, req.body),
  });
}
