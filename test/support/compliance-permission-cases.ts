import { modelFor, ok } from './inventory-permission-cases.ts';
import type { RouteCase } from './permission-cases.ts';

const NA = {
  catalog: 'eu-ai-act',
  requirement: 'euaia-annexIV.1f',
  reason: 'Software only: no product photographs, markings or internal layout exist',
};

/** Cases for the compliance mapping routes (issue 18). */
export const COMPLIANCE_CASES: Record<string, RouteCase> = {
  'GET /api/v1/compliance/catalogs': {
    success: 200,
    build: async () => ({ url: '/api/v1/compliance/catalogs' }),
  },
  'GET /api/v1/compliance/catalogs/:id': {
    success: 200,
    build: async () => ({ url: '/api/v1/compliance/catalogs/sr-26-2' }),
  },
  'GET /api/v1/compliance/catalogs/:id/oscal': {
    success: 200,
    build: async () => ({ url: '/api/v1/compliance/catalogs/sr-26-2/oscal' }),
  },
  'GET /api/v1/compliance/oscal/component-definition': {
    success: 200,
    build: async () => ({ url: '/api/v1/compliance/oscal/component-definition' }),
  },
  'GET /api/v1/compliance/crosswalk': {
    success: 200,
    build: async () => ({ url: '/api/v1/compliance/crosswalk?requirement=nist-ai-rmf:MEASURE-2.11' }),
  },
  'GET /api/v1/compliance/portfolio': {
    success: 200,
    build: async () => ({ url: '/api/v1/compliance/portfolio?catalog=sr-26-2' }),
  },
  'GET /api/v1/models/:key/compliance': {
    success: 200,
    build: async (ctx) => ({ url: `/api/v1/models/${(await modelFor(ctx)).key}/compliance?catalog=sr-26-2` }),
  },
  'GET /api/v1/models/:key/compliance/annex-iv': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/compliance/annex-iv?format=md`,
    }),
  },
  'GET /api/v1/models/:key/compliance/oscal': {
    success: 200,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/compliance/oscal?catalog=sr-26-2`,
    }),
  },
  'POST /api/v1/models/:key/compliance/not-applicable': {
    success: 201,
    build: async (ctx) => ({
      url: `/api/v1/models/${(await modelFor(ctx)).key}/compliance/not-applicable`,
      body: NA,
    }),
  },
  'POST /api/v1/compliance/not-applicable/:id/withdraw': {
    success: 200,
    build: async (ctx) => {
      const { key } = await modelFor(ctx);
      const na = await ok<{ id: string }>(
        ctx.s,
        'POST',
        `/api/v1/models/${key}/compliance/not-applicable`,
        NA,
      );
      return {
        url: `/api/v1/compliance/not-applicable/${na.id}/withdraw`,
        body: { reason: 'assessed again' },
      };
    },
  },
};
