/** Row types of single sign-on (migration 0065). */

/** An identity at an OpenID provider linked to an Assay user: never linked by username. */
export interface SsoIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  /** SHA-256 of the canonical JSON of the claims seen at the last sign-in. */
  claims_hash: string;
  first_seen_at: string;
  last_seen_at: string;
}

/** A group/claim value that gives a role; the highest `priority` among the matches wins. */
export interface SsoRoleMappingsTable {
  id: string;
  claim: string;
  value: string;
  role: string;
  priority: number;
  created_by: string;
  created_at: string;
  row_version: number;
}

/** A trusted issuer of workload (CI) tokens: which subjects may act as which service user. */
export interface SsoWorkloadRulesTable {
  id: string;
  name: string;
  issuer: string;
  audience: string;
  /** Glob over the `sub` claim: `*` matches any run of characters except nothing else. */
  subject_pattern: string;
  /** JSON object of claim → exact value that must also match; `{}` for none. */
  claims_json: string;
  username: string;
  role: string;
  /** Largest scope the exchanged token may have: read | write. */
  scope: string;
  ttl_seconds: number;
  created_by: string;
  created_at: string;
  disabled: number;
  row_version: number;
}

/** A console sign-in in progress: PKCE verifier, state and nonce; then a one-time ticket. */
export interface SsoLoginStatesTable {
  state: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: string;
  expires_at: string;
  /** Set by the callback: SHA-256 of the one-time ticket the console redeems for a session. */
  ticket_hash: string | null;
  user_id: string | null;
  used_at: string | null;
}

export interface SsoTables {
  sso_identities: SsoIdentitiesTable;
  sso_role_mappings: SsoRoleMappingsTable;
  sso_workload_rules: SsoWorkloadRulesTable;
  sso_login_states: SsoLoginStatesTable;
}
