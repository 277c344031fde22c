import { z } from 'zod';
import { pageOf, pageQuery } from '../../contracts/identity.ts';
import {
  completenessSchema,
  datasetCreateSchema,
  datasetLineageSchema,
  datasetListQuerySchema,
  datasetSchema,
  datasetUpdateSchema,
  deploymentCreateSchema,
  deploymentSchema,
  historyEventSchema,
  modelAsOfSchema,
  modelCreateSchema,
  modelDetailSchema,
  modelGetQuerySchema,
  modelKeySchema,
  modelLineageSchema,
  modelListItemSchema,
  modelListQuerySchema,
  modelRelationsSchema,
  modelTransitionSchema,
  modelUpdateSchema,
  versionCreateSchema,
  versionSchema,
  versionUpdateSchema,
} from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, ifMatchVersion, principalOf, withEtag } from '../../platform/http/request-context.ts';
import type { DatasetsService } from './datasets.service.ts';
import type { LineageService } from './lineage.service.ts';
import type { ModelsService } from './models.service.ts';
import type { VersionsService } from './versions.service.ts';

/** The inventory services the routes call. */
export interface InventoryServices {
  models: ModelsService;
  versions: VersionsService;
  datasets: DatasetsService;
  lineage: LineageService;
}

const keyParams = z.strictObject({ key: modelKeySchema });
const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
const idParams = z.strictObject({ id: z.string().min(1).max(200) });
const tags = ['inventory'];

/** Routes of models, versions, datasets, deployments and lineage under /api/v1. */
export function registerInventoryRoutes(app: ApiApp, s: InventoryServices): void {
  app.get(
    '/api/v1/models',
    {
      schema: {
        tags,
        summary: 'List and search models',
        querystring: modelListQuerySchema,
        response: { 200: pageOf(modelListItemSchema) },
      },
    },
    (req) => s.models.list(principalOf(req), req.query),
  );
  app.post(
    '/api/v1/models',
    {
      schema: {
        tags,
        summary: 'Register a model',
        body: modelCreateSchema,
        response: { 201: modelDetailSchema },
      },
    },
    async (req, reply) => withEtag(reply.status(201), await s.models.register(callerOf(req), req.body)),
  );
  app.get(
    '/api/v1/models/:key',
    {
      schema: {
        tags,
        summary: 'A model (or, with asOf, as it was then)',
        params: keyParams,
        querystring: modelGetQuerySchema,
        response: { 200: z.union([modelDetailSchema, modelAsOfSchema]) },
      },
    },
    async (req, reply) => {
      if (req.query.asOf) return s.lineage.asOf(callerOf(req), req.params.key, req.query.asOf);
      return withEtag(reply, await s.models.get(principalOf(req), req.params.key));
    },
  );
  app.get(
    '/api/v1/models/:key/as-of',
    {
      schema: {
        tags,
        summary: 'A model and its deployments as they were at a past time',
        params: keyParams,
        querystring: z.strictObject({ at: z.iso.datetime({ offset: true }) }),
        response: { 200: modelAsOfSchema },
      },
    },
    (req) => s.lineage.asOf(callerOf(req), req.params.key, req.query.at),
  );
  app.patch(
    '/api/v1/models/:key',
    {
      schema: {
        tags,
        summary: 'Update a model (If-Match for optimistic concurrency)',
        params: keyParams,
        body: modelUpdateSchema,
        response: { 200: modelDetailSchema },
      },
    },
    async (req, reply) =>
      withEtag(reply, await s.models.update(callerOf(req), req.params.key, req.body, ifMatchVersion(req))),
  );
  app.post(
    '/api/v1/models/:key/transition',
    {
      schema: {
        tags,
        summary: 'Move a model along its lifecycle',
        params: keyParams,
        body: modelTransitionSchema,
        response: { 200: modelDetailSchema },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await s.models.transition(
          callerOf(req),
          req.params.key,
          req.body.to,
          req.body.reason,
          ifMatchVersion(req),
          req.body.version,
        ),
      ),
  );
  app.post(
    '/api/v1/models/:key/retire',
    {
      schema: {
        tags,
        summary: 'Retire a model (nothing is deleted); its active deployments end with it',
        params: keyParams,
        body: z.strictObject({ reason: z.string().max(2000).optional() }).optional(),
        response: { 200: modelDetailSchema },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await s.models.transition(
          callerOf(req),
          req.params.key,
          'retired',
          req.body?.reason,
          ifMatchVersion(req),
        ),
      ),
  );
  app.put(
    '/api/v1/models/:key/relations',
    {
      schema: {
        tags,
        summary: 'Set owner, developers and validators',
        params: keyParams,
        body: modelRelationsSchema,
        response: { 200: modelDetailSchema },
      },
    },
    async (req, reply) =>
      withEtag(reply, await s.models.setRelations(callerOf(req), req.params.key, req.body)),
  );
  app.get(
    '/api/v1/models/:key/completeness',
    {
      schema: {
        tags,
        summary: 'Completeness score and missing fields',
        params: keyParams,
        response: { 200: completenessSchema },
      },
    },
    async (req) => (await s.models.get(principalOf(req), req.params.key)).completeness,
  );
  app.get(
    '/api/v1/models/:key/history',
    {
      schema: {
        tags,
        summary: 'Audit events of a model, newest first',
        params: keyParams,
        querystring: z.strictObject(pageQuery),
        response: { 200: pageOf(historyEventSchema) },
      },
    },
    (req) => s.lineage.history(callerOf(req), req.params.key, req.query.limit, req.query.cursor),
  );
  app.get(
    '/api/v1/models/:key/lineage',
    {
      schema: {
        tags,
        summary: 'Versions, datasets with ancestors, deployments',
        params: keyParams,
        response: { 200: modelLineageSchema },
      },
    },
    (req) => s.lineage.modelLineage(callerOf(req), req.params.key),
  );

  app.get(
    '/api/v1/models/:key/versions',
    {
      schema: {
        tags,
        summary: 'Versions of a model',
        params: keyParams,
        response: { 200: z.object({ items: z.array(versionSchema) }) },
      },
    },
    async (req) => ({
      items: await s.versions.list(callerOf(req), req.params.key),
    }),
  );
  app.post(
    '/api/v1/models/:key/versions',
    {
      schema: {
        tags,
        summary: 'Add a version',
        params: keyParams,
        body: versionCreateSchema,
        response: { 201: versionSchema },
      },
    },
    async (req, reply) =>
      withEtag(reply.status(201), await s.versions.create(callerOf(req), req.params.key, req.body)),
  );
  app.get(
    '/api/v1/models/:key/versions/:label',
    { schema: { tags, summary: 'One version', params: versionParams, response: { 200: versionSchema } } },
    async (req, reply) =>
      withEtag(reply, await s.versions.get(callerOf(req), req.params.key, req.params.label)),
  );
  app.patch(
    '/api/v1/models/:key/versions/:label',
    {
      schema: {
        tags,
        summary: 'Edit a version (refused once frozen)',
        params: versionParams,
        body: versionUpdateSchema,
        response: { 200: versionSchema },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await s.versions.update(
          callerOf(req),
          req.params.key,
          req.params.label,
          req.body,
          ifMatchVersion(req),
        ),
      ),
  );
  app.post(
    '/api/v1/models/:key/versions/:label/freeze',
    {
      schema: { tags, summary: 'Freeze a version', params: versionParams, response: { 200: versionSchema } },
    },
    async (req, reply) =>
      withEtag(reply, await s.versions.freeze(callerOf(req), req.params.key, req.params.label)),
  );
  app.post(
    '/api/v1/models/:key/versions/:label/supersede',
    {
      schema: {
        tags,
        summary: 'Mark a version superseded by another',
        params: versionParams,
        body: z.strictObject({ by: z.string().min(1).max(63) }),
        response: { 200: versionSchema },
      },
    },
    async (req, reply) =>
      withEtag(
        reply,
        await s.versions.supersede(callerOf(req), req.params.key, req.params.label, req.body.by),
      ),
  );

  app.get(
    '/api/v1/models/:key/deployments',
    {
      schema: {
        tags,
        summary: 'Deployments of a model',
        params: keyParams,
        querystring: z.strictObject({ active: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(deploymentSchema) }) },
      },
    },
    async (req) => ({
      items: await s.versions.deployments(callerOf(req), req.params.key, req.query.active === 'true'),
    }),
  );
  app.post(
    '/api/v1/models/:key/deployments',
    {
      schema: {
        tags,
        summary: 'Record a deployment of a version',
        params: keyParams,
        body: deploymentCreateSchema,
        response: { 201: deploymentSchema },
      },
    },
    async (req, reply) =>
      withEtag(reply.status(201), await s.versions.deploy(callerOf(req), req.params.key, req.body)),
  );
  app.post(
    '/api/v1/deployments/:id/end',
    {
      schema: {
        tags,
        summary: 'End a deployment',
        params: idParams,
        body: z.strictObject({ endedAt: z.iso.datetime({ offset: true }).optional() }).optional(),
        response: { 200: deploymentSchema },
      },
    },
    async (req, reply) =>
      withEtag(reply, await s.versions.endDeployment(callerOf(req), req.params.id, req.body?.endedAt)),
  );

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
