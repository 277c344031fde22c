import type { Caller } from '../../src/platform/auth/caller.ts';
import { FIXTURE_OWNER, modelFor } from './inventory-permission-cases.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';

const DAY = 86_400_000;

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

/** A critical drift signal for a deployment (fires at once: forWindows 1). */
async function signalFor(ctx: CaseContext, deploymentId: string) {
  const d = await ctx.s.store.db.kysely
    .selectFrom('deployments')
    .select(['model_id', 'version_id'])
    .where('id', '=', deploymentId)
    .executeTakeFirstOrThrow();
  const start = ctx.s.clock.now().getTime() - DAY;
  return {
    deploymentId,
    modelId: d.model_id,
    versionId: d.version_id,
    planId: 'plan',
    planVersion: 1,
    check: 'drift:age',
    kind: 'drift' as const,
    metric: 'psi',
    feature: 'age',
    windowStart: new Date(start).toISOString(),
    windowEnd: new Date(start + DAY).toISOString(),
    value: 0.4,
    warning: 0.1,
    critical: 0.25,
    direction: 'above' as const,
    severity: 'critical' as const,
    forWindows: 1,
    runbookUrl: null,
    evidence: { windowId: 'w', url: '/w' },
  };
}

/** A firing alert on a fresh model the caller holds `ctx.relation` to. */
async function alertFor(ctx: CaseContext): Promise<string> {
  const { deploymentId } = await modelFor(ctx, { deployment: true });
  const out = await ctx.s.services.alerts.ingestSignals([await signalFor(ctx, deploymentId)], {
    routes: [],
    repeatIntervalSeconds: 3600,
  });
  return out.fired[0]!;
}

async function incidentFor(ctx: CaseContext): Promise<string> {
  const { deploymentId } = await modelFor(ctx, { deployment: true });
  const i = await ctx.s.services.incidents.create(steward('fixture-commander'), {
    title: 'Scores degraded',
    description: 'AUC fell below the critical threshold',
    severity: 'high',
    impactBeganAt: new Date(ctx.s.clock.now().getTime() - DAY).toISOString(),
    deploymentIds: [deploymentId],
  });
  return i.id;
}

const onAlert = (path: string, body?: (ctx: CaseContext) => unknown): RouteCase => ({
  success: 200,
  build: async (ctx) => ({ url: `/api/v1/alerts/${await alertFor(ctx)}${path}`, body: body?.(ctx) }),
});
const onIncident = (path: string, body: unknown): RouteCase => ({
  success: 200,
  build: async (ctx) => ({ url: `/api/v1/incidents/${await incidentFor(ctx)}${path}`, body }),
});

/** Cases for alerts, silences and incidents. */
export const ALERT_CASES: Record<string, RouteCase> = {
  'GET /api/v1/alerts': { success: 200, build: async () => ({ url: '/api/v1/alerts?limit=5' }) },
  'POST /api/v1/alerts/signals': {
    success: 200,
    build: async (ctx) => {
      const { deploymentId } = await modelFor(ctx, { deployment: true });
      return {
        url: '/api/v1/alerts/signals',
        body: {
          signals: [await signalFor(ctx, deploymentId)],
          routing: { routes: [], repeatIntervalSeconds: 600 },
        },
      };
    },
  },
  'GET /api/v1/alerts/:id': onAlert(''),
  'GET /api/v1/alerts/:id/notifications': onAlert('/notifications'),
  'POST /api/v1/alerts/:id/acknowledge': onAlert('/acknowledge', () => ({})),
  'POST /api/v1/alerts/:id/assign': onAlert('/assign', () => ({ assignee: FIXTURE_OWNER })),
  'POST /api/v1/alerts/:id/triage': onAlert('/triage', () => ({ to: 'finding', owner: FIXTURE_OWNER })),
  'GET /api/v1/alert-silences': { success: 200, build: async () => ({ url: '/api/v1/alert-silences' }) },
  'POST /api/v1/alert-silences': {
    success: 201,
    build: async (ctx) => ({
      url: '/api/v1/alert-silences',
      body: {
        matchers: { check: `drift:${ctx.unique}` },
        reason: 'maintenance window for the feature store',
        endsAt: new Date(ctx.s.clock.now().getTime() + DAY).toISOString(),
      },
    }),
  },
  'POST /api/v1/alert-silences/:id/expire': {
    success: 200,
    build: async (ctx) => {
      const s = await ctx.s.services.silences.create(steward('fixture-silencer'), {
        matchers: { check: `drift:${ctx.unique}` },
        reason: 'maintenance window for the feature store',
        endsAt: new Date(ctx.s.clock.now().getTime() + DAY).toISOString(),
      });
      return { url: `/api/v1/alert-silences/${s.id}/expire`, body: {} };
    },
  },
  'GET /api/v1/incidents': { success: 200, build: async () => ({ url: '/api/v1/incidents?limit=5' }) },
  'POST /api/v1/incidents': {
    success: 201,
    build: async (ctx) => {
      const { deploymentId } = await modelFor(ctx, { deployment: true });
      return {
        url: '/api/v1/incidents',
        body: {
          title: 'Scores degraded',
          description: 'AUC fell',
          severity: 'medium',
          impactBeganAt: new Date(ctx.s.clock.now().getTime() - DAY).toISOString(),
          deploymentIds: [deploymentId],
        },
      };
    },
  },
  'GET /api/v1/incidents/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/incidents/${await incidentFor(ctx)}` }),
  },
  'POST /api/v1/incidents/:id/transition': onIncident('/transition', { to: 'acknowledged' }),
  'POST /api/v1/incidents/:id/notes': onIncident('/notes', { note: 'rolled back to 0.9' }),
  'POST /api/v1/incidents/:id/serious': onIncident('/serious', { serious: true, category: 'general' }),
  'POST /api/v1/incidents/:id/reported': {
    success: 200,
    build: async (ctx) => {
      const id = await incidentFor(ctx);
      await ctx.s.services.incidents.setSerious(steward('fixture-commander'), id, {
        serious: true,
        category: 'general',
      });
      return { url: `/api/v1/incidents/${id}/reported`, body: { reference: 'MSA-2026-0042' } };
    },
  },
  'POST /api/v1/incidents/:id/actions': {
    success: 200,
    build: async (ctx) => {
      const id = await incidentFor(ctx);
      const { key } = await modelFor({ ...ctx, unique: `${ctx.unique}-a` });
      return {
        url: `/api/v1/incidents/${id}/actions`,
        body: {
          modelKey: key,
          versionLabel: '1.0.0',
          title: 'Add a drift gate to the pipeline',
          description: 'Stop promotion when PSI exceeds 0.25',
          category: 'monitoring',
          severity: 'medium',
          owner: FIXTURE_OWNER,
        },
      };
    },
  },
};
