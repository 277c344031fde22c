import { z } from 'zod';
import {
  deploymentCreateSchema,
  deploymentSchema,
  versionCreateSchema,
  versionSchema,
  versionUpdateSchema,
} from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { ifMatchVersion } from '../../platform/http/request-context.ts';
import { callerOf, idParams, keyParams, versionParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { InventoryServices } from './inventory.routes.ts';

const tags = ['inventory'];

/** Routes of model versions and their deployments. */
export function registerVersionRoutes(app: ApiApp, s: InventoryServices): void {
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
}
