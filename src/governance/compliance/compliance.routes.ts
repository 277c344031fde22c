import { z } from 'zod';
import {
  catalogFileSchema,
  catalogIdSchema,
  catalogSummarySchema,
  complianceQuerySchema,
  crosswalkAnswerSchema,
  modelComplianceSchema,
  notApplicableCreateSchema,
  notApplicableSchema,
  portfolioAnswerSchema,
  portfolioQuerySchema,
  requirementRefSchema,
} from '../../contracts/compliance.ts';
import { modelKeySchema } from '../../contracts/inventory.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, idParams } from '../../platform/http/route-helpers.ts';
import type { AnnexIvService } from './annex-iv.service.ts';
import type { ComplianceService } from './compliance.service.ts';
import type { OscalService } from './oscal.service.ts';

const keyParams = z.strictObject({ key: modelKeySchema });
const tags = ['compliance'];

/** Catalogs, crosswalk, per-model status, the portfolio, not-applicable records and Annex IV documentation. */
export function registerComplianceRoutes(
  app: ApiApp,
  services: { compliance: ComplianceService; annexIv: AnnexIvService; oscal: OscalService },
): void {
  const { compliance, annexIv, oscal } = services;
  const oscalJson = 'application/oscal+json; charset=utf-8';
  app.route({
    method: 'GET',
    url: '/api/v1/compliance/catalogs/:id/oscal',
    schema: {
      tags,
      summary: 'A catalog as an OSCAL 1.1.3 catalog (validated against the NIST schema before it is sent)',
      params: z.strictObject({ id: catalogIdSchema }),
    },
    handler: (req, reply) => reply.type(oscalJson).send(JSON.stringify(oscal.catalog(req.params.id))),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/compliance/oscal/component-definition',
    schema: {
      tags,
      summary: "The active policy's compliance mapping as an OSCAL 1.1.3 component definition",
    },
    handler: async (_req, reply) =>
      reply.type(oscalJson).send(JSON.stringify(await oscal.componentDefinition())),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/compliance/catalogs',
    schema: {
      tags,
      summary: 'The requirement catalogs with source, version, date and licence',
      response: { 200: z.array(catalogSummarySchema) },
    },
    handler: () => compliance.listCatalogs(),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/compliance/catalogs/:id',
    schema: {
      tags,
      summary: 'One catalog with its requirements',
      params: z.strictObject({ id: catalogIdSchema }),
      response: { 200: catalogFileSchema },
    },
    handler: (req) => compliance.catalog(req.params.id),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/compliance/crosswalk',
    schema: {
      tags,
      summary: 'What else evidence for a requirement bears on (crosswalk edges, up to `depth` away)',
      querystring: z.strictObject({
        requirement: requirementRefSchema,
        depth: z.coerce.number().int().min(1).max(3).default(2),
      }),
      response: { 200: crosswalkAnswerSchema },
    },
    handler: (req) => compliance.crosswalk(req.query.requirement, req.query.depth),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/compliance/portfolio',
    schema: {
      tags,
      summary:
        'Requirement statuses of every visible model (latest version), filtered; with coverage per catalog',
      querystring: portfolioQuerySchema,
      response: { 200: portfolioAnswerSchema },
    },
    handler: (req) => compliance.portfolio(callerOf(req), req.query),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/compliance',
    schema: {
      tags,
      summary: "A version's compliance status per catalog, computed from its evidence, documents and records",
      params: keyParams,
      querystring: complianceQuerySchema,
      response: { 200: modelComplianceSchema },
    },
    handler: (req) => compliance.status(callerOf(req), req.params.key, req.query),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/compliance/annex-iv',
    schema: {
      tags,
      summary: 'EU AI Act Annex IV technical documentation of a version, item by item with sources and gaps',
      params: keyParams,
      querystring: z.strictObject({
        version: z.string().min(1).max(200).optional(),
        format: z.enum(['md', 'html', 'pdf']).default('md'),
      }),
    },
    handler: async (req, reply) => {
      const out = await annexIv.export(callerOf(req), req.params.key, req.query.version, req.query.format);
      const inline = out.contentType.startsWith('text/html');
      return reply
        .type(out.contentType)
        .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${out.filename}"`)
        .header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .send(out.body);
    },
  });
  app.route({
    method: 'GET',
    url: '/api/v1/models/:key/compliance/oscal',
    schema: {
      tags,
      summary:
        "A version's computed compliance status as OSCAL 1.1.3 assessment results (one result per catalog)",
      params: keyParams,
      querystring: complianceQuerySchema,
    },
    handler: async (req, reply) =>
      reply
        .type(oscalJson)
        .send(JSON.stringify(await oscal.assessmentResults(callerOf(req), req.params.key, req.query))),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/models/:key/compliance/not-applicable',
    schema: {
      tags,
      summary: 'Record that a requirement does not apply to a model, with a reason (governance; audited)',
      params: keyParams,
      body: notApplicableCreateSchema,
      response: { 201: notApplicableSchema },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await compliance.recordNotApplicable(callerOf(req), req.params.key, req.body)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/compliance/not-applicable/:id/withdraw',
    schema: {
      tags,
      summary: 'Withdraw a not-applicable record (the requirement is assessed again); audited',
      params: idParams,
      body: z.strictObject({ reason: z.string().trim().min(1).max(2000) }),
      response: { 200: notApplicableSchema },
    },
    handler: (req) => compliance.withdrawNotApplicable(callerOf(req), req.params.id, req.body.reason),
  });
}
