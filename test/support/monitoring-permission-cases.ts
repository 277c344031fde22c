import { modelFor } from './inventory-permission-cases.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';

/** A small plan whose windows start two days before the clock (computed without rows: cheap). */
function smallPlan(ctx: CaseContext): string {
  const start = new Date(ctx.s.clock.now().getTime() - 2 * 86_400_000).toISOString();
  return `columns: { score: score }
baseline: { type: trailing, windows: 1 }
schedule: { start: '${start}' }
checks:
  - { kind: volume, metric: rows, warning: 1 }
`;
}

/** A deployment of a fresh model the caller holds `ctx.relation` to, with a plan (and computed windows). */
async function monitored(ctx: CaseContext, windows = false): Promise<{ id: string; windowId: string }> {
  const { deploymentId } = await modelFor(ctx, { deployment: true });
  const admin = {
    principal: {
      userId: 'fixture',
      username: 'admin',
      role: 'admin' as const,
      scope: 'admin' as const,
      tokenId: 'f',
    },
    audit: { actor: 'admin', requestId: null },
  };
  await ctx.s.services.monitoringPlans.apply(admin, deploymentId, smallPlan(ctx));
  let windowId = '';
  if (windows) windowId = (await ctx.s.services.monitoringRuns.run(admin, deploymentId, {}))[0]?.id ?? '';
  return { id: deploymentId, windowId };
}

const NDJSON = { 'content-type': 'application/x-ndjson' };
const line = (id: string) =>
  JSON.stringify({ predictionId: id, timestamp: '2026-01-01T00:00:00Z', features: { a: 1 }, score: 0.5 });

/** Cases for production monitoring (plans, ingestion, runs, series, windows). */
export const MONITORING_CASES: Record<string, RouteCase> = {
  'PUT /api/v1/deployments/:id/monitoring/plan': {
    success: 200,
    build: async (ctx) => {
      const { deploymentId } = await modelFor(ctx, { deployment: true });
      return { url: `/api/v1/deployments/${deploymentId}/monitoring/plan`, body: { text: smallPlan(ctx) } };
    },
  },
  'GET /api/v1/deployments/:id/monitoring/plan': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/deployments/${(await monitored(ctx)).id}/monitoring/plan` }),
  },
  'POST /api/v1/deployments/:id/monitoring/ingest': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/deployments/${(await monitored(ctx)).id}/monitoring/ingest?format=jsonl`,
      body: `${JSON.stringify({ prediction_id: ctx.unique, timestamp: '2026-01-01T00:00:00Z', a: 1, score: 0.5 })}\n`,
      headers: NDJSON,
    }),
  },
  'POST /api/v1/deployments/:id/monitoring/predictions': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/deployments/${(await monitored(ctx)).id}/monitoring/predictions`,
      body: line(ctx.unique),
      headers: NDJSON,
    }),
  },
  'POST /api/v1/deployments/:id/monitoring/outcomes': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/deployments/${(await monitored(ctx)).id}/monitoring/outcomes`,
      body: JSON.stringify({ predictionId: ctx.unique, label: 1 }),
      headers: NDJSON,
    }),
  },
  'POST /api/v1/deployments/:id/monitoring/run': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/deployments/${(await monitored(ctx)).id}/monitoring/run`,
      body: {},
    }),
  },
  'GET /api/v1/deployments/:id/monitoring/series': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/deployments/${(await monitored(ctx, true)).id}/monitoring/series`,
    }),
  },
  'GET /api/v1/deployments/:id/monitoring/windows/:windowId': {
    success: 200,
    build: async (ctx) => {
      const m = await monitored(ctx, true);
      return { url: `/api/v1/deployments/${m.id}/monitoring/windows/${m.windowId}` };
    },
  },
  'GET /api/v1/monitoring/unknown-deployments': {
    success: 200,
    build: async () => ({ url: '/api/v1/monitoring/unknown-deployments' }),
  },
};
