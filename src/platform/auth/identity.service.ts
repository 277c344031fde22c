import type { Kysely } from 'kysely';
import type { AuditContext } from '../audit/audit-trail.ts';
import { appendAuditEvent } from '../audit/audit-trail.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { ApiTokensTable, UsersTable } from '../db/tables/platform.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.ts';
import { newId } from '../ids.ts';
import * as store from './identity.store.ts';
import { LoginThrottle } from './login-throttle.ts';
import type { Principal, Role, TokenScope } from './roles.ts';
import {
  dummyPasswordHash,
  generateToken,
  hashPassword,
  hashToken,
  tokenPrefix,
  verifyPassword,
} from './token-secret.ts';

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

/** A token as the API lists it: never the secret. */
export interface TokenView {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Input to create a user. */
export interface NewUser {
  username: string;
  displayName?: string | undefined;
  email?: string | null | undefined;
  role: Role;
  password?: string | undefined;
}

/** Input to create a token. */
export interface NewToken {
  userId: string;
  name: string;
  scope: TokenScope;
  expiresAt?: string | null | undefined;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/**
 * Called inside the transaction before a user's role changes (set by the composition root from
 * separation of duties, which platform cannot import): refuses or invalidates the steps it taints.
 */
export type RoleChangeGuard = (
  tx: Kysely<Database>,
  ctx: AuditContext,
  user: { id: string; username: string },
  nextRole: Role,
) => Promise<void>;

/** Who may still sign in with a password, and the name their session tokens carry in the audit trail. */
export interface PasswordSignInPolicy {
  /** A refusal message, or null when this user may sign in with a password. */
  refuse(user: UsersTable): string | null;
  sessionName: string;
}

/** Users, tokens and authentication. */
export class IdentityService {
  private readonly touched = new Map<string, number>();
  private readonly throttle: LoginThrottle;
  private roleGuard: RoleChangeGuard | null = null;
  private passwordPolicy: PasswordSignInPolicy | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.throttle = new LoginThrottle(db, clock);
  }

  /** Lets separation of duties check every role change. */
  setRoleChangeGuard(guard: RoleChangeGuard): void {
    this.roleGuard = guard;
  }

  /** Limits password sign-in (single sign-on keeps it for break-glass accounts only). */
  setPasswordSignInPolicy(policy: PasswordSignInPolicy): void {
    this.passwordPolicy = policy;
  }

  /** The user with this id or username (inside `tx` when given). */
  findUser(by: { id?: string; username?: string }, tx?: Kysely<Database>): Promise<UsersTable | undefined> {
    return store.findUser(tx ?? this.db.kysely, by);
  }

  /** Every user, by username. */
  listUsers(): Promise<UsersTable[]> {
    return store.listUsers(this.db.kysely);
  }

  /** The number of users (0 on a new store). */
  countUsers(): Promise<number> {
    return store.countUsers(this.db.kysely);
  }

  /** The API token with this id. */
  findToken(id: string): Promise<ApiTokensTable | undefined> {
    return store.findToken(this.db.kysely, id);
  }

  /** Tokens of one user, or of everyone when userId is undefined. */
  listTokens(userId?: string): Promise<ApiTokensTable[]> {
    return store.listTokens(this.db.kysely, userId);
  }

  /** Resolves a bearer token to its principal, or throws 401 (unknown, revoked, expired, disabled user). */
  async authenticate(token: string): Promise<Principal> {
    const found = await store.findTokenByHash(this.db.kysely, hashToken(token));
    if (!found) throw new UnauthenticatedError('the API token is not valid');
    const { token: t, user } = found;
    const now = this.clock.now().toISOString();
    if (t.revoked_at) throw new UnauthenticatedError('the API token has been revoked');
    if (t.expires_at && t.expires_at <= now) throw new UnauthenticatedError('the API token has expired');
    if (user.disabled) throw new UnauthenticatedError('the user is disabled');
    // Record use at most once a minute per token, so reads do not turn into writes.
    const last = this.touched.get(t.id) ?? 0;
    if (Date.now() - last > 60_000) {
      this.touched.set(t.id, Date.now());
      await store.touchToken(this.db.kysely, t.id, now);
    }
    return {
      userId: user.id,
      username: user.username,
      role: user.role as Role,
      scope: t.scope as TokenScope,
      tokenId: t.id,
    };
  }

  /** Creates a user. */
  async createUser(ctx: AuditContext, input: NewUser): Promise<UserView> {
    if (!USERNAME.test(input.username)) {
      throw new ValidationError(
        'username must be 2-63 characters of a-z, 0-9, dot, dash or underscore, starting with a letter or digit',
        'username',
      );
    }
    if (input.password !== undefined && input.password.length < 12) {
      throw new ValidationError('password must be at least 12 characters', 'password');
    }
    const row: UsersTable = {
      id: newId(),
      username: input.username,
      display_name: input.displayName ?? input.username,
      email: input.email ?? null,
      role: input.role,
      password_hash: input.password ? hashPassword(input.password) : null,
      disabled: 0,
      created_at: this.clock.now().toISOString(),
      row_version: 1,
    };
    return this.db.write(async (tx) => {
      if (await store.findUser(tx, { username: input.username })) {
        throw new ConflictError(`user '${input.username}' already exists`, { field: 'username' });
      }
      await store.insertUser(tx, row);
      const view = toUserView(row);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'user.created',
        entityType: 'user',
        entityId: row.id,
        after: view,
      });
      return view;
    });
  }

  /** Changes a user's role, name or disabled flag. */
  async updateUser(
    ctx: AuditContext,
    id: string,
    patch: {
      role?: Role | undefined;
      displayName?: string | undefined;
      email?: string | null | undefined;
      disabled?: boolean | undefined;
    },
  ): Promise<UserView> {
    return this.db.write(async (tx) => {
      const before = await store.findUser(tx, { id });
      if (!before) throw new NotFoundError('user', id);
      const next: UsersTable = {
        ...before,
        role: patch.role ?? before.role,
        display_name: patch.displayName ?? before.display_name,
        email: patch.email === undefined ? before.email : patch.email,
        disabled: patch.disabled === undefined ? before.disabled : patch.disabled ? 1 : 0,
        row_version: before.row_version + 1,
      };
      if (this.roleGuard && next.role !== before.role)
        await this.roleGuard(tx, ctx, { id, username: before.username }, next.role as Role);
      await store.updateUser(tx, id, next);
      const after = toUserView(next);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'user.updated',
        entityType: 'user',
        entityId: id,
        before: toUserView(before),
        after,
      });
      return after;
    });
  }

  /** Creates a token for a user; returns the secret once. A token's scope never exceeds what its role can use. */
  async createToken(ctx: AuditContext, input: NewToken): Promise<{ token: string; view: TokenView }> {
    const secret = generateToken();
    const now = this.clock.now().toISOString();
    if (input.expiresAt && input.expiresAt <= now)
      throw new ValidationError('expiresAt must be in the future', 'expiresAt');
    if (!input.name.trim()) throw new ValidationError('name must not be empty', 'name');
    return this.db.write(async (tx) => {
      const user = await store.findUser(tx, { id: input.userId });
      if (!user) throw new NotFoundError('user', input.userId);
      if (input.scope === 'admin' && user.role !== 'admin') {
        throw new ForbiddenError(
          `a token with scope 'admin' needs a user with role 'admin' (${user.username} is ${user.role})`,
          {
            field: 'scope',
          },
        );
      }
      const row: ApiTokensTable = {
        id: newId(),
        user_id: user.id,
        name: input.name,
        token_hash: hashToken(secret),
        prefix: tokenPrefix(secret),
        scope: input.scope,
        created_at: now,
        expires_at: input.expiresAt ?? null,
        revoked_at: null,
        last_used_at: null,
      };
      await store.insertToken(tx, row);
      const view = toTokenView(row);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'token.created',
        entityType: 'token',
        entityId: row.id,
        after: view,
      });
      return { token: secret, view };
    });
  }

  /** Revokes a token (idempotent: revoking twice keeps the first time). */
  async revokeToken(ctx: AuditContext, id: string): Promise<TokenView> {
    return this.db.write(async (tx) => {
      const before = await store.findToken(tx, id);
      if (!before) throw new NotFoundError('token', id);
      if (before.revoked_at) return toTokenView(before);
      const after = { ...before, revoked_at: this.clock.now().toISOString() };
      await store.updateToken(tx, id, { revoked_at: after.revoked_at });
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'token.revoked',
        entityType: 'token',
        entityId: id,
        before: toTokenView(before),
        after: toTokenView(after),
      });
      return toTokenView(after);
    });
  }

  /**
   * Signs in with a password and returns a 12-hour session token (for the console). Throttled per
   * account and per client `address` (429 with a wait); an unknown, disabled or password-less user
   * costs the same password check as a known one, so the answer's timing names no usernames.
   */
  async login(
    username: string,
    password: string,
    requestId: string | null,
    address = 'unknown',
  ): Promise<{ token: string; user: UserView; expiresAt: string }> {
    const attempt = { username, address };
    await this.throttle.begin(attempt);
    const user = await store.findUser(this.db.kysely, { username });
    const matches = verifyPassword(password, user?.password_hash ?? dummyPasswordHash());
    if (!user || user.disabled || !user.password_hash || !matches) {
      throw new UnauthenticatedError('unknown username or wrong password');
    }
    await this.throttle.succeeded(attempt);
    const refusal = this.passwordPolicy?.refuse(user) ?? null;
    if (refusal) throw new ForbiddenError(refusal);
    const expiresAt = new Date(this.clock.now().getTime() + 12 * 3600_000).toISOString();
    const scope: TokenScope = user.role === 'admin' ? 'admin' : 'write';
    const { token } = await this.createToken(
      { actor: user.username, requestId },
      { userId: user.id, name: this.passwordPolicy?.sessionName ?? 'console session', scope, expiresAt },
    );
    return { token, user: toUserView(user), expiresAt };
  }
}

/** The API view of a user row. */
export function toUserView(u: UsersTable): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    email: u.email,
    role: u.role as Role,
    disabled: u.disabled === 1,
    createdAt: u.created_at,
  };
}

/** The API view of a token row. */
export function toTokenView(t: ApiTokensTable): TokenView {
  return {
    id: t.id,
    userId: t.user_id,
    name: t.name,
    prefix: t.prefix,
    scope: t.scope as TokenScope,
    createdAt: t.created_at,
    expiresAt: t.expires_at,
    revokedAt: t.revoked_at,
    lastUsedAt: t.last_used_at,
  };
}
