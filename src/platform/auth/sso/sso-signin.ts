import { createHash } from 'node:crypto';
import { appendAuditEvent } from '../../audit/audit-trail.ts';
import { canonicalJson } from '../../canonical-json.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { UsersTable } from '../../db/tables/platform.ts';
import { newId } from '../../ids.ts';
import type { IdentityService, UserView } from '../identity.service.ts';
import { toUserView } from '../identity.service.ts';
import { insertUser } from '../identity.store.ts';
import type { Role, TokenScope } from '../roles.ts';
import { SsoStore } from './sso.store.ts';
import type { SsoConfig } from './sso-config.ts';
import { baseUsername, mapRole } from './sso-rules.ts';

/** A sign-in the rules refuse (no mapped role, a disabled user): never a session. */
export class SignInRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SignInRefused';
  }
}

/** Claims that change on every sign-in and say nothing about who the user is. */
const VOLATILE = new Set([
  'exp',
  'iat',
  'nbf',
  'auth_time',
  'nonce',
  'at_hash',
  'c_hash',
  'jti',
  'sid',
  'rt_hash',
]);

/** SHA-256 of the canonical JSON of the identity claims (recorded on the link, audited on change). */
export function claimsHash(claims: Record<string, unknown>): string {
  const kept = Object.fromEntries(Object.entries(claims).filter(([k]) => !VOLATILE.has(k)));
  return createHash('sha256').update(canonicalJson(kept)).digest('hex');
}

/**
 * Turns verified claims of an identity provider into an Assay user: the identity is linked by
 * (issuer, subject) only — never to an existing user by a matching username or email, which would
 * let a provider account take over a local one — created just in time with the mapped role, refused
 * when disabled or when no mapping gives a role, and re-mapped on every sign-in (a changed group
 * changes the role then, through the audited, separation-of-duties-checked user update).
 */
export class SsoSignIn {
  readonly store: SsoStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly identity: IdentityService,
    private readonly config: SsoConfig | undefined,
  ) {
    this.store = new SsoStore(db.kysely);
  }

  /** The user for these verified claims, with the role the mapping gives now. */
  async resolveUser(
    issuer: string,
    claims: Record<string, unknown>,
    requestId: string | null,
  ): Promise<UserView> {
    const subject = String(claims.sub);
    const rules = (await this.store.listMappings()).map((m) => ({ ...m, role: m.role as Role }));
    const mapped = mapRole(claims, rules, this.config?.defaultRole);
    const hash = claimsHash(claims);
    const now = this.clock.now().toISOString();
    const user = await this.db.write(async (tx) => {
      const link = await this.store.findIdentity(tx, issuer, subject);
      if (link) {
        const found = await this.identity.findUser({ id: link.user_id }, tx);
        if (!found) throw new SignInRefused('the linked user no longer exists');
        if (link.claims_hash !== hash) {
          await appendAuditEvent(
            tx,
            this.clock,
            { actor: 'sso', requestId },
            {
              action: 'sso.claims_changed',
              entityType: 'user',
              entityId: found.id,
              before: { issuer, subject, claimsHash: link.claims_hash },
              after: { issuer, subject, claimsHash: hash, role: mapped?.role ?? null },
            },
          );
        }
        await this.store.touchIdentity(tx, issuer, subject, { claims_hash: hash, last_seen_at: now });
        return found;
      }
      if (!mapped) throw new SignInRefused(noRoleReason(this.config));
      const row: UsersTable = {
        id: newId(),
        username: await this.freeUsername(tx, baseUsername(claims)),
        display_name: typeof claims.name === 'string' && claims.name ? claims.name : baseUsername(claims),
        email: typeof claims.email === 'string' ? claims.email : null,
        role: mapped.role,
        password_hash: null,
        disabled: 0,
        created_at: now,
        row_version: 1,
      };
      await insertUser(tx, row);
      await appendAuditEvent(
        tx,
        this.clock,
        { actor: 'sso', requestId },
        {
          action: 'user.created',
          entityType: 'user',
          entityId: row.id,
          after: toUserView(row),
        },
      );
      await this.store.insertIdentity(tx, {
        issuer,
        subject,
        user_id: row.id,
        claims_hash: hash,
        first_seen_at: now,
        last_seen_at: now,
      });
      await appendAuditEvent(
        tx,
        this.clock,
        { actor: 'sso', requestId },
        {
          action: 'sso.identity_linked',
          entityType: 'user',
          entityId: row.id,
          after: {
            issuer,
            subject,
            username: row.username,
            role: mapped.role,
            mappedBy: mapped.matched ? `${mapped.matched.claim}=${mapped.matched.value}` : 'default role',
            claimsHash: hash,
          },
        },
      );
      return row;
    });
    if (user.disabled) throw new SignInRefused(`the user '${user.username}' is disabled`);
    if (!mapped) throw new SignInRefused(noRoleReason(this.config));
    if (user.role === mapped.role) return toUserView(user);
    return this.identity.updateUser({ actor: 'sso', requestId }, user.id, { role: mapped.role });
  }

  /** A short-lived token for a resolved user (the audit records its creation). */
  async issueToken(
    user: UserView,
    input: { name: string; scope: TokenScope; ttlSeconds: number; requestId: string | null },
  ): Promise<{ token: string; expiresAt: string }> {
    const expiresAt = new Date(this.clock.now().getTime() + input.ttlSeconds * 1000).toISOString();
    const { token } = await this.identity.createToken(
      { actor: user.username, requestId: input.requestId },
      { userId: user.id, name: input.name, scope: input.scope, expiresAt },
    );
    return { token, expiresAt };
  }

  /** The user with this id as the API shows it. */
  async userById(id: string): Promise<UserView> {
    const row = await this.identity.findUser({ id });
    if (!row) throw new SignInRefused('the user no longer exists');
    return toUserView(row);
  }

  private async freeUsername(tx: Parameters<IdentityService['findUser']>[1], base: string): Promise<string> {
    for (let i = 1; i < 1000; i++) {
      const name = i === 1 ? base : `${base.slice(0, 56)}-${i}`;
      if (!(await this.identity.findUser({ username: name }, tx))) return name;
    }
    throw new SignInRefused(`no free username near '${base}'`);
  }
}

function noRoleReason(config: SsoConfig | undefined): string {
  return `none of your groups (claim '${config?.groupsClaim ?? 'groups'}') is mapped to an Assay role; ask an administrator`;
}

/** The session scope a role gets: admin for admins, write for everyone else. */
export function sessionScope(role: Role): TokenScope {
  return role === 'admin' ? 'admin' : 'write';
}
