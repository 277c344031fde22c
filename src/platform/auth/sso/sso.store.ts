import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type {
  SsoIdentitiesTable,
  SsoLoginStatesTable,
  SsoRoleMappingsTable,
  SsoWorkloadRulesTable,
} from '../../db/tables/sso.ts';

/** SQL for single sign-on's tables. */
export class SsoStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findIdentity(
    tx: Kysely<Database>,
    issuer: string,
    subject: string,
  ): Promise<SsoIdentitiesTable | undefined> {
    return tx
      .selectFrom('sso_identities')
      .selectAll()
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
  }

  async insertIdentity(tx: Kysely<Database>, row: SsoIdentitiesTable): Promise<void> {
    await tx.insertInto('sso_identities').values(row).execute();
  }

  async touchIdentity(
    tx: Kysely<Database>,
    issuer: string,
    subject: string,
    patch: { claims_hash: string; last_seen_at: string },
  ): Promise<void> {
    await tx
      .updateTable('sso_identities')
      .set(patch)
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .execute();
  }

  async listMappings(tx: Kysely<Database> = this.db): Promise<SsoRoleMappingsTable[]> {
    return tx
      .selectFrom('sso_role_mappings')
      .selectAll()
      .orderBy('priority', 'desc')
      .orderBy('claim')
      .orderBy('value')
      .execute();
  }

  async findMapping(tx: Kysely<Database>, id: string): Promise<SsoRoleMappingsTable | undefined> {
    return tx.selectFrom('sso_role_mappings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findMappingByValue(
    tx: Kysely<Database>,
    claim: string,
    value: string,
  ): Promise<SsoRoleMappingsTable | undefined> {
    return tx
      .selectFrom('sso_role_mappings')
      .selectAll()
      .where('claim', '=', claim)
      .where('value', '=', value)
      .executeTakeFirst();
  }

  async insertMapping(tx: Kysely<Database>, row: SsoRoleMappingsTable): Promise<void> {
    await tx.insertInto('sso_role_mappings').values(row).execute();
  }

  async deleteMapping(tx: Kysely<Database>, id: string): Promise<void> {
    await tx.deleteFrom('sso_role_mappings').where('id', '=', id).execute();
  }

  async listWorkloadRules(tx: Kysely<Database> = this.db): Promise<SsoWorkloadRulesTable[]> {
    return tx.selectFrom('sso_workload_rules').selectAll().orderBy('name').execute();
  }

  async findWorkloadRule(tx: Kysely<Database>, by: { id?: string; name?: string }) {
    let q = tx.selectFrom('sso_workload_rules').selectAll();
    if (by.id !== undefined) q = q.where('id', '=', by.id);
    if (by.name !== undefined) q = q.where('name', '=', by.name);
    return q.executeTakeFirst();
  }

  async insertWorkloadRule(tx: Kysely<Database>, row: SsoWorkloadRulesTable): Promise<void> {
    await tx.insertInto('sso_workload_rules').values(row).execute();
  }

  async updateWorkloadRule(tx: Kysely<Database>, id: string, patch: Partial<SsoWorkloadRulesTable>) {
    await tx.updateTable('sso_workload_rules').set(patch).where('id', '=', id).execute();
  }

  async insertLoginState(tx: Kysely<Database>, row: SsoLoginStatesTable): Promise<void> {
    await tx.insertInto('sso_login_states').values(row).execute();
  }

  async findLoginState(tx: Kysely<Database>, by: { state?: string; ticketHash?: string }) {
    let q = tx.selectFrom('sso_login_states').selectAll();
    if (by.state !== undefined) q = q.where('state', '=', by.state);
    if (by.ticketHash !== undefined) q = q.where('ticket_hash', '=', by.ticketHash);
    return q.executeTakeFirst();
  }

  async updateLoginState(tx: Kysely<Database>, state: string, patch: Partial<SsoLoginStatesTable>) {
    await tx.updateTable('sso_login_states').set(patch).where('state', '=', state).execute();
  }

  /** Forgets sign-ins that expired before `before` (they hold PKCE verifiers, nothing governed). */
  async pruneLoginStates(tx: Kysely<Database>, before: string): Promise<void> {
    await tx.deleteFrom('sso_login_states').where('expires_at', '<', before).execute();
  }
}
