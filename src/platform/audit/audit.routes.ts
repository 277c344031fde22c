import { auditEventPageSchema, auditEventQuerySchema, auditVerifySchema } from '../../contracts/audit.ts';
import { demand } from '../auth/identity.routes.ts';
import type { Db } from '../db/database.ts';
import type { ApiApp } from '../http/http-app.ts';
import { principalOf } from '../http/request-context.ts';
import { queryAuditEvents } from './audit-query.ts';
import { pendingAuditEvents, streamAuditEvents } from './audit-trail.ts';
import { verifyAuditChain } from './audit-verify.ts';

/** The audit trail: page through events, and verify the chain on the live store. */
export function registerAuditRoutes(app: ApiApp, services: { db: Db }): void {
  const { db } = services;

  app.route({
    method: 'GET',
    url: '/api/v1/audit/events',
    schema: {
      tags: ['audit'],
      summary:
        'Page through audit events (filters: entity, model, actor, action or action prefix*, time range)',
      querystring: auditEventQuerySchema,
      response: { 200: auditEventPageSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'audit.read_all');
      return queryAuditEvents(db, req.query);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/audit/verify',
    schema: {
      tags: ['audit'],
      summary: 'Re-compute the hash chain over every stored event and report the first break',
      response: { 200: auditVerifySchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'audit.verify');
      const started = performance.now();
      await db.linkAudit(); // events committed before now are in the chain (the outbox emptied)
      const result = await verifyAuditChain(streamAuditEvents(db));
      const pending = await pendingAuditEvents(db);
      return { ...result, elapsedMs: Math.round(performance.now() - started), pending };
    },
  });
}
