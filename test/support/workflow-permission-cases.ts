import type { RouteCase } from './permission-cases.ts';

/** Cases for the workflow routes (policy, tiering, reviews, evidence) as they are added. */
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
};
