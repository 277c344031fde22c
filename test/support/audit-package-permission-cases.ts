import { modelFor } from './inventory-permission-cases.ts';
import type { RouteCase } from './permission-cases.ts';

/** Cases for the signing keys and the audit package. */
export const AUDIT_PACKAGE_CASES: Record<string, RouteCase> = {
  'GET /api/v1/keys': { success: 200, build: async () => ({ url: '/api/v1/keys' }) },
  'GET /api/v1/models/:key/audit-package': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await modelFor(ctx)).key}/audit-package` }),
  },
};
