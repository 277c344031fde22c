/**
 * Domain errors. They know nothing of HTTP: one mapper at the edge (platform/http/error-envelope.ts)
 * turns each `code` into a status and the `{ error: { code, message, details, id } }` envelope.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unprocessable'
  | 'too_many_requests'
  | 'unavailable';

/** Base class of every error a service may throw on purpose. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Input that breaks a rule; `field` names the offending field (dotted path). */
export class ValidationError extends DomainError {
  constructor(message: string, field?: string, details: Record<string, unknown> = {}) {
    super('bad_request', message, field ? { field, ...details } : details);
  }
}

/** The entity does not exist, or the caller may not know that it does. */
export class NotFoundError extends DomainError {
  constructor(entity: string, key: string) {
    super('not_found', `${entity} '${key}' not found`, { entity, key });
  }
}

/** A concurrent update, a duplicate key, or a transition the current state does not allow. */
export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('conflict', message, details);
  }
}

/** The caller is known but the role, scope or relation forbids the action. */
export class ForbiddenError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('forbidden', message, details);
  }
}

/** Missing, malformed, expired or revoked credentials. */
export class UnauthenticatedError extends DomainError {
  constructor(message = 'a valid API token is required (Authorization: Bearer <token>)') {
    super('unauthenticated', message);
  }
}

/** Well-formed input that the rules refuse as a whole (e.g. an import file with bad rows). */
export class UnprocessableError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('unprocessable', message, details);
  }
}

/** Input larger than a configured limit. */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('payload_too_large', message, details);
  }
}

/** Too many attempts (sign-in throttling); the caller may retry after `retryAfterSeconds`. */
export class TooManyRequestsError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', message, { retryAfterSeconds });
  }
}
