import {
  type RoleMappingCreate,
  roleMappingListSchema,
  roleMappingSchema,
  ssoSessionSchema,
  ssoStatusSchema,
  tokenExchangeResultSchema,
  type WorkloadRuleCreate,
  workloadRuleListSchema,
  workloadRuleSchema,
} from '../contracts/sso.ts';
import { seg, type Transport } from './client.ts';

/** The RFC 8693 grant and the subject token types the server accepts. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

/** Single sign-on. */
export function ssoApi(t: Transport) {
  return {
    /** Whether SSO is configured (no token needed). */
    status: () => t.call('GET', '/api/v1/auth/sso', { schema: ssoStatusSchema }),
    /** Redeems the one-time ticket of the SSO callback for a console session. */
    redeemTicket: (ticket: string) =>
      t.call('POST', '/api/v1/auth/sso/ticket', { json: { ticket }, schema: ssoSessionSchema }),
    /**
     * RFC 8693 token exchange: an ID token (the CLI's device flow) or a workload JWT (a CI job) for
     * a short-lived Assay token. Sent form-encoded, as OAuth clients do.
     */
    exchange: (input: {
      subjectToken: string;
      subjectTokenType?: string;
      scope?: 'read' | 'write' | 'admin';
    }) => {
      const body = new URLSearchParams({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: input.subjectToken,
        subject_token_type: input.subjectTokenType ?? ID_TOKEN_TYPE,
        ...(input.scope ? { scope: input.scope } : {}),
      });
      return t.call('POST', '/api/v1/token', {
        raw: { body: body.toString(), contentType: 'application/x-www-form-urlencoded' },
        schema: tokenExchangeResultSchema,
      });
    },
    roleMappings: {
      list: () => t.call('GET', '/api/v1/sso/role-mappings', { schema: roleMappingListSchema }),
      create: (input: RoleMappingCreate) =>
        t.call('POST', '/api/v1/sso/role-mappings', { json: input, schema: roleMappingSchema }),
      delete: (id: string) =>
        t.call('DELETE', `/api/v1/sso/role-mappings/${seg(id)}`, { schema: roleMappingSchema }),
    },
    workloadRules: {
      list: () => t.call('GET', '/api/v1/sso/workload-rules', { schema: workloadRuleListSchema }),
      create: (input: WorkloadRuleCreate) =>
        t.call('POST', '/api/v1/sso/workload-rules', { json: input, schema: workloadRuleSchema }),
      disable: (id: string) =>
        t.call('POST', `/api/v1/sso/workload-rules/${seg(id)}/disable`, { schema: workloadRuleSchema }),
    },
  };
}
