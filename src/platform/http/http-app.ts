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
import { z } from 'zod';
import type { IdentityService } from '../auth/identity.service.ts';
import { UnauthenticatedError } from '../errors.ts';
import { newId } from '../ids.ts';
import { installErrorEnvelope } from './error-envelope.ts';

/** The Fastify instance every feature's routes register on (zod-typed). */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Routes reachable without a token. Everything else under /api needs one. */
const PUBLIC_API_ROUTES = new Set(['GET /api/health', 'POST /api/v1/auth/login']);

/** Options for the HTTP shell. */
export interface HttpAppOptions {
  identity: IdentityService;
  bodyLimit: number;
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
    logger: options.logger ? { level: 'info', redact: ['req.headers.authorization'] } : false,
    bodyLimit: options.bodyLimit,
    genReqId: () => newId(),
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
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const url = request.url.split('?')[0] ?? '';
    if (!url.startsWith('/api/')) return;
    if (PUBLIC_API_ROUTES.has(`${request.method} ${url}`)) return;
    const header = request.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new UnauthenticatedError();
    request.principal = await options.identity.authenticate(m[1]!);
  });

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: options.version }),
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
