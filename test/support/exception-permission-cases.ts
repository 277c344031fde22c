import type { Caller } from '../../src/platform/auth/caller.ts';
import { modelFor } from './inventory-permission-cases.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';

const DAY = 86_400_000;

/** A steward who is neither the matrix's caller nor related to the fixture models. */
function steward(username: string): Caller {
  return {
    principal: {
      userId: `fixture-${username}`,
      username,
      role: 'governance',
      scope: 'write',
      tokenId: 'fixture',
    },
    audit: { actor: username, requestId: null },
  };
}

/** A requested (or approved) exception on a fresh model the caller holds `ctx.relation` to. */
async function exceptionFor(ctx: CaseContext, approved = false): Promise<string> {
  const { key } = await modelFor(ctx);
  const e = await ctx.s.services.exceptions.request(steward('fixture-requester'), {
    modelKey: key,
    allows: ['status_approved'],
    reason: 'Legacy model approved before the policy existed',
    until: new Date(ctx.s.clock.now().getTime() + 30 * DAY).toISOString(),
  });
  if (approved) await ctx.s.services.exceptions.approve(steward('fixture-approver'), e.id);
  return e.id;
}

/** Cases for lifecycle exceptions and the exception report. */
export const EXCEPTION_CASES: Record<string, RouteCase> = {
  'POST /api/v1/exceptions': {
    success: 201,
    build: async (ctx) => ({
      url: '/api/v1/exceptions',
      body: {
        modelKey: (await modelFor(ctx)).key,
        allows: ['status_approved'],
        reason: 'Legacy model approved before the policy existed',
        until: new Date(ctx.s.clock.now().getTime() + 30 * DAY).toISOString(),
      },
    }),
  },
  'GET /api/v1/exceptions': { success: 200, build: async () => ({ url: '/api/v1/exceptions?limit=5' }) },
  'GET /api/v1/exceptions/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/exceptions/${await exceptionFor(ctx)}` }),
  },
  'POST /api/v1/exceptions/:id/approve': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/exceptions/${await exceptionFor(ctx)}/approve`, body: {} }),
  },
  'POST /api/v1/exceptions/:id/reject': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/exceptions/${await exceptionFor(ctx)}/reject`,
      body: { note: 'no' },
    }),
  },
  'POST /api/v1/exceptions/:id/revoke': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/exceptions/${await exceptionFor(ctx, true)}/revoke`,
      body: { reason: 'validation finished early' },
    }),
  },
  'GET /api/v1/reports/exceptions': {
    success: 200,
    build: async () => ({ url: '/api/v1/reports/exceptions' }),
  },
};
