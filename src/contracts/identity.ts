import { z } from 'zod';
import { ROLES, TOKEN_SCOPES } from './vocabulary.ts';

/** Roles (one per user); mirrors src/platform/auth/roles.ts. */
export const roleSchema = z.enum(ROLES);
/** What a token may be used for; the effective right is the lesser of scope and role. */
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);

/** `?limit=&cursor=` of every list (default 50, max 500). */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
};

/** A page of a list: `{ items, nextCursor }`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
/** The type of a page of `T` (what `pageOf` validates). */
export type PageOf<T> = z.infer<ReturnType<typeof pageOf<z.ZodType<T>>>>;

/** A user as the API shows it (never the password hash). */
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

/** The caller: their user and the scope of the token in use. */
export const meSchema = userSchema.extend({ scope: tokenScopeSchema, tokenId: z.string() });
export type Me = z.infer<typeof meSchema>;

/** POST /api/v1/auth/login body. */
export const loginRequestSchema = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});
/** POST /api/v1/auth/login answer: a 12-hour session token (shown once). */
export const loginResponseSchema = z.object({ token: z.string(), expiresAt: z.string(), user: userSchema });

const username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'username: 2-63 characters of a-z, 0-9, dot, dash, underscore');

/** POST /api/v1/users body. */
export const userCreateSchema = z.strictObject({
  username,
  displayName: z.string().min(1).max(200).optional(),
  email: z.email().max(320).nullable().optional(),
  role: roleSchema,
  password: z.string().min(12).max(1000).optional(),
});
export type UserCreate = z.infer<typeof userCreateSchema>;

/** PATCH /api/v1/users/{id} body (at least one field). */
export const userPatchSchema = z
  .strictObject({
    role: roleSchema.optional(),
    displayName: z.string().min(1).max(200).optional(),
    email: z.email().max(320).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' });
export type UserPatch = z.infer<typeof userPatchSchema>;

/** GET /api/v1/users query. */
export const userListQuerySchema = z.strictObject({
  ...pageQuery,
  role: roleSchema.optional(),
  q: z.string().max(200).optional(),
});
export const userPageSchema = pageOf(userSchema);

/** An API token as listed (never the secret). */
export const tokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  prefix: z.string(),
  scope: tokenScopeSchema,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type Token = z.infer<typeof tokenSchema>;

/** POST /api/v1/tokens body: for yourself, or (admins) for `username`/`userId`. */
export const tokenCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scope: tokenScopeSchema,
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  username: username.optional(),
  userId: z.string().max(100).optional(),
});
export type TokenCreate = z.infer<typeof tokenCreateSchema>;

/** POST /api/v1/tokens answer: the token's view and its secret, which is never shown again. */
export const tokenCreatedSchema = tokenSchema.extend({ secret: z.string() });
export type TokenCreated = z.infer<typeof tokenCreatedSchema>;

/** GET /api/v1/tokens query: own tokens (admins: everyone's, or one user's). */
export const tokenListQuerySchema = z.strictObject({
  ...pageQuery,
  userId: z.string().max(100).optional(),
  includeRevoked: z.enum(['true', 'false']).optional(),
});
export const tokenPageSchema = pageOf(tokenSchema);

/** Path parameter `{id}`. */
export const idParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

/** GET /api/health (no token needed). */
export const healthSchema = z.object({ status: z.literal('ok'), version: z.string() });
export type Health = z.infer<typeof healthSchema>;
