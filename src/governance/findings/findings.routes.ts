import {
  acceptanceCreateSchema,
  acceptanceDecisionSchema,
  acceptanceListQuerySchema,
  acceptanceSchema,
  findingCreateSchema,
  findingListQuerySchema,
  findingSchema,
  findingTransitionSchema,
} from '../../contracts/findings.ts';
import { pageOf } from '../../contracts/identity.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { ifMatchVersion } from '../../platform/http/request-context.ts';
import { callerOf, idParams, versionParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { AcceptancesService } from '../acceptances/acceptances.service.ts';
import type { FindingsService } from './findings.service.ts';

/** Findings and risk acceptance routes. */
export function registerFindingRoutes(
  app: ApiApp,
  services: { findings: FindingsService; acceptances: AcceptancesService },
): void {
  const { findings, acceptances } = services;
  const tags = ['findings'];
  app.route({
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/findings',
    schema: {
      tags,
      summary:
        'Raise a finding (due date from the policy SLA; repeats linked); adopting a suggestion already adopted returns its finding (200)',
      params: versionParams,
      body: findingCreateSchema,
      response: { 200: findingSchema, 201: findingSchema },
    },
    handler: async (req, reply) => {
      const { finding, created } = await findings.raiseOrAdopt(
        callerOf(req),
        req.params.key,
        req.params.label,
        req.body,
      );
      return withEtag(reply.status(created ? 201 : 200), finding);
    },
  });
  app.route({
    method: 'GET',
    url: '/api/v1/findings',
    schema: {
      tags,
      summary: 'Findings the caller may see',
      querystring: findingListQuerySchema,
      response: { 200: pageOf(findingSchema) },
    },
    handler: (req) => findings.list(callerOf(req), req.query),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/findings/:id',
    schema: { tags, summary: 'One finding', params: idParams, response: { 200: findingSchema } },
    handler: async (req, reply) => withEtag(reply, await findings.get(callerOf(req), req.params.id)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/findings/:id/transition',
    schema: {
      tags,
      summary:
        'Start remediation, submit for verification (closure evidence), verify (not the remediator), reject',
      params: idParams,
      body: findingTransitionSchema,
      response: { 200: findingSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await findings.transition(callerOf(req), req.params.id, req.body, ifMatchVersion(req))),
  });

  const atags = ['risk acceptances'];
  app.route({
    method: 'POST',
    url: '/api/v1/risk-acceptances',
    schema: {
      tags: atags,
      summary: 'Request accepting the residual risk of findings (expiry capped by the policy)',
      body: acceptanceCreateSchema,
      response: { 201: acceptanceSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply.status(201), await acceptances.request(callerOf(req), req.body)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/risk-acceptances',
    schema: {
      tags: atags,
      summary: 'Risk acceptances the caller may see',
      querystring: acceptanceListQuerySchema,
      response: { 200: pageOf(acceptanceSchema) },
    },
    handler: (req) => acceptances.list(callerOf(req), req.query),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/risk-acceptances/:id',
    schema: {
      tags: atags,
      summary: 'One risk acceptance',
      params: idParams,
      response: { 200: acceptanceSchema },
    },
    handler: async (req, reply) => withEtag(reply, await acceptances.get(callerOf(req), req.params.id)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/risk-acceptances/:id/approve',
    schema: {
      tags: atags,
      summary: 'Approve (not the requester; a role the policy allows for the severity)',
      params: idParams,
      body: acceptanceDecisionSchema,
      response: { 200: acceptanceSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await acceptances.approve(callerOf(req), req.params.id, req.body.note)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/risk-acceptances/:id/reject',
    schema: {
      tags: atags,
      summary: 'Reject a pending acceptance',
      params: idParams,
      body: acceptanceDecisionSchema,
      response: { 200: acceptanceSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await acceptances.reject(callerOf(req), req.params.id, req.body.note)),
  });
}
