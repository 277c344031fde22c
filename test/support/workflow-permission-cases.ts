import { FIXTURE_VALIDATOR } from './decision-permission-cases.ts';
import { modelFor, ok } from './inventory-permission-cases.ts';
import { multipart } from './multipart.ts';
import type { CaseContext, RouteCase } from './permission-cases.ts';
import type { TestServer } from './test-server.ts';

/** Answers every tiering question of the active policy with its first answer. */
async function tieringAnswers(s: TestServer): Promise<Record<string, string>> {
  const policy = (await s.call('GET', '/api/v1/policy')).json() as {
    document: { tiering: { questions: { id: string; answers: { id: string }[] }[] } };
  };
  return Object.fromEntries(policy.document.tiering.questions.map((q) => [q.id, q.answers[0]!.id]));
}

/** A model the caller relates to as asked, with a tiering of 1.0.0 (done by the admin). */
async function tieredModel(ctx: CaseContext) {
  const { key } = await modelFor(ctx);
  const tiering = await ok<{ id: string; computedTier: number }>(
    ctx.s,
    'POST',
    `/api/v1/models/${key}/versions/1.0.0/tiering`,
    { answers: await tieringAnswers(ctx.s) },
  );
  return { key, tiering };
}

/** A pending tier override requested by the admin (so any other user may decide it). */
async function pendingOverride(ctx: CaseContext) {
  const { key, tiering } = await tieredModel(ctx);
  const toTier = tiering.computedTier === 1 ? 2 : tiering.computedTier - 1;
  const o = await ok<{ id: string }>(ctx.s, 'POST', `/api/v1/models/${key}/tier-overrides`, {
    tier: toTier,
    justification: 'the matrix needs a pending override to decide',
  });
  return o.id;
}

/** A policy version proposed by the fixture admin (so any other user may decide it); its number. */
async function proposedPolicy({ s, unique }: CaseContext): Promise<number> {
  const active = (await s.call('GET', '/api/v1/policy')).json() as { yaml: string };
  const proposal = await s.call('PUT', '/api/v1/policy', { yaml: `${active.yaml}\n# matrix ${unique}\n` });
  if (proposal.statusCode !== 202) throw new Error(`fixture policy proposal failed: ${proposal.body}`);
  return (proposal.json() as { version: number }).version;
}

/**
 * A pending re-tiering of a model the caller relates to as asked: the admin tiers 1.0.0 with the
 * riskiest answers, freezes it, and re-tiers it with the first (lowest) answers, which waits for a
 * second governance person.
 */
async function pendingTiering(ctx: CaseContext) {
  const { key } = await modelFor(ctx);
  const policy = (await ctx.s.call('GET', '/api/v1/policy')).json() as {
    document: { tiering: { questions: { id: string; answers: { id: string; weight: number }[] }[] } };
  };
  const riskiest = Object.fromEntries(
    policy.document.tiering.questions.map((q) => [
      q.id,
      [...q.answers].sort((a, b) => b.weight - a.weight)[0]!.id,
    ]),
  );
  const url = `/api/v1/models/${key}/versions/1.0.0/tiering`;
  await ok(ctx.s, 'POST', url, { answers: riskiest });
  await ok(ctx.s, 'POST', `/api/v1/models/${key}/versions/1.0.0/freeze`);
  const t = await ok<{ id: string; status: string }>(ctx.s, 'POST', url, {
    answers: await tieringAnswers(ctx.s),
  });
  if (t.status !== 'pending') throw new Error(`fixture re-tiering is ${t.status}, not pending`);
  return t.id;
}

/** Evidence with a stored file on version 1.0.0 of a model the caller relates to as asked. */
async function evidenceFor(ctx: CaseContext) {
  const { key } = await modelFor(ctx);
  const { body, headers } = multipart(
    { type: 'validation_report', title: 'Report' },
    Buffer.from('validation notes'),
    'report.txt',
    'text/plain',
  );
  const res = await ctx.s.call(
    'POST',
    `/api/v1/models/${key}/versions/1.0.0/evidence`,
    body,
    undefined,
    headers,
  );
  if (res.statusCode !== 201)
    throw new Error(`fixture evidence upload failed: ${res.statusCode} ${res.body}`);
  return { key, id: (res.json() as { id: string }).id };
}

/**
 * A review of 1.0.0 opened by the admin, taken as far as `upTo`; when assigned, the validator is the
 * caller if they have the validator role (only the assigned validator may move validation on).
 */
async function reviewFor(
  ctx: CaseContext,
  upTo: 'draft' | 'submitted' | 'assigned',
  known?: { key: string; type: 'periodic' },
) {
  const { key } = known ?? (await modelFor(ctx));
  const r = await ok<{ id: string }>(ctx.s, 'POST', `/api/v1/models/${key}/versions/1.0.0/reviews`, {
    type: known?.type ?? 'initial',
    gate: 'validation',
  });
  if (upTo !== 'draft') await ok(ctx.s, 'POST', `/api/v1/reviews/${r.id}/submit`);
  if (upTo === 'assigned') {
    const validator = ctx.actor.role === 'validator' ? ctx.actor.username : FIXTURE_VALIDATOR;
    await ok(ctx.s, 'POST', `/api/v1/reviews/${r.id}/validator`, { validator });
  }
  return { key, id: r.id };
}

/** Cases for the workflow routes (policy, tiering, evidence, reviews) as they are added. */
export const WORKFLOW_CASES: Record<string, RouteCase> = {
  'GET /api/v1/policy': { success: 200, build: async () => ({ url: '/api/v1/policy' }) },
  'GET /api/v1/policy/versions': { success: 200, build: async () => ({ url: '/api/v1/policy/versions' }) },
  'PUT /api/v1/policy': {
    success: 200,
    // Re-submitting the active policy is a valid (no-op) replacement.
    build: async ({ s }) => ({
      url: '/api/v1/policy',
      body: { yaml: (await s.call('GET', '/api/v1/policy')).json().yaml },
    }),
  },

  'POST /api/v1/policy/versions/:version/approve': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/policy/versions/${await proposedPolicy(ctx)}/approve`, body: {} }),
  },
  'POST /api/v1/policy/versions/:version/reject': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/policy/versions/${await proposedPolicy(ctx)}/reject`,
      body: { note: 'not now' },
    }),
  },

  'POST /api/v1/models/:key/versions/:label/tiering': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/tiering`,
      body: { answers: await tieringAnswers(ctx.s) },
    }),
  },
  'GET /api/v1/models/:key/versions/:label/tiering': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await tieredModel(ctx)).key}/versions/1.0.0/tiering` }),
  },
  'GET /api/v1/models/:key/tierings': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await tieredModel(ctx)).key}/tierings` }),
  },
  'POST /api/v1/models/:key/tier-overrides': {
    success: 201,
    build: async (ctx) => {
      const { key, tiering } = await tieredModel(ctx);
      return {
        url: `/api/v1/models/${key}/tier-overrides`,
        body: {
          tier: tiering.computedTier === 1 ? 2 : tiering.computedTier - 1,
          justification: 'a documented reason for a different tier',
        },
      };
    },
  },
  'GET /api/v1/models/:key/tier-overrides': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await tieredModel(ctx)).key}/tier-overrides` }),
  },
  'POST /api/v1/tierings/:id/approve': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/tierings/${await pendingTiering(ctx)}/approve`, body: {} }),
  },
  'POST /api/v1/tierings/:id/reject': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/tierings/${await pendingTiering(ctx)}/reject`, body: {} }),
  },
  'POST /api/v1/tier-overrides/:id/approve': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/tier-overrides/${await pendingOverride(ctx)}/approve`, body: {} }),
  },
  'POST /api/v1/tier-overrides/:id/reject': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/tier-overrides/${await pendingOverride(ctx)}/reject`, body: {} }),
  },

  'POST /api/v1/models/:key/versions/:label/evidence': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/evidence`,
      body: { type: 'model_card', title: 'Card', externalUrl: 'https://docs.example/card' },
    }),
  },
  'GET /api/v1/models/:key/versions/:label/evidence': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await evidenceFor(ctx)).key}/versions/1.0.0/evidence` }),
  },
  'GET /api/v1/evidence/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/evidence/${(await evidenceFor(ctx)).id}` }),
  },
  'GET /api/v1/evidence/:id/content': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/evidence/${(await evidenceFor(ctx)).id}/content` }),
  },
  'POST /api/v1/evidence/:id/supersede': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/evidence/${(await evidenceFor(ctx)).id}/supersede`,
      body: { reason: 'replaced by a newer report' },
    }),
  },

  'POST /api/v1/models/:key/versions/:label/reviews': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/versions/1.0.0/reviews`,
      body: { type: 'initial', gate: 'validation' },
    }),
  },
  'GET /api/v1/reviews': { success: 200, build: async () => ({ url: '/api/v1/reviews?limit=5' }) },
  'GET /api/v1/reviews/:id': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/reviews/${(await reviewFor(ctx, 'draft')).id}` }),
  },
  'GET /api/v1/reviews/:id/checklist': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/reviews/${(await reviewFor(ctx, 'draft')).id}/checklist` }),
  },
  'POST /api/v1/reviews/:id/submit': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/reviews/${(await reviewFor(ctx, 'draft')).id}/submit` }),
  },
  'POST /api/v1/reviews/:id/validator': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/reviews/${(await reviewFor(ctx, 'submitted')).id}/validator`,
      body: { validator: FIXTURE_VALIDATOR },
    }),
  },
  'POST /api/v1/reviews/:id/carry-forward': {
    success: 201,
    // Evidence from before a periodic review opened, carried into it by its assigned validator (or a steward).
    build: async (ctx) => {
      const { key, id: evidenceId } = await evidenceFor(ctx);
      ctx.s.clock.advance(1000);
      const review = await reviewFor(ctx, 'assigned', { key, type: 'periodic' });
      return {
        url: `/api/v1/reviews/${review.id}/carry-forward`,
        body: { evidenceId, reason: 'the report still describes this version unchanged' },
      };
    },
  },
  'POST /api/v1/reviews/:id/transition': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/reviews/${(await reviewFor(ctx, 'assigned')).id}/transition`,
      body: { event: 'start_validation' },
    }),
  },
};
