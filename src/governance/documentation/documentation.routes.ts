import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  completenessSchema,
  datasheetDraftSchema,
  datasheetSaveSchema,
  datasheetSchema,
  documentExportQuerySchema,
  documentPublishSchema,
  documentReadQuerySchema,
  documentRevisionListSchema,
  draftRequestSchema,
  modelCardDraftSchema,
  modelCardSaveSchema,
  modelCardSchema,
} from '../../contracts/documentation.ts';
import { modelKeySchema } from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf } from '../../platform/http/request-context.ts';
import type { RevisionSelector } from './documentation.queries.ts';
import type { DocumentationService, DocumentExport } from './documentation.service.ts';

const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
const datasetParams = z.strictObject({ id: z.string().min(1).max(200) });
const tags = ['documentation'];

function selector(q: {
  revision?: number | undefined;
  published?: 'true' | 'false' | undefined;
}): RevisionSelector {
  return { revision: q.revision, publishedOnly: q.published === 'true' };
}

function send(reply: FastifyReply, out: DocumentExport) {
  const inline = out.contentType.startsWith('text/html');
  return reply
    .type(out.contentType)
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${out.filename}"`)
    .header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'")
    .header('x-content-type-options', 'nosniff')
    .send(out.body);
}

/** Model card routes under /api/v1/models/{key}/versions/{label}/card and datasheet routes under /api/v1/datasets/{id}/datasheet. */
export function registerDocumentationRoutes(
  app: ApiApp,
  services: { documentation: DocumentationService },
): void {
  const { documentation: docs } = services;
  const card = '/api/v1/models/:key/versions/:label/card';

  app.route({
    method: 'GET',
    url: card,
    schema: {
      tags,
      summary: "A version's model card: the latest revision, `?published=true` or `?revision=N`",
      params: versionParams,
      querystring: documentReadQuerySchema,
      response: { 200: modelCardSchema },
    },
    handler: (req) => docs.getCard(callerOf(req), req.params.key, req.params.label, selector(req.query)),
  });

  app.route({
    method: 'PUT',
    url: card,
    schema: {
      tags,
      summary: 'Save the model card as a new revision (draft, or published with `publish: true`)',
      params: versionParams,
      body: modelCardSaveSchema,
      response: { 201: modelCardSchema },
    },
    handler: async (req, reply) => {
      reply.status(201);
      return docs.saveCard(callerOf(req), req.params.key, req.params.label, req.body);
    },
  });

  app.route({
    method: 'GET',
    url: `${card}/revisions`,
    schema: {
      tags,
      summary: 'Every revision of the model card, newest first',
      params: versionParams,
      response: { 200: documentRevisionListSchema },
    },
    handler: async (req) => ({
      items: await docs.cardRevisions(callerOf(req), req.params.key, req.params.label),
    }),
  });

  app.route({
    method: 'POST',
    url: `${card}/publish`,
    schema: {
      tags,
      summary: 'Publish the latest (or a given) revision as a new published revision',
      params: versionParams,
      body: documentPublishSchema.optional(),
      response: { 200: modelCardSchema },
    },
    handler: (req) => docs.publishCard(callerOf(req), req.params.key, req.params.label, req.body ?? {}),
  });

  app.route({
    method: 'POST',
    url: `${card}/draft`,
    schema: {
      tags,
      summary:
        'Generate a draft from the inventory, lineage, validation evidence, findings and conditions (`save: true` stores it as a draft revision)',
      params: versionParams,
      body: draftRequestSchema.optional(),
      response: { 200: modelCardDraftSchema },
    },
    handler: (req) =>
      docs.draftCard(callerOf(req), req.params.key, req.params.label, req.body?.save ?? false),
  });

  app.route({
    method: 'GET',
    url: `${card}/completeness`,
    schema: {
      tags,
      summary: "Score and gaps of a card revision against the policy's rules for the model's tier",
      params: versionParams,
      querystring: documentReadQuerySchema,
      response: { 200: completenessSchema },
    },
    handler: (req) =>
      docs.cardCompleteness(callerOf(req), req.params.key, req.params.label, selector(req.query)),
  });

  app.route({
    method: 'GET',
    url: `${card}/export`,
    schema: {
      tags,
      summary: 'The card as Markdown, self-contained HTML, PDF (printed with Chromium) or JSON',
      params: versionParams,
      querystring: documentExportQuerySchema,
    },
    handler: async (req, reply) =>
      send(
        reply,
        await docs.exportCard(
          callerOf(req),
          req.params.key,
          req.params.label,
          req.query.format,
          selector(req.query),
        ),
      ),
  });

  const sheet = '/api/v1/datasets/:id/datasheet';

  app.route({
    method: 'GET',
    url: sheet,
    schema: {
      tags,
      summary:
        "A dataset's datasheet (by dataset id or name): the latest revision, `?published=true` or `?revision=N`",
      params: datasetParams,
      querystring: documentReadQuerySchema,
      response: { 200: datasheetSchema },
    },
    handler: (req) => docs.getDatasheet(callerOf(req), req.params.id, selector(req.query)),
  });

  app.route({
    method: 'PUT',
    url: sheet,
    schema: {
      tags,
      summary: 'Save the datasheet as a new revision (the dataset owner or governance)',
      params: datasetParams,
      body: datasheetSaveSchema,
      response: { 201: datasheetSchema },
    },
    handler: async (req, reply) => {
      reply.status(201);
      return docs.saveDatasheet(callerOf(req), req.params.id, req.body);
    },
  });

  app.route({
    method: 'GET',
    url: `${sheet}/revisions`,
    schema: {
      tags,
      summary: 'Every revision of the datasheet, newest first',
      params: datasetParams,
      response: { 200: documentRevisionListSchema },
    },
    handler: async (req) => ({ items: await docs.datasheetRevisions(callerOf(req), req.params.id) }),
  });

  app.route({
    method: 'POST',
    url: `${sheet}/publish`,
    schema: {
      tags,
      summary: 'Publish the latest (or a given) datasheet revision',
      params: datasetParams,
      body: documentPublishSchema.optional(),
      response: { 200: datasheetSchema },
    },
    handler: (req) => docs.publishDatasheet(callerOf(req), req.params.id, req.body ?? {}),
  });

  app.route({
    method: 'POST',
    url: `${sheet}/draft`,
    schema: {
      tags,
      summary: 'Generate a datasheet draft from the inventory record and lineage',
      params: datasetParams,
      body: draftRequestSchema.optional(),
      response: { 200: datasheetDraftSchema },
    },
    handler: (req) => docs.draftDatasheet(callerOf(req), req.params.id, req.body?.save ?? false),
  });

  app.route({
    method: 'GET',
    url: `${sheet}/completeness`,
    schema: {
      tags,
      summary: 'Score and gaps of a datasheet against the strictest tier of the models that use the dataset',
      params: datasetParams,
      querystring: documentReadQuerySchema,
      response: { 200: completenessSchema },
    },
    handler: (req) => docs.datasheetCompleteness(callerOf(req), req.params.id, selector(req.query)),
  });

  app.route({
    method: 'GET',
    url: `${sheet}/export`,
    schema: {
      tags,
      summary: 'The datasheet as Markdown, self-contained HTML, PDF or JSON',
      params: datasetParams,
      querystring: documentExportQuerySchema,
    },
    handler: async (req, reply) =>
      send(
        reply,
        await docs.exportDatasheet(callerOf(req), req.params.id, req.query.format, selector(req.query)),
      ),
  });
}
