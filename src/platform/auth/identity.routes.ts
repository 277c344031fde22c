import {
  idParamsSchema,
  loginRequestSchema,
  loginResponseSchema,
  meSchema,
  tokenCreatedSchema,
  tokenCreateSchema,
  tokenListQuerySchema,
  tokenPageSchema,
  tokenSchema,
  userCreateSchema,
  userListQuerySchema,
  userPageSchema,
  userPatchSchema,
  userSchema,
} from '../../contracts/identity.ts';
import { pageByOffset } from '../db/cursor.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { ApiApp } from '../http/http-app.ts';
import { auditContextOf, principalOf } from '../http/request-context.ts';
import type { IdentityService } from './identity.service.ts';
import { toTokenView, toUserView } from './identity.service.ts';
import { type Action, decide } from './permissions.ts';
import type { Principal, TokenScope } from './roles.ts';

const SCOPE_RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 };

/** Throws 403 unless `principal` may do the (global) `action`. */
export function demand(principal: Principal, action: Action): void {
  if (decide(principal, action) !== 'allow') {
    throw new ForbiddenError(
      `your role '${principal.role}' with a '${principal.scope}' token may not do ${action}`,
      {
        action,
      },
    );
  }
}

/** Sign-in, the caller, users and API tokens. */
export function registerIdentityRoutes(app: ApiApp, services: { identity: IdentityService }): void {
  const { identity } = services;

  app.route({
    method: 'POST',
    url: '/api/v1/auth/login',
    config: { public: true },
    schema: {
      tags: ['identity'],
      summary:
        'Sign in with username and password; returns a 12-hour session token. Throttled per account and address (429 with Retry-After)',
      security: [],
      body: loginRequestSchema,
      response: { 200: loginResponseSchema },
    },
    handler: async (req) => identity.login(req.body.username, req.body.password, String(req.id), req.ip),
  });

  const meHandler = async (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    const user = await identity.findUser({ id: p.userId });
    if (!user) throw new NotFoundError('user', p.userId);
    return { ...toUserView(user), scope: p.scope, tokenId: p.tokenId };
  };
  for (const url of ['/api/v1/me', '/api/v1/auth/me']) {
    app.route({
      method: 'GET',
      url,
      schema: {
        tags: ['identity'],
        summary: 'The caller: user, role and token scope',
        response: { 200: meSchema },
      },
      handler: meHandler,
    });
  }

  app.route({
    method: 'GET',
    url: '/api/v1/users',
    schema: {
      tags: ['identity'],
      summary: 'List users',
      querystring: userListQuerySchema,
      response: { 200: userPageSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'user.read');
      const { role, q, limit, cursor } = req.query;
      const needle = q?.toLowerCase();
      const all = (await identity.listUsers())
        .map(toUserView)
        .filter((u) => (role ? u.role === role : true))
        .filter((u) =>
          needle ? u.username.includes(needle) || u.displayName.toLowerCase().includes(needle) : true,
        );
      return pageByOffset(all, limit, cursor);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/v1/users',
    schema: {
      tags: ['identity'],
      summary: 'Create a user',
      body: userCreateSchema,
      response: { 201: userSchema },
    },
    handler: async (req, reply) => {
      demand(principalOf(req), 'user.manage');
      const user = await identity.createUser(auditContextOf(req), req.body);
      return reply.status(201).send(user);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/users/:id',
    schema: {
      tags: ['identity'],
      summary: 'One user',
      params: idParamsSchema,
      response: { 200: userSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'user.read');
      const user = await identity.findUser({ id: req.params.id });
      if (!user) throw new NotFoundError('user', req.params.id);
      return toUserView(user);
    },
  });

  app.route({
    method: 'PATCH',
    url: '/api/v1/users/:id',
    schema: {
      tags: ['identity'],
      summary: "Change a user's role, name, email or disabled flag",
      params: idParamsSchema,
      body: userPatchSchema,
      response: { 200: userSchema },
    },
    handler: async (req) => {
      const p = principalOf(req);
      demand(p, 'user.manage');
      // An admin who demotes or disables themselves could lock everyone out of user management.
      if (req.params.id === p.userId && (req.body.role !== undefined || req.body.disabled !== undefined)) {
        throw new ValidationError(
          'you cannot change your own role or disable yourself',
          req.body.role ? 'role' : 'disabled',
        );
      }
      return identity.updateUser(auditContextOf(req), req.params.id, req.body);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/v1/tokens',
    schema: {
      tags: ['identity'],
      summary: 'Create an API token (the secret is in this answer only)',
      body: tokenCreateSchema,
      response: { 201: tokenCreatedSchema },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      const body = req.body;
      let userId = p.userId;
      if (body.username !== undefined || body.userId !== undefined) {
        const target = await identity.findUser(
          body.userId !== undefined ? { id: body.userId } : { username: body.username! },
        );
        if (!target) throw new NotFoundError('user', body.userId ?? body.username!);
        userId = target.id;
      }
      demand(p, userId === p.userId ? 'token.own' : 'token.any');
      // A token never grants more than the one that created it (a read token cannot mint a write token).
      if (SCOPE_RANK[body.scope] > SCOPE_RANK[p.scope]) {
        throw new ForbiddenError(`a '${p.scope}' token cannot create a '${body.scope}' token`, {
          field: 'scope',
        });
      }
      const { token, view } = await identity.createToken(auditContextOf(req), {
        userId,
        name: body.name,
        scope: body.scope,
        expiresAt: body.expiresAt ? new Date(body.expiresAt).toISOString() : null,
      });
      return reply.status(201).send({ ...view, secret: token });
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/tokens',
    schema: {
      tags: ['identity'],
      summary: 'List API tokens: your own (admins: everyone, or ?userId=)',
      querystring: tokenListQuerySchema,
      response: { 200: tokenPageSchema },
    },
    handler: async (req) => {
      const p = principalOf(req);
      demand(p, 'token.own');
      const all = decide(p, 'token.any') === 'allow';
      const { userId, includeRevoked, limit, cursor } = req.query;
      if (userId !== undefined && userId !== p.userId && !all) demand(p, 'token.any');
      const rows = await identity.listTokens(all ? userId : p.userId);
      const views = rows.map(toTokenView).filter((t) => includeRevoked !== 'false' || t.revokedAt === null);
      return pageByOffset(views, limit, cursor);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/v1/tokens/:id/revoke',
    schema: {
      tags: ['identity'],
      summary: 'Revoke a token (your own; admins: any)',
      params: idParamsSchema,
      response: { 200: tokenSchema },
    },
    handler: async (req) => {
      const p = principalOf(req);
      demand(p, 'token.own');
      const token = await identity.findToken(req.params.id);
      const mayAny = decide(p, 'token.any') === 'allow';
      // Other people's tokens are not even acknowledged to exist.
      if (!token || (token.user_id !== p.userId && !mayAny)) throw new NotFoundError('token', req.params.id);
      return identity.revokeToken(auditContextOf(req), req.params.id);
    },
  });
}
