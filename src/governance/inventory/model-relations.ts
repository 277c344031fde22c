import type { Kysely } from 'kysely';
import type { AuditContext } from '../../platform/audit/audit-trail.ts';
import { usersNamed } from '../../platform/auth/users.queries.ts';
import type { Database } from '../../platform/db/schema.ts';
import { ValidationError } from '../../platform/errors.ts';

// Who a model relates to: the owner, developers and validators, as named users resolved to ids.

/**
 * Called inside the transaction before a model's relations are replaced (set by the composition
 * root from separation of duties): refuses the change or invalidates the steps it taints.
 */
export type RelationsGuard = (
  tx: Kysely<Database>,
  audit: AuditContext,
  modelId: string,
  next: readonly { user_id: string; relation: string }[],
) => Promise<void>;

/**
 * The relation rows of an owner, developers and validators given by username: every name must be a
 * user (400 naming the unknown ones), and a validator must be neither the owner nor a developer.
 * The owner is not listed again as a developer.
 */
export async function resolveModelRelations(
  tx: Kysely<Database>,
  owner: string,
  developers: readonly string[],
  validators: readonly string[],
): Promise<{ user_id: string; relation: string }[]> {
  const named = await resolveNamedModelRelations(tx, owner, developers, validators);
  return named.map(({ user_id, relation }) => ({ user_id, relation }));
}

/**
 * The same rows with each user's name (a new model's view is built from them without reading them
 * back). `known`: a user already read in this request (the caller, authenticated against the
 * database), not looked up again — registering a model one owns reads no users at all.
 */
export async function resolveNamedModelRelations(
  tx: Kysely<Database>,
  owner: string,
  developers: readonly string[],
  validators: readonly string[],
  known?: { username: string; userId: string },
): Promise<{ user_id: string; username: string; relation: string }[]> {
  const names = [...new Set([owner, ...developers, ...validators])];
  const lookUp = names.filter((n) => n !== known?.username);
  const users = lookUp.length ? await usersNamed(tx, lookUp) : [];
  const idOf = new Map(users.map((u) => [u.username, u.id]));
  if (known && names.includes(known.username)) idOf.set(known.username, known.userId);
  const missing = names.filter((n) => !idOf.has(n));
  if (missing.length)
    throw new ValidationError(
      `unknown user(s): ${missing.join(', ')}`,
      owner === missing[0] ? 'owner' : 'developers',
      { missing },
    );
  const overlap = validators.filter((v) => v === owner || developers.includes(v));
  if (overlap.length) {
    throw new ValidationError(
      `a validator must be independent of the owner and developers: ${overlap.join(', ')}`,
      'validators',
    );
  }
  return [
    { user_id: idOf.get(owner)!, username: owner, relation: 'owner' },
    ...[...new Set(developers)]
      .filter((d) => d !== owner)
      .map((d) => ({ user_id: idOf.get(d)!, username: d, relation: 'developer' })),
    ...[...new Set(validators)].map((v) => ({ user_id: idOf.get(v)!, username: v, relation: 'validator' })),
  ];
}
