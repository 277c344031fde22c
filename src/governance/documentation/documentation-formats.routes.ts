import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { documentReadQuerySchema } from '../../contracts/documentation.ts';
import {
  cardImportRequestSchema,
  cardImportResultSchema,
  cardStandardExportFormatSchema,
  datasheetStandardExportFormatSchema,
} from '../../contracts/documentation-formats.ts';
import { modelKeySchema } from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/request-context.ts';
import type { DocumentExport } from './documentation.service.ts';
import type { DocumentationFormatsService } from './documentation-formats.service.ts';

function sendDocument(reply: FastifyReply, out: DocumentExport) {
  return reply
    .type(out.contentType)
    .header('content-disposition', `attachment; filename="${out.filename}"`)
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('x-content-type-options', 'nosniff')
    .send(out.body);
}

const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
const tags = ['documentation'];

/**
 * Model cards and datasheets in standard formats, beside their own routes:
 * GET …/card/export/{huggingface|cyclonedx|spdx}, POST …/card/import and
 * GET /api/v1/datasets/{id}/datasheet/export/croissant.
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
        'The card as a Hugging Face README.md (front matter with model-index), a CycloneDX 1.6 ML-BOM or an SPDX 3.0.1 document of the version and its datasets (AI and Dataset profiles; JSON, validated against the official schemas)',
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
      return sendDocument(reply, out);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/datasets/:id/datasheet/export/:format',
    schema: {
      tags,
      summary:
        'The datasheet as MLCommons Croissant 1.0 JSON-LD (dataset metadata, file with its SHA-256, columns with their data types, Croissant RAI fields)',
      params: z.strictObject({
        id: z.string().min(1).max(200),
        format: datasheetStandardExportFormatSchema,
      }),
      querystring: documentReadQuerySchema,
    },
    handler: async (req, reply) => {
      const out = await formats.exportDatasheet(callerOf(req), req.params.id, req.params.format, {
        revision: req.query.revision,
        publishedOnly: req.query.published === 'true',
      });
      return sendDocument(reply, out);
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
