import { z } from 'zod';
import { modelKeySchema } from '../../contracts/inventory.ts';
import {
  tieringDecisionSchema,
  tieringRequestSchema,
  tieringSchema,
  tierOverrideDecisionSchema,
  tierOverrideRequestSchema,
  tierOverrideSchema,
} from '../../contracts/policy.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, ifMatchVersion } from '../../platform/http/request-context.ts';
import type { TieringService } from './tiering.service.ts';

const keyParams = z.strictObject({ key: modelKeySchema });
const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
const idParams = z.strictObject({ id: z.string().min(1).max(200) });
const tags = ['tiering'];

/** Tiering questionnaires, EU AI Act classification and tier overrides. */
export function registerTieringRoutes(app: ApiApp, services: { tiering: TieringService }): void {
  const { tiering } = services;
  app.route({
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/tiering',
    schema: {
      tags,
      summary:
        'Answer the tiering questionnaire for a version; sets the model tier and EU AI Act class from the active policy (202: a lowering re-tiering of a frozen or approved version, pending a second governance person)',
      params: versionParams,
      body: tieringRequestSchema,
      response: { 201: tieringSchema, 202: tieringSchema },
    },
    handler: async (req, reply) => {
      const t = await tiering.assess(callerOf(req), req.params.key, req.params.label, req.body);
      reply.status(t.status === 'pending' ? 202 : 201);
      return t;
    },
  });
  for (const outcome of ['approve', 'reject'] as const) {
    app.route({
      method: 'POST',
      url: `/api/v1/tierings/:id/${outcome}`,
      schema: {
        tags,
        summary: `${outcome === 'approve' ? 'Approve' : 'Reject'} a pending re-tiering (a second governance person: not its requester, not the model's owner or developers)`,
        params: idParams,
        body: tieringDecisionSchema.optional(),
        response: { 200: tieringSchema },
      },
      handler: (req) =>
        tiering.decideTiering(
          callerOf(req),
          req.params.id,
          outcome === 'approve' ? 'approved' : 'rejected',
          req.body?.note,
          ifMatchVersion(req),
        ),
    });
  }
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/tiering',
    schema: {
      tags,
      summary: 'The latest tiering of a version',
      params: versionParams,
      response: { 200: tieringSchema },
    },
    handler: (req) => tiering.latestForVersion(callerOf(req), req.params.key, req.params.label),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/tierings',
    schema: {
      tags,
      summary: 'Every tiering of a model, newest first',
      params: keyParams,
      response: { 200: z.object({ items: z.array(tieringSchema) }) },
    },
    handler: async (req) => ({ items: await tiering.history(callerOf(req), req.params.key) }),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/models/:key/tier-overrides',
    schema: {
      tags,
      summary: 'Request a tier other than the computed one (needs a justification and a second person)',
      params: keyParams,
      body: tierOverrideRequestSchema,
      response: { 201: tierOverrideSchema },
    },
    handler: async (req, reply) => {
      reply.status(201);
      return tiering.requestOverride(callerOf(req), req.params.key, req.body.tier, req.body.justification);
    },
  });
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/tier-overrides',
    schema: {
      tags,
      summary: 'Tier overrides of a model, newest first',
      params: keyParams,
      response: { 200: z.object({ items: z.array(tierOverrideSchema) }) },
    },
    handler: async (req) => ({ items: await tiering.overrides(callerOf(req), req.params.key) }),
  });
  for (const outcome of ['approve', 'reject'] as const) {
    app.route({
      method: 'POST',
      url: `/api/v1/tier-overrides/:id/${outcome}`,
      schema: {
        tags,
        summary: `${outcome === 'approve' ? 'Approve' : 'Reject'} a pending tier override (not by its requester)`,
        params: idParams,
        body: tierOverrideDecisionSchema.optional(),
        response: { 200: tierOverrideSchema },
      },
      handler: (req) =>
        tiering.decideOverride(
          callerOf(req),
          req.params.id,
          outcome === 'approve' ? 'approved' : 'rejected',
          req.body?.note,
          ifMatchVersion(req),
        ),
    });
  }
}
