import { modelFor, ok } from './inventory-permission-cases.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';

/** A user with the validator role, independent of every fixture model. */
export const FIXTURE_VALIDATOR = 'fixture-validator';

const FIXTURE_FINDING_OWNER = 'fixture-owner';

/** A low finding raised by the admin on 1.0.0 of a model the caller relates to as asked. */
async function findingFor(ctx: CaseContext) {
  const { key } = await modelFor(ctx);
  const f = await ok<{ id: string }>(ctx.s, 'POST', `/api/v1/models/${key}/versions/1.0.0/findings`, {
    title: `Finding ${ctx.unique}`,
    description: 'matrix fixture',
    category: 'documentation',
    severity: 'low',
    owner: FIXTURE_FINDING_OWNER,
  });
  return { key, id: f.id };
}

/** A pending risk acceptance requested by the admin. */
async function acceptanceFor(ctx: CaseContext) {
  const { id } = await findingFor(ctx);
  const a = await ok<{ id: string }>(ctx.s, 'POST', '/api/v1/risk-acceptances', {
    findingIds: [id],
    rationale: 'matrix fixture acceptance',
    expiresAt: new Date(ctx.s.clock.now().getTime() + 30 * 86_400_000).toISOString(),
  });
  return a.id;
}

/** A review of 1.0.0 taken by the admin to decision_pending (with the checklist's evidence when asked). */
async function pendingReview(ctx: CaseContext, withEvidence: boolean) {
  const { key } = await modelFor(ctx);
  if (withEvidence)
    for (const type of ['model_card', 'data_sheet', 'test_results'])
      await ok(ctx.s, 'POST', `/api/v1/models/${key}/versions/1.0.0/evidence`, {
        type,
        title: type,
        externalUrl: `https://evidence.example.com/${type}`,
      });
  const r = await ok<{ id: string }>(ctx.s, 'POST', `/api/v1/models/${key}/versions/1.0.0/reviews`, {
    type: 'initial',
    gate: 'validation',
  });
  await ok(ctx.s, 'POST', `/api/v1/reviews/${r.id}/submit`);
  await ok(ctx.s, 'POST', `/api/v1/reviews/${r.id}/validator`, { validator: FIXTURE_VALIDATOR });
  await ok(ctx.s, 'POST', `/api/v1/reviews/${r.id}/transition`, { event: 'start_validation' });
  await ok(ctx.s, 'POST', `/api/v1/reviews/${r.id}/transition`, { event: 'request_decision' });
  return { key, reviewId: r.id };
}

/** A pending `reject` decision proposed by the admin (one eligible signature makes it final). */
async function pendingDecision(ctx: CaseContext) {
  const { reviewId } = await pendingReview(ctx, false);
  return ok<{ id: string }>(ctx.s, 'POST', `/api/v1/reviews/${reviewId}/decisions`, {
    outcome: 'reject',
    rationale: 'matrix fixture',
  });
}

/** A final (reject) decision: proposed by the admin, signed by a fresh governance user. */
async function finalDecision(ctx: CaseContext) {
  const d = await pendingDecision(ctx);
  const { token } = await ctx.s.userToken(`fx-signer-${ctx.unique}`, 'governance');
  const res = await ctx.s.call('POST', `/api/v1/decisions/${d.id}/sign`, {}, token);
  if (res.statusCode !== 200) throw new Error(`fixture signature failed: ${res.statusCode} ${res.body}`);
  return d;
}

/** A condition (owned by someone else) of an approve_with_conditions decision. */
async function conditionFor(ctx: CaseContext) {
  const { reviewId } = await pendingReview(ctx, true);
  const d = await ok<{ conditions: { id: string }[] }>(
    ctx.s,
    'POST',
    `/api/v1/reviews/${reviewId}/decisions`,
    {
      outcome: 'approve_with_conditions',
      rationale: 'matrix fixture',
      conditions: [
        {
          text: 'Monitor drift monthly',
          owner: FIXTURE_FINDING_OWNER,
          dueAt: new Date(ctx.s.clock.now().getTime() + 90 * 86_400_000).toISOString(),
        },
      ],
    },
  );
  return d.conditions[0]!.id;
}

async function webhookId(ctx: CaseContext) {
  const w = await ok<{ id: string }>(ctx.s, 'POST', '/api/v1/webhooks', {
    url: 'http://127.0.0.1:9/hook',
    events: ['gate.denied'],
    secret: 'matrix-fixture-secret',
    allowPrivate: true,
  });
  return w.id;
}

/** Cases for findings, risk acceptances, decisions, conditions, the gate, metrics, webhooks and the scheduler. */
export const DECISION_CASES: Record<string, RouteCase> = {
  'POST /api/v1/models/:key/versions/:label/findings': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/findings`,
      body: {
        title: 'Missing limitations',
        description: 'x',
        category: 'documentation',
        severity: 'low',
        owner: FIXTURE_FINDING_OWNER,
      },
    }),
  },
  'GET /api/v1/findings': { success: 200, build: async () => ({ url: '/api/v1/findings' }) },
  'GET /api/v1/findings/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/findings/${(await findingFor(ctx)).id}` }),
  },
  'POST /api/v1/findings/:id/transition': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/findings/${(await findingFor(ctx)).id}/transition`,
      body: { event: 'start_remediation', remediationPlan: 'Fix it' },
    }),
  },
  'POST /api/v1/risk-acceptances': {
    success: 201,
    build: async (ctx) => ({
      url: '/api/v1/risk-acceptances',
      body: {
        findingIds: [(await findingFor(ctx)).id],
        rationale: 'compensating controls in place',
        expiresAt: new Date(ctx.s.clock.now().getTime() + 30 * 86_400_000).toISOString(),
      },
    }),
  },
  'GET /api/v1/risk-acceptances': { success: 200, build: async () => ({ url: '/api/v1/risk-acceptances' }) },
  'GET /api/v1/risk-acceptances/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/risk-acceptances/${await acceptanceFor(ctx)}` }),
  },
  'POST /api/v1/risk-acceptances/:id/approve': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/risk-acceptances/${await acceptanceFor(ctx)}/approve`, body: {} }),
  },
  'POST /api/v1/risk-acceptances/:id/reject': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/risk-acceptances/${await acceptanceFor(ctx)}/reject`, body: {} }),
  },
  'POST /api/v1/reviews/:id/decisions': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/reviews/${(await pendingReview(ctx, false)).reviewId}/decisions`,
      body: { outcome: 'reject', rationale: 'not fit for purpose' },
    }),
  },
  'GET /api/v1/decisions': { success: 200, build: async () => ({ url: '/api/v1/decisions' }) },
  'GET /api/v1/decisions/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/decisions/${(await pendingDecision(ctx)).id}` }),
  },
  'POST /api/v1/decisions/:id/sign': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/decisions/${(await pendingDecision(ctx)).id}/sign`, body: {} }),
  },
  'POST /api/v1/decisions/:id/withdraw': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/decisions/${(await pendingDecision(ctx)).id}/withdraw`,
      body: { reason: 'the matrix withdraws this pending decision' },
    }),
  },
  'POST /api/v1/decisions/:id/void': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/decisions/${(await finalDecision(ctx)).id}/void`,
      body: { reason: 'the matrix voids this final decision' },
    }),
  },
  'POST /api/v1/conditions/:id/met': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/conditions/${await conditionFor(ctx)}/met`, body: {} }),
  },
  'GET /api/v1/gate': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/gate?model=${(await modelFor(ctx)).key}&version=1.0.0&env=production`,
    }),
  },
  'GET /api/v1/metrics': { success: 200, build: async () => ({ url: '/api/v1/metrics' }) },
  'POST /api/v1/webhooks': {
    success: 201,
    build: async () => ({
      url: '/api/v1/webhooks',
      body: {
        url: 'http://127.0.0.1:9/hook',
        events: ['review.opened'],
        secret: 'matrix-secret-abcdef',
        allowPrivate: true,
      },
    }),
  },
  'GET /api/v1/webhooks': { success: 200, build: async () => ({ url: '/api/v1/webhooks' }) },
  'POST /api/v1/webhooks/:id/deactivate': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/webhooks/${await webhookId(ctx)}/deactivate` }),
  },
  'GET /api/v1/webhooks/:id/deliveries': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/webhooks/${await webhookId(ctx)}/deliveries` }),
  },
  'POST /api/v1/scheduler/run': { success: 200, build: async () => ({ url: '/api/v1/scheduler/run' }) },
};
