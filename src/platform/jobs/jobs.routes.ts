import { z } from 'zod';
import { jobListQuerySchema, jobListSchema, jobRequestSchema, jobSchema } from '../../contracts/jobs.ts';
import type { ApiApp } from '../http/http-app.ts';
import { callerOf } from '../http/request-context.ts';
import type { JobsService } from './jobs.service.ts';

const tags = ['jobs'];
const idParams = z.strictObject({ id: z.string().min(1).max(64) });

/**
 * Background jobs: POST /api/v1/jobs requests one (checked like the synchronous route it stands
 * for), GET lists and reads them with status and progress, and a finished job's file is downloaded
 * from /api/v1/jobs/{id}/artifact.
 */
export function registerJobRoutes(app: ApiApp, deps: { jobs: JobsService }): void {
  const { jobs } = deps;
  app.route({
    method: 'POST',
    url: '/api/v1/jobs',
    schema: {
      tags,
      summary: 'Request a background job (audit-package.build); runs on a worker, returns at once (202)',
      body: jobRequestSchema,
      response: { 202: jobSchema },
    },
    handler: async (req, reply) => {
      const job = await jobs.enqueue(callerOf(req), req.body);
      return reply.code(202).header('location', `/api/v1/jobs/${job.id}`).send(job);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/jobs',
    schema: {
      tags,
      summary: "Your jobs, newest first (all=true: everyone's, for admin, governance and auditor)",
      querystring: jobListQuerySchema,
      response: { 200: jobListSchema },
    },
    handler: async (req) => ({ items: await jobs.list(callerOf(req), req.query) }),
  });

  app.route({
    method: 'GET',
    url: '/api/v1/jobs/:id',
    schema: {
      tags,
      summary: 'One job: status, progress, attempts, result',
      params: idParams,
      response: { 200: jobSchema },
    },
    handler: (req) => jobs.get(callerOf(req), req.params.id),
  });

  app.route({
    method: 'GET',
    url: '/api/v1/jobs/:id/artifact',
    schema: { tags, summary: "The file a succeeded job produced (an audit package's zip)", params: idParams },
    handler: async (req, reply) => {
      const { artifact, stream } = await jobs.artifact(callerOf(req), req.params.id);
      reply
        .type(artifact.contentType)
        .header('content-length', String(artifact.size))
        .header(
          'content-disposition',
          `attachment; filename="${artifact.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('etag', `"${artifact.sha256}"`);
      return reply.send(stream);
    },
  });
}
