import { pageOf } from '../../contracts/identity.ts';
import {
  datasetCreateSchema,
  datasetLineageSchema,
  datasetListQuerySchema,
  datasetSchema,
  datasetUpdateSchema,
} from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { ifMatchVersion } from '../../platform/http/request-context.ts';
import { callerOf, idParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { InventoryServices } from './inventory.routes.ts';

const tags = ['inventory'];

/** Routes of datasets and their lineage. */
export function registerDatasetRoutes(app: ApiApp, s: InventoryServices): void {
  app.get(
    '/api/v1/datasets',
    {
      schema: {
        tags,
        summary: 'List datasets',
        querystring: datasetListQuerySchema,
        response: { 200: pageOf(datasetSchema) },
      },
    },
    (req) => s.datasets.list(req.query),
  );
  app.post(
    '/api/v1/datasets',
    {
      schema: {
        tags,
        summary: 'Register a dataset',
        body: datasetCreateSchema,
        response: { 201: datasetSchema },
      },
    },
    async (req, reply) => withEtag(reply.status(201), await s.datasets.create(callerOf(req), req.body)),
  );
  app.get(
    '/api/v1/datasets/:id',
    {
      schema: {
        tags,
        summary: 'One dataset (by id or name)',
        params: idParams,
        response: { 200: datasetSchema },
      },
    },
    async (req, reply) => withEtag(reply, await s.datasets.get(req.params.id)),
  );
  app.patch(
    '/api/v1/datasets/:id',
    {
      schema: {
        tags,
        summary: 'Update a dataset',
        params: idParams,
        body: datasetUpdateSchema,
        response: { 200: datasetSchema },
      },
    },
    async (req, reply) =>
      withEtag(reply, await s.datasets.update(callerOf(req), req.params.id, req.body, ifMatchVersion(req))),
  );
  app.post(
    '/api/v1/datasets/:id/archive',
    { schema: { tags, summary: 'Archive a dataset', params: idParams, response: { 200: datasetSchema } } },
    async (req, reply) => withEtag(reply, await s.datasets.archive(callerOf(req), req.params.id)),
  );
  app.get(
    '/api/v1/datasets/:id/lineage',
    {
      schema: {
        tags,
        summary: 'Ancestors, descendants and the models that used a dataset',
        params: idParams,
        response: { 200: datasetLineageSchema },
      },
    },
    (req) => s.lineage.datasetLineage(callerOf(req), req.params.id),
  );
}
