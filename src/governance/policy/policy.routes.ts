import { z } from 'zod';
import {
  activePolicySchema,
  policyDecisionSchema,
  policyPutJsonSchema,
  policyVersionSchema,
} from '../../contracts/policy.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { auditContextOf, ifMatchVersion, principalOf } from '../../platform/http/request-context.ts';
import type { LoadedPolicy, PolicyService } from './policy.service.ts';

const YAML_TYPES = ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml'];

function versionView(p: LoadedPolicy, activeVersion: number) {
  return {
    version: p.version,
    sha256: p.sha256,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    active: p.version === activeVersion,
    state: p.state,
    decidedBy: p.decidedBy,
    decidedAt: p.decidedAt,
    decisionNote: p.decisionNote,
    baseVersion: p.baseVersion,
    yaml: p.yaml,
    document: p.document,
  };
}

const versionParams = z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000) });

/** GET/PUT (propose) /api/v1/policy, GET /api/v1/policy/versions, approve/reject a proposed version. */
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
      return versionView(active, active.version);
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
        'Propose a new policy (body: text/yaml, or JSON {"yaml": "..."}; If-Match: the active version); it takes effect when a second person approves it; 400 names the line and field',
      body: z.union([z.string().min(1), policyPutJsonSchema]),
      response: {
        200: activePolicySchema.extend({ changed: z.boolean() }),
        202: activePolicySchema.extend({ changed: z.boolean() }),
      },
    },
    handler: async (req, reply) => {
      const yaml = typeof req.body === 'string' ? req.body : req.body.yaml;
      const result = await policy.propose(principalOf(req), auditContextOf(req), yaml, ifMatchVersion(req));
      const active = await policy.active();
      reply.header('etag', `"${active.version}"`);
      // 202: a new (or the same open) proposal waiting for a second person; 200: nothing to change.
      if (result.policy.state === 'proposed') reply.status(202);
      return { ...versionView(result.policy, active.version), changed: result.changed };
    },
  });

  for (const outcome of ['approved', 'rejected'] as const) {
    app.route({
      method: 'POST',
      url: `/api/v1/policy/versions/:version/${outcome === 'approved' ? 'approve' : 'reject'}`,
      schema: {
        tags: ['policy'],
        summary:
          outcome === 'approved'
            ? 'Approve a proposed policy version (never its proposer); it becomes the active policy'
            : 'Reject a proposed policy version (never its proposer)',
        params: versionParams,
        body: policyDecisionSchema,
        response: { 200: activePolicySchema },
      },
      handler: async (req) => {
        const decided = await policy.decide(
          principalOf(req),
          auditContextOf(req),
          req.params.version,
          outcome,
          req.body.note,
        );
        return versionView(decided, (await policy.active()).version);
      },
    });
  }
}
