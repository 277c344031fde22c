import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { storeErrorToDomain } from '../db/store-errors.ts';
import { DomainError, type ErrorCode, TooManyRequestsError } from '../errors.ts';

/** HTTP status for each domain error code: the only place that knows. */
const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
};

/** The body of every error answer. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details: Record<string, unknown>; id: string };
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown>,
) {
  const body: ErrorEnvelope = { error: { code, message, details, id: String(request.id) } };
  return reply.status(status).type('application/json').send(body);
}

/**
 * Fastify's own refusals before routing (a malformed percent-escape, an over-long path parameter):
 * the same envelope, naming the URL as the field.
 */
export function frameworkErrorEnvelope(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return send(reply, request, 400, 'bad_request', `the URL is not valid: ${err.message}`, { field: 'url' });
}

/** Installs the error mapper and the 404 handler that answer every failure with the envelope. */
export function installErrorEnvelope(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const fromStore = storeErrorToDomain(raw);
    if (fromStore) request.log.warn({ err: raw }, 'bad input reached the store');
    const err = (fromStore ?? raw) as FastifyError;
    if (err instanceof TooManyRequestsError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (err instanceof DomainError)
      return send(reply, request, STATUS[err.code], err.code, err.message, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const where = err.validationContext ?? 'body';
      const pathParts = first?.instancePath ? first.instancePath.split('/').filter(Boolean) : [];
      // Unknown keys are reported on the parent object; name the key itself.
      const unknownKey = /^Unrecognized keys?: "([^"]+)"/.exec(first?.message ?? '')?.[1];
      if (unknownKey) pathParts.push(unknownKey);
      const field = [where, ...pathParts].join('.');
      const message = unknownKey ? `unknown field '${field}'` : `${field}: ${first?.message ?? 'invalid'}`;
      return send(reply, request, 400, 'bad_request', message, {
        field,
        issues: err.validation.map((v) => ({ path: v.instancePath, message: v.message })),
      });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return send(
        reply,
        request,
        413,
        'payload_too_large',
        'the request body is larger than the server accepts',
        {},
      );
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
      return send(reply, request, 415, 'unsupported_media_type', err.message, {});
    }
    if (
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err instanceof SyntaxError
    ) {
      return send(reply, request, 400, 'bad_request', `malformed JSON body: ${err.message}`, {
        field: 'body',
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, 'response did not match its schema');
      return send(reply, request, 500, 'internal', 'the server produced an invalid response', {});
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, request, err.statusCode, 'bad_request', err.message, {});
    }
    request.log.error(
      { err, requestId: request.id, method: request.method, url: request.url },
      'unhandled error',
    );
    return send(
      reply,
      request,
      500,
      'internal',
      'internal error; the id identifies it in the server log',
      {},
    );
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`, {}),
  );
}
