import {
  exceptionCreateSchema,
  exceptionDecisionSchema,
  exceptionListQuerySchema,
  exceptionPageSchema,
  exceptionReportSchema,
  exceptionRevokeSchema,
  exceptionSchema,
} from '../../contracts/exceptions.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, idParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { ExceptionReportService } from './exception-report.service.ts';
import type { ExceptionsService } from './exceptions.service.ts';

/** Lifecycle exceptions and the exception report. */
export function registerExceptionRoutes(
  app: ApiApp,
  services: { exceptions: ExceptionsService; exceptionReport: ExceptionReportService },
): void {
  const { exceptions, exceptionReport } = services;
  const tags = ['exceptions'];
  app.route({
    method: 'POST',
    url: '/api/v1/exceptions',
    schema: {
      tags,
      summary: 'Ask for a lifecycle exception (reason, bounded end date); a second person approves it',
      body: exceptionCreateSchema,
      response: { 201: exceptionSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply.status(201), await exceptions.request(callerOf(req), req.body)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/exceptions',
    schema: {
      tags,
      summary: 'Lifecycle exceptions the caller may see, newest first',
      querystring: exceptionListQuerySchema,
      response: { 200: exceptionPageSchema },
    },
    handler: (req) => exceptions.list(callerOf(req), req.query),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/exceptions/:id',
    schema: {
      tags,
      summary: 'One lifecycle exception',
      params: idParams,
      response: { 200: exceptionSchema },
    },
    handler: async (req, reply) => withEtag(reply, await exceptions.get(callerOf(req), req.params.id)),
  });
  for (const [verb, summary] of [
    ['approve', 'Approve (governance or admin; not the requester, owner or developers of the model)'],
    ['reject', 'Reject a requested exception'],
  ] as const) {
    app.route({
      method: 'POST',
      url: `/api/v1/exceptions/:id/${verb}`,
      schema: {
        tags,
        summary,
        params: idParams,
        body: exceptionDecisionSchema,
        response: { 200: exceptionSchema },
      },
      handler: async (req, reply) =>
        withEtag(reply, await exceptions[verb](callerOf(req), req.params.id, req.body.note)),
    });
  }
  app.route({
    method: 'POST',
    url: '/api/v1/exceptions/:id/revoke',
    schema: {
      tags,
      summary: 'Revoke an approved exception before its end date, with a reason',
      params: idParams,
      body: exceptionRevokeSchema,
      response: { 200: exceptionSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await exceptions.revoke(callerOf(req), req.params.id, req.body.reason)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/reports/exceptions',
    schema: {
      tags: ['reports'],
      summary:
        'What an auditor looks for first: production without approval, denied deployments, retired but deployed, approvals on a changed tier, overdue conditions, lapsed acceptances, exceptions in force',
      response: { 200: exceptionReportSchema },
    },
    handler: (req) => exceptionReport.report(callerOf(req)),
  });
}
