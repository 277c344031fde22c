import type { IdentityService } from './identity.service.ts';

/** The first admin and their token, created on a store with no users. */
export interface BootstrapResult {
  username: string;
  token: string;
}

/**
 * On a new store, creates the `admin` user and an admin-scoped token that is returned once (the
 * caller prints it). Returns null when users already exist: the token is never shown again.
 */
export async function bootstrapAdmin(identity: IdentityService): Promise<BootstrapResult | null> {
  if ((await identity.countUsers()) > 0) return null;
  const ctx = { actor: 'system', requestId: null };
  const admin = await identity.createUser(ctx, {
    username: 'admin',
    displayName: 'Administrator',
    role: 'admin',
  });
  const { token } = await identity.createToken(ctx, {
    userId: admin.id,
    name: 'bootstrap admin token',
    scope: 'admin',
  });
  return { username: admin.username, token };
}
