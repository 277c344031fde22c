import { modelFor } from './inventory-permission-cases.ts';
import type { RouteCase } from './permission-cases.ts';

/** Cases for the signing keys, the audit package and the audit checkpoints. */
export const AUDIT_PACKAGE_CASES: Record<string, RouteCase> = {
  'GET /api/v1/keys': { success: 200, build: async () => ({ url: '/api/v1/keys' }) },
  'POST /api/v1/keys/rotate': { success: 200, build: async () => ({ url: '/api/v1/keys/rotate' }) },
  'POST /api/v1/audit/checkpoints': {
    success: 201,
    build: async () => ({ url: '/api/v1/audit/checkpoints' }),
  },
  'GET /api/v1/audit/checkpoints': {
    success: 200,
    build: async () => ({ url: '/api/v1/audit/checkpoints' }),
  },
  'GET /api/v1/audit/checkpoints/latest': {
    success: 200,
    build: async ({ s }) => {
      const made = await s.call('POST', '/api/v1/audit/checkpoints');
      if (made.statusCode !== 201) throw new Error(`fixture checkpoint failed: ${made.body}`);
      return { url: '/api/v1/audit/checkpoints/latest' };
    },
  },
  'POST /api/v1/audit/verify': {
    success: 200,
    build: async () => ({ url: '/api/v1/audit/verify', body: { state: false } }),
  },
  'GET /api/v1/models/:key/audit-package': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await modelFor(ctx)).key}/audit-package` }),
  },
};
