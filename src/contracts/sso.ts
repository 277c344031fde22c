import { z } from 'zod';
import { roleSchema, userSchema } from './identity.ts';

/** GET /api/v1/auth/sso: whether single sign-on is configured, and what the console and CLI need. */
export const ssoStatusSchema = z.object({
  enabled: z.boolean(),
  issuer: z.string().nullable(),
  /** The CLI's public client at the provider (device flow). */
  cliClientId: z.string().nullable(),
  scopes: z.string().nullable(),
  /** Where the console sends the browser to sign in. */
  startUrl: z.string().nullable(),
  /** Users who may still sign in with a password when SSO is on. */
  breakGlass: z.boolean(),
});
export type SsoStatus = z.infer<typeof ssoStatusSchema>;

/** GET /api/v1/auth/sso/start query. */
export const ssoStartQuerySchema = z.strictObject({ returnTo: z.string().max(500).optional() });

/** POST /api/v1/auth/sso/ticket body: the one-time ticket from the callback's URL fragment. */
export const ssoTicketSchema = z.strictObject({ ticket: z.string().min(20).max(200) });
export const ssoSessionSchema = z.object({ token: z.string(), expiresAt: z.string(), user: userSchema });

/** POST /api/v1/token (RFC 8693), form-encoded or JSON; unknown parameters are ignored (RFC 6749 §3.2). */
export const tokenExchangeBodySchema = z.record(z.string(), z.string());
export const tokenExchangeResultSchema = z.object({
  access_token: z.string(),
  issued_token_type: z.literal('urn:ietf:params:oauth:token-type:access_token'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.enum(['read', 'write', 'admin']),
});
export type TokenExchangeResult = z.infer<typeof tokenExchangeResultSchema>;
export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string() });

/** A group/claim value → role mapping. */
export const roleMappingSchema = z.object({
  id: z.string(),
  claim: z.string(),
  value: z.string(),
  role: roleSchema,
  priority: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const roleMappingCreateSchema = z.strictObject({
  claim: z.string().min(1).max(100).default('groups'),
  value: z.string().min(1).max(300),
  role: roleSchema,
  priority: z.number().int().min(0).max(1000).default(0),
});
export type RoleMappingCreate = z.input<typeof roleMappingCreateSchema>;
export const roleMappingListSchema = z.object({ items: z.array(roleMappingSchema) });

/** A trusted workload (CI) token issuer rule. */
export const workloadRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string(),
  audience: z.string(),
  subjectPattern: z.string(),
  claims: z.record(z.string(), z.string()),
  username: z.string(),
  role: roleSchema,
  scope: z.enum(['read', 'write']),
  ttlSeconds: z.number().int(),
  disabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const workloadRuleCreateSchema = z.strictObject({
  name: z.string().min(1).max(100),
  issuer: z.string().min(1).max(500),
  audience: z.string().min(1).max(300),
  subjectPattern: z.string().min(1).max(500),
  claims: z.record(z.string(), z.string()).default({}),
  username: z.string().min(2).max(63),
  role: roleSchema,
  scope: z.enum(['read', 'write']).default('write'),
  ttlSeconds: z.number().int().min(60).max(3600).default(900),
});
export type WorkloadRuleCreate = z.input<typeof workloadRuleCreateSchema>;
export const workloadRuleListSchema = z.object({ items: z.array(workloadRuleSchema) });
