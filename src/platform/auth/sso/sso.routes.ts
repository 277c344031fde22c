import { z } from 'zod';
import { idParamsSchema } from '../../../contracts/identity.ts';
import {
  oauthErrorSchema,
  roleMappingCreateSchema,
  roleMappingListSchema,
  roleMappingSchema,
  ssoSessionSchema,
  ssoStartQuerySchema,
  ssoStatusSchema,
  ssoTicketSchema,
  tokenExchangeBodySchema,
  tokenExchangeResultSchema,
  workloadRuleCreateSchema,
  workloadRuleListSchema,
  workloadRuleSchema,
} from '../../../contracts/sso.ts';
import { NotFoundError } from '../../errors.ts';
import type { ApiApp } from '../../http/http-app.ts';
import { auditContextOf, principalOf } from '../../http/request-context.ts';
import { demand } from '../identity.routes.ts';
import type { SsoAdminService } from './sso-admin.service.ts';
import type { SsoConfig } from './sso-config.ts';
import type { SsoConsoleService } from './sso-console.service.ts';
import { OAuthError, type TokenExchangeService } from './token-exchange.service.ts';

export interface SsoRouteDeps {
  ssoConfig: SsoConfig | undefined;
  ssoConsole: SsoConsoleService | null;
  tokenExchange: TokenExchangeService;
  ssoAdmin: SsoAdminService;
}

const START_URL = '/api/v1/auth/sso/start';

/** Single sign-on: the console's sign-in, the token exchange, and the admin's mapping and trust rules. */
export async function registerSsoRoutes(app: ApiApp, deps: SsoRouteDeps): Promise<void> {
  const { ssoConfig, ssoConsole, tokenExchange, ssoAdmin } = deps;
  const notConfigured = () => new NotFoundError('single sign-on configuration', 'ASSAY_OIDC_ISSUER');

  app.route({
    method: 'GET',
    url: '/api/v1/auth/sso',
    config: { public: true },
    schema: {
      tags: ['identity'],
      summary:
        'Whether single sign-on is configured (the console shows its button; the CLI reads the device-flow client)',
      security: [],
      response: { 200: ssoStatusSchema },
    },
    handler: async () => ({
      enabled: ssoConfig !== undefined,
      issuer: ssoConfig?.issuer ?? null,
      cliClientId: ssoConfig?.cliClientId ?? null,
      scopes: ssoConfig?.scopes ?? null,
      startUrl: ssoConfig ? START_URL : null,
      breakGlass: ssoConfig !== undefined && ssoConfig.breakGlassUsers.length > 0,
    }),
  });

  app.route({
    method: 'GET',
    url: START_URL,
    config: { public: true },
    schema: {
      tags: ['identity'],
      summary:
        'Start signing in at the identity provider (302 to its authorization endpoint; code flow with PKCE)',
      security: [],
      querystring: ssoStartQuerySchema,
    },
    handler: async (req, reply) => {
      if (!ssoConsole) throw notConfigured();
      return reply.redirect(await ssoConsole.start(req.query.returnTo), 302);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/auth/sso/callback',
    config: { public: true },
    schema: {
      tags: ['identity'],
      summary:
        "The identity provider's redirect back; 302 to the console with a one-time ticket (or the refusal) in the fragment",
      security: [],
      querystring: z.record(z.string(), z.string()),
    },
    handler: async (req, reply) => {
      if (!ssoConsole) throw notConfigured();
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
      reply.header('cache-control', 'no-store');
      return reply.redirect(await ssoConsole.callback(query, String(req.id)), 302);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/v1/auth/sso/ticket',
    config: { public: true },
    schema: {
      tags: ['identity'],
      summary: 'Redeem the one-time SSO ticket for a 12-hour console session',
      security: [],
      body: ssoTicketSchema,
      response: { 200: ssoSessionSchema },
    },
    handler: async (req) => {
      if (!ssoConsole) throw notConfigured();
      return ssoConsole.redeem(req.body.ticket, String(req.id));
    },
  });

  // RFC 8693 clients send application/x-www-form-urlencoded; the parser is scoped to this route.
  await app.register(async (oauth) => {
    oauth.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    oauth.route({
      method: 'POST',
      url: '/api/v1/token',
      config: { public: true },
      schema: {
        tags: ['identity'],
        summary:
          'RFC 8693 token exchange: an ID token of the configured provider or a trusted workload JWT for a short-lived, scoped Assay token',
        security: [],
        body: tokenExchangeBodySchema,
        response: { 200: tokenExchangeResultSchema, 400: oauthErrorSchema },
      },
      handler: async (req, reply) => {
        reply.header('cache-control', 'no-store');
        try {
          return await tokenExchange.exchange(req.body as Record<string, string>, String(req.id));
        } catch (err) {
          if (!(err instanceof OAuthError)) throw err;
          return reply.status(400).send({ error: err.error, error_description: err.description });
        }
      },
    });
  });

  app.route({
    method: 'GET',
    url: '/api/v1/sso/role-mappings',
    schema: {
      tags: ['identity'],
      summary: 'Group/claim → role mappings',
      response: { 200: roleMappingListSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'sso.manage');
      return { items: (await ssoAdmin.listMappings()) as z.infer<typeof roleMappingSchema>[] };
    },
  });
  app.route({
    method: 'POST',
    url: '/api/v1/sso/role-mappings',
    schema: {
      tags: ['identity'],
      summary: 'Map a group (or another claim value) to a role; applies at each user’s next sign-in',
      body: roleMappingCreateSchema,
      response: { 201: roleMappingSchema },
    },
    handler: async (req, reply) => {
      demand(principalOf(req), 'sso.manage');
      const view = await ssoAdmin.createMapping(auditContextOf(req), req.body);
      return reply.status(201).send(view as z.infer<typeof roleMappingSchema>);
    },
  });
  app.route({
    method: 'DELETE',
    url: '/api/v1/sso/role-mappings/:id',
    schema: {
      tags: ['identity'],
      summary: 'Delete a mapping',
      params: idParamsSchema,
      response: { 200: roleMappingSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'sso.manage');
      return (await ssoAdmin.deleteMapping(auditContextOf(req), req.params.id)) as z.infer<
        typeof roleMappingSchema
      >;
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/sso/workload-rules',
    schema: {
      tags: ['identity'],
      summary: 'Trusted workload (CI) token issuers',
      response: { 200: workloadRuleListSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'sso.manage');
      return { items: (await ssoAdmin.listWorkloadRules()) as z.infer<typeof workloadRuleSchema>[] };
    },
  });
  app.route({
    method: 'POST',
    url: '/api/v1/sso/workload-rules',
    schema: {
      tags: ['identity'],
      summary:
        "Trust an issuer's workload tokens whose subject matches, acting as a service user with at most a scope",
      body: workloadRuleCreateSchema,
      response: { 201: workloadRuleSchema },
    },
    handler: async (req, reply) => {
      demand(principalOf(req), 'sso.manage');
      const view = await ssoAdmin.createWorkloadRule(auditContextOf(req), req.body);
      return reply.status(201).send(view as z.infer<typeof workloadRuleSchema>);
    },
  });
  app.route({
    method: 'POST',
    url: '/api/v1/sso/workload-rules/:id/disable',
    schema: {
      tags: ['identity'],
      summary: 'Stop trusting a workload rule (tokens already issued expire on their own)',
      params: idParamsSchema,
      response: { 200: workloadRuleSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'sso.manage');
      return (await ssoAdmin.disableWorkloadRule(auditContextOf(req), req.params.id)) as z.infer<
        typeof workloadRuleSchema
      >;
    },
  });
}
