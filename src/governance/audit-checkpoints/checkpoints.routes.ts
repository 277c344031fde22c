import { z } from 'zod';
import {
  auditFullVerifySchema,
  auditVerifyRequestSchema,
  checkpointListSchema,
  storedCheckpointSchema,
} from '../../contracts/audit.ts';
import { streamAuditEvents } from '../../platform/audit/audit-trail.ts';
import { verifyAuditChain } from '../../platform/audit/audit-verify.ts';
import { verifyTrail } from '../../platform/audit/trail-verify.ts';
import { demand } from '../../platform/auth/identity.routes.ts';
import type { Db } from '../../platform/db/database.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, principalOf } from '../../platform/http/request-context.ts';
import type { CheckpointsService } from './checkpoints.service.ts';

/** Signed checkpoints of the chain head, and the verify that checks the chain against them. */
export function registerCheckpointRoutes(
  app: ApiApp,
  deps: { checkpoints: CheckpointsService; db: Db },
): void {
  const { checkpoints, db } = deps;
  app.route({
    method: 'GET',
    url: '/api/v1/audit/checkpoints',
    schema: {
      tags: ['audit'],
      summary: 'Signed checkpoints of the audit chain head, newest first',
      querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: { 200: checkpointListSchema },
    },
    handler: async (req) => ({ items: await checkpoints.list(callerOf(req), req.query.limit) }),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/audit/checkpoints/latest',
    schema: {
      tags: ['audit'],
      summary: 'The newest signed checkpoint of the audit chain head',
      response: { 200: storedCheckpointSchema },
    },
    handler: async (req) => checkpoints.latest(callerOf(req)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/audit/checkpoints',
    schema: {
      tags: ['audit'],
      summary: 'Make a signed checkpoint of the chain head now (published like scheduled ones)',
      response: { 201: storedCheckpointSchema },
    },
    handler: async (req, reply) => {
      reply.code(201);
      return checkpoints.create(callerOf(req));
    },
  });
  app.route({
    method: 'POST',
    url: '/api/v1/audit/verify',
    schema: {
      tags: ['audit'],
      summary:
        'Verify the chain, that it still extends the given signed checkpoints, and (state: true) that the state tables match the trail',
      body: auditVerifyRequestSchema,
      response: { 200: auditFullVerifySchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'audit.verify');
      const started = performance.now();
      await db.linkAudit(); // events committed before now are in the chain (the outbox emptied)
      const chain = await verifyAuditChain(streamAuditEvents(db));
      const result = await verifyTrail(db, chain, {
        checkpoints: req.body.checkpoints,
        state: req.body.state,
        trusted: null,
      });
      return { ...result, chain: { ...chain, elapsedMs: Math.round(performance.now() - started) } };
    },
  });
}
