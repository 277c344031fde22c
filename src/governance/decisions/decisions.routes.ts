import {
  conditionMetSchema,
  conditionSchema,
  decisionCreateSchema,
  decisionListQuerySchema,
  decisionSchema,
  decisionSignSchema,
} from '../../contracts/decisions.ts';
import { pageOf } from '../../contracts/identity.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, idParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { DecisionsService } from './decisions.service.ts';

/** Decision routes: propose on a review, sign, read, list, meet a condition. */
export function registerDecisionRoutes(app: ApiApp, services: { decisions: DecisionsService }): void {
  const { decisions } = services;
  const tags = ['decisions'];
  app.route({
    method: 'POST',
    url: '/api/v1/reviews/:id/decisions',
    schema: {
      tags,
      summary: 'Propose a decision on a review pending one (sign-off roles from the tier)',
      params: idParams,
      body: decisionCreateSchema,
      response: { 201: decisionSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply.status(201), await decisions.propose(callerOf(req), req.params.id, req.body)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/decisions',
    schema: {
      tags,
      summary: 'Decisions the caller may see',
      querystring: decisionListQuerySchema,
      response: { 200: pageOf(decisionSchema) },
    },
    handler: (req) => decisions.list(callerOf(req), req.query),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/decisions/:id',
    schema: {
      tags,
      summary: 'One decision with signatures, binding and conditions',
      params: idParams,
      response: { 200: decisionSchema },
    },
    handler: async (req, reply) => withEtag(reply, await decisions.get(callerOf(req), req.params.id)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/decisions/:id/sign',
    schema: {
      tags,
      summary: "Sign (never the model's owner, developers or the review's submitter)",
      params: idParams,
      body: decisionSignSchema,
      response: { 200: decisionSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await decisions.sign(callerOf(req), req.params.id, req.body.note)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/conditions/:id/met',
    schema: {
      tags,
      summary: 'Mark a condition of approval met',
      params: idParams,
      body: conditionMetSchema,
      response: { 200: conditionSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await decisions.meetCondition(callerOf(req), req.params.id, req.body.note)),
  });
}
