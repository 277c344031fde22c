import { importResultSchema, transferQuerySchema } from '../../../contracts/transfer.ts';
import type { ApiApp } from '../../../platform/http/http-app.ts';
import { auditContextOf, principalOf } from '../../../platform/http/request-context.ts';
import type { TransferService } from './transfer.service.ts';

/** Largest import body: far above the JSON body limit, since a file carries up to 50,000 rows. */
export const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

/** POST /api/v1/import and GET /api/v1/export. */
export function registerTransferRoutes(app: ApiApp, services: { transfer: TransferService }): void {
  const { transfer } = services;
  // A CSV body arrives as text; the service parses it and names the row and field of any problem.
  app.addContentTypeParser(
    ['text/csv'],
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );

  app.route({
    method: 'POST',
    url: '/api/v1/import',
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      tags: ['inventory'],
      summary:
        'Bulk import (body: text/csv or application/json). Every row is validated first; any bad row ⇒ 422 naming each row and field, nothing written. Re-importing the same file changes nothing.',
      querystring: transferQuerySchema,
      response: { 200: importResultSchema },
    },
    handler: async (req) =>
      transfer.importFile(
        { principal: principalOf(req), audit: auditContextOf(req) },
        req.query.kind,
        req.query.format,
        req.body,
      ),
  });

  app.route({
    method: 'GET',
    url: '/api/v1/export',
    schema: {
      tags: ['inventory'],
      summary:
        'Bulk export as CSV (formula-like cells prefixed with an apostrophe) or JSON { kind, exportedAt, items }; models and versions only as far as the caller may see them',
      querystring: transferQuerySchema,
    },
    handler: async (req, reply) => {
      const file = await transfer.exportFile(principalOf(req), req.query.kind, req.query.format);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  });
}
