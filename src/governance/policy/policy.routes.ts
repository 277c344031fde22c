import { z } from 'zod';
import { activePolicySchema, policyPutJsonSchema, policyVersionSchema } from '../../contracts/policy.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { auditContextOf, ifMatchVersion, principalOf } from '../../platform/http/request-context.ts';
import type { LoadedPolicy, PolicyService } from './policy.service.ts';

const YAML_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml'];

function activeView(p: LoadedPolicy) {
  return {
    version: p.version,
    sha256: p.sha256,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    active: true,
    yaml: p.yaml,
    document: p.document,
  };
}

/** GET/PUT /api/v1/policy and GET /api/v1/policy/versions. */
export function registerPolicyRoutes(app: ApiApp, services: { policy: PolicyService }): void {
  const { policy } = services;
  // A YAML body arrives as text; the service validates it and names the line of any problem.
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.route({
    method: 'GET',
    url: '/api/v1/policy',
    schema: {
      tags: ['policy'],
      summary: 'The active policy: YAML text, parsed document, version and SHA-256',
      response: { 200: activePolicySchema },
    },
    handler: async (req, reply) => {
      await policy.versions(principalOf(req));
      const active = await policy.active();
      reply.header('etag', `"${active.version}"`);
      return activeView(active);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/policy/versions',
    schema: {
      tags: ['policy'],
      summary: 'Every stored policy version, newest first',
      response: { 200: z.object({ items: z.array(policyVersionSchema) }) },
    },
    handler: async (req) => ({ items: await policy.versions(principalOf(req)) }),
  });

  app.route({
    method: 'PUT',
    url: '/api/v1/policy',
    schema: {
      tags: ['policy'],
      summary:
        'Replace the policy (body: text/yaml, or JSON {"yaml": "..."}; If-Match: the active version); 400 names the line and field',
      body: z.union([z.string().min(1), policyPutJsonSchema]),
      response: { 200: activePolicySchema.extend({ changed: z.boolean() }) },
    },
    handler: async (req, reply) => {
      const yaml = typeof req.body === 'string' ? req.body : req.body.yaml;
      const result = await policy.replace(principalOf(req), auditContextOf(req), yaml, ifMatchVersion(req));
      reply.header('etag', `"${result.policy.version}"`);
      return { ...activeView(result.policy), changed: result.changed };
    },
  });
}
