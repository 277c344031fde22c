import { z } from 'zod';
import { pageOf, pageQuery } from '../../contracts/identity.ts';
import {
  completenessSchema,
  historyEventSchema,
  modelAsOfSchema,
  modelCreateSchema,
  modelDetailSchema,
  modelGetQuerySchema,
  modelLineageSchema,
  modelListItemSchema,
  modelListQuerySchema,
  modelRelationsSchema,
  modelTransitionSchema,
  modelUpdateSchema,
} from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { ifMatchVersion, principalOf } from '../../platform/http/request-context.ts';
import { callerOf, keyParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { InventoryServices } from './inventory.routes.ts';

const tags = ['inventory'];

/** Routes of models: list, register, read (also as of a time), update, lifecycle, relations, completeness, history and lineage. */
export function registerModelRoutes(app: ApiApp, s: InventoryServices): void {
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
}
