import { Readable } from 'node:stream';
import { newId } from '../../src/platform/ids.ts';
import { modelFor } from './inventory-permission-cases.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';

/** A finished job of the caller's own (with a stored artifact), written straight to the jobs table. */
async function ownJob(ctx: CaseContext): Promise<string> {
  const { s, actor } = ctx;
  const content = Buffer.from(`artifact ${ctx.unique}`);
  const stored = await s.services.blobs.put(Readable.from([content]), 1024);
  const id = newId();
  const at = new Date().toISOString();
  await s.services.jobs.store.insert({
    id,
    kind: 'audit-package.build',
    params_json: JSON.stringify({ model: 'fixture' }),
    subject: 'fixture',
    status: 'succeeded',
    progress_json: null,
    attempts: 1,
    result_json: JSON.stringify({
      artifact: { ...stored, filename: 'fixture.zip', contentType: 'application/zip' },
    }),
    error: null,
    requested_by: actor.userId,
    principal_json: JSON.stringify({ ...actor, tokenId: 'fixture' }),
    worker: 'fixture',
    created_at: at,
    started_at: at,
    finished_at: at,
    updated_at: at,
  });
  return id;
}

/** Cases for the background jobs (POST requests a package build on the caller's model). */
export const JOB_CASES: Record<string, RouteCase> = {
  'POST /api/v1/jobs': {
    success: 202,
    build: async (ctx) => ({
      url: '/api/v1/jobs',
      body: { kind: 'audit-package.build', params: { model: (await modelFor(ctx)).key } },
    }),
  },
  'GET /api/v1/jobs': { success: 200, build: async () => ({ url: '/api/v1/jobs?all=true' }) },
  'GET /api/v1/jobs/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/jobs/${await ownJob(ctx)}` }),
  },
  'GET /api/v1/jobs/:id/artifact': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/jobs/${await ownJob(ctx)}/artifact` }),
  },
};
