import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { healthSchema } from '../../contracts/identity.ts';
import type { IdentityService } from '../auth/identity.service.ts';
import { tokenScopeRefusal } from '../auth/permissions.ts';
import type { TokenScope } from '../auth/roles.ts';
import { requiredScope, routeGuardOf, scopeSuffices } from '../auth/route-permissions.ts';
import { UnauthenticatedError } from '../errors.ts';
import { newId } from '../ids.ts';
import { frameworkErrorEnvelope, installErrorEnvelope } from './error-envelope.ts';
import { refuseNulBytes } from './nul-guard.ts';

/** The Fastify instance every feature's routes register on (zod-typed). */
/** The zod type provider of every route (for a plugin scope that sets it again). */
export type { ZodTypeProvider };

export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a token (health, login, the console's files). Every other route needs one. */
    public?: boolean;
    /** The least token scope the route needs; filled in from the route guard table at registration. */
    scope?: TokenScope;
  }
}

/** Options for the HTTP shell. */
export interface HttpAppOptions {
  identity: IdentityService;
  bodyLimit: number;
  /** Log every request (`info`). Without it only errors are logged; server errors always are. */
  logger: boolean;
  version: string;
}

/**
 * The Fastify instance with what every route shares: zod validation and serialisation, the error
 * envelope, request ids, bearer-token authentication on /api, the health check and the OpenAPI
 * document generated from the same zod schemas.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<ApiApp> {
  const app = Fastify({
    // Structured JSON on standard error, so 5xx answers can be found by the id their envelope shows.
    logger: {
      level: options.logger ? 'info' : 'error',
      redact: ['req.headers.authorization'],
      stream: process.stderr,
    },
    bodyLimit: options.bodyLimit,
    genReqId: () => newId(),
    frameworkErrors: frameworkErrorEnvelope,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorEnvelope(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Assay API',
        version: options.version,
        description: 'AI model risk management: inventory, workflow, evidence, audit trail.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.decorateRequest('principal', null);
  app.addHook('onRoute', guardRoute);
  // Who may call is decided by the route the router matched (its config), never by the URL's text:
  // the router decodes `/%61pi/...` to `/api/...`, a prefix test on request.url does not.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.is404) return; // the 404 envelope says nothing a caller could not know
    const config = request.routeOptions.config;
    if (config.public === true) return;
    const header = request.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new UnauthenticatedError();
    const principal = await options.identity.authenticate(m[1]!);
    request.principal = principal;
    const need = config.scope ?? 'write';
    if (!scopeSuffices(principal.scope, need))
      throw tokenScopeRefusal(principal.scope, need, `${request.method} ${request.routeOptions.url}`);
  });

  app.addHook('preValidation', refuseNulBytes);

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['platform'],
        security: [],
        response: { 200: healthSchema },
      },
    },
    async () => ({ status: 'ok' as const, version: options.version }),
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}

/**
 * Runs for every route as it is registered: records the token scope it needs (from the route guard
 * table) in its config, and refuses to start when the table and the route disagree on `public`.
 */
function guardRoute(route: { method: string | string[]; url: string; config?: unknown }): void {
  const config = (route.config ?? {}) as { public?: boolean; scope?: TokenScope };
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const scopes = methods.map((m) => requiredScope(m, route.url));
  const scope = scopes.find((s) => s === 'admin') ?? scopes.find((s) => s === 'write') ?? 'read';
  for (const method of methods) {
    const row = routeGuardOf(method, route.url);
    if (row && (row.guard === 'public') !== (config.public === true))
      throw new Error(
        `${method} ${route.url}: the route guard table says ${row.guard}, the route's config.public says ${config.public === true}`,
      );
  }
  route.config = { ...config, scope };
}
