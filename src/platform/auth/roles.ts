/** The roles a user can have; one per user. See docs/permissions.md for the matrix. */
export const ROLES = [
  'admin',
  'governance',
  'owner',
  'developer',
  'validator',
  'approver',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** The role with its article, for messages: "an approver may not …", "a governance user may not …". */
export function aRole(role: Role): string {
  if (role === 'governance') return 'a governance user';
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}

/** What a token may be used for, independent of its user's role: the effective right is the lesser. */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** A user's relation to one model. */
export const MODEL_RELATIONS = ['owner', 'developer', 'validator'] as const;
export type ModelRelation = (typeof MODEL_RELATIONS)[number];

/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  scope: TokenScope;
  tokenId: string;
}

/** Roles that may read every model in the inventory; the others see only models they relate to. */
export const GLOBAL_READ_ROLES: ReadonlySet<Role> = new Set([
  'admin',
  'governance',
  'validator',
  'approver',
  'auditor',
]);
