import { z } from 'zod';
import { documentReadQuerySchema } from '../../contracts/documentation.ts';
import {
  cardImportRequestSchema,
  cardImportResultSchema,
  cardStandardExportFormatSchema,
} from '../../contracts/documentation-formats.ts';
import { modelKeySchema } from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/request-context.ts';
import type { DocumentationFormatsService } from './documentation-formats.service.ts';

const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
const tags = ['documentation'];

/**
 * Model cards in standard formats, beside the card's own routes:
 * GET …/card/export/{huggingface|cyclonedx} and POST …/card/import.
 */
export function registerDocumentationFormatRoutes(
  app: ApiApp,
  services: { formats: DocumentationFormatsService },
): void {
  const { formats } = services;
  const card = '/api/v1/models/:key/versions/:label/card';

  app.route({
    method: 'GET',
    url: `${card}/export/:format`,
    schema: {
      tags,
      summary:
        'The card as a Hugging Face README.md (front matter with model-index) or a CycloneDX 1.6 ML-BOM (JSON, validated against the official schema)',
      params: versionParams.extend({ format: cardStandardExportFormatSchema }),
      querystring: documentReadQuerySchema,
    },
    handler: async (req, reply) => {
      const out = await formats.exportCard(
        callerOf(req),
        req.params.key,
        req.params.label,
        req.params.format,
        { revision: req.query.revision, publishedOnly: req.query.published === 'true' },
      );
      return reply
        .type(out.contentType)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('x-content-type-options', 'nosniff')
        .send(out.body);
    },
  });

  app.route({
    method: 'POST',
    url: `${card}/import`,
    schema: {
      tags,
      summary:
        'Import a Hugging Face README.md or Model Card Toolkit JSON as a new card revision (`save: false`: convert only)',
      params: versionParams,
      body: cardImportRequestSchema,
      response: { 200: cardImportResultSchema, 201: cardImportResultSchema },
    },
    handler: async (req, reply) => {
      const result = await formats.importCard(callerOf(req), req.params.key, req.params.label, req.body);
      reply.status(result.saved ? 201 : 200);
      return result;
    },
  });
}
