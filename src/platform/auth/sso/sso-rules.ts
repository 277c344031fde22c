import { ROLES, type Role } from '../roles.ts';

/** One group/claim → role mapping as the rules read it. */
export interface RoleMapping {
  claim: string;
  value: string;
  role: Role;
  priority: number;
}

/** The values of one claim as strings: a string, an array of strings, or a boolean/number. */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * The role the claims give: the matching mapping with the highest priority (ties: the role listed
 * first in ROLES, i.e. the more privileged, so the answer never depends on row order), else the
 * default role, else null (refused).
 */
export function mapRole(
  claims: Record<string, unknown>,
  mappings: readonly RoleMapping[],
  defaultRole: Role | undefined,
): { role: Role; matched: RoleMapping | null } | null {
  let best: RoleMapping | null = null;
  for (const m of mappings) {
    if (!claimValues(claims, m.claim).includes(m.value)) continue;
    if (
      !best ||
      m.priority > best.priority ||
      (m.priority === best.priority && ROLES.indexOf(m.role) < ROLES.indexOf(best.role))
    )
      best = m;
  }
  if (best) return { role: best.role, matched: best };
  return defaultRole ? { role: defaultRole, matched: null } : null;
}

/** Compiles a subject pattern: `*` matches any run of characters, everything else literally. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const re = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}$`, 's').test(subject);
}

/** Every condition `claim: value` holds exactly in the claims. */
export function claimsMatch(claims: Record<string, unknown>, conditions: Record<string, string>): boolean {
  return Object.entries(conditions).every(([k, v]) => claimValues(claims, k).includes(v));
}

/**
 * A username for a new SSO user from its claims: preferred_username, else the email's local part,
 * else the subject; lower-cased and reduced to the characters usernames allow.
 */
export function baseUsername(claims: Record<string, unknown>): string {
  const pick =
    (typeof claims.preferred_username === 'string' && claims.preferred_username) ||
    (typeof claims.email === 'string' && claims.email.split('@')[0]) ||
    String(claims.sub ?? 'user');
  let name = pick
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 56);
  if (name.length < 2) name = `sso-${name || 'user'}`;
  return name;
}
