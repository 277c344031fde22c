import { z } from 'zod';
import {
  catalogFileSchema,
  catalogSummarySchema,
  crosswalkAnswerSchema,
  modelComplianceSchema,
  notApplicableSchema,
  type PortfolioQuery,
  portfolioAnswerSchema,
} from '../contracts/compliance.ts';
import type { Query, Transport } from './client.ts';

/** Compliance mapping: catalogs, crosswalk, per-model status, portfolio, Annex IV documentation. */
export function complianceApi(t: Transport) {
  const model = (key: string) => `/api/v1/models/${encodeURIComponent(key)}/compliance`;
  return {
    catalogs: () => t.call('GET', '/api/v1/compliance/catalogs', { schema: z.array(catalogSummarySchema) }),
    catalog: (id: string) =>
      t.call('GET', `/api/v1/compliance/catalogs/${encodeURIComponent(id)}`, { schema: catalogFileSchema }),
    /** What else evidence for `requirement` (`catalog:id`) bears on. */
    crosswalk: (requirement: string, depth = 2) =>
      t.call('GET', '/api/v1/compliance/crosswalk', {
        query: { requirement, depth: String(depth) },
        schema: crosswalkAnswerSchema,
      }),
    /** A version's computed status per catalog (latest version unless named). */
    status: (key: string, o: { version?: string; catalog?: string } = {}) =>
      t.call('GET', model(key), { query: o as Query, schema: modelComplianceSchema }),
    portfolio: (q: Partial<Record<keyof PortfolioQuery, string | number>> = {}) =>
      t.call('GET', '/api/v1/compliance/portfolio', { query: q as Query, schema: portfolioAnswerSchema }),
    /** The Annex IV technical documentation as md, html or pdf bytes. */
    annexIv: (key: string, format: 'md' | 'html' | 'pdf' = 'md', version?: string) =>
      t.bytes('GET', `${model(key)}/annex-iv`, {
        query: (version ? { format, version } : { format }) as Query,
      }),
    /** OSCAL 1.1.3 JSON bytes: a catalog, the policy's mapping as a component definition, or a version's assessment results. */
    oscalCatalog: (id: string) =>
      t.bytes('GET', `/api/v1/compliance/catalogs/${encodeURIComponent(id)}/oscal`),
    oscalComponentDefinition: () => t.bytes('GET', '/api/v1/compliance/oscal/component-definition'),
    oscalResults: (key: string, o: { version?: string; catalog?: string } = {}) =>
      t.bytes('GET', `${model(key)}/oscal`, { query: o as Query }),
    notApplicable: (key: string, input: { catalog: string; requirement: string; reason: string }) =>
      t.call('POST', `${model(key)}/not-applicable`, { json: input, schema: notApplicableSchema }),
    withdrawNotApplicable: (id: string, reason: string) =>
      t.call('POST', `/api/v1/compliance/not-applicable/${encodeURIComponent(id)}/withdraw`, {
        json: { reason },
        schema: notApplicableSchema,
      }),
  };
}
