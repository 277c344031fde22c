import type { AuditContext } from '../../audit/audit-trail.ts';
import { appendAuditEvent } from '../../audit/audit-trail.ts';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import type { SsoRoleMappingsTable, SsoWorkloadRulesTable } from '../../db/tables/sso.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { IdentityService } from '../identity.service.ts';
import type { SsoStore } from './sso.store.ts';
import { isLoopbackHttp } from './sso-config.ts';

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export interface RoleMappingView {
  id: string;
  claim: string;
  value: string;
  role: string;
  priority: number;
  createdBy: string;
  createdAt: string;
}

export interface WorkloadRuleView {
  id: string;
  name: string;
  issuer: string;
  audience: string;
  subjectPattern: string;
  claims: Record<string, string>;
  username: string;
  role: string;
  scope: string;
  ttlSeconds: number;
  disabled: boolean;
  createdBy: string;
  createdAt: string;
}

export function toMappingView(m: SsoRoleMappingsTable): RoleMappingView {
  return {
    id: m.id,
    claim: m.claim,
    value: m.value,
    role: m.role,
    priority: m.priority,
    createdBy: m.created_by,
    createdAt: m.created_at,
  };
}

export function toWorkloadRuleView(r: SsoWorkloadRulesTable): WorkloadRuleView {
  return {
    id: r.id,
    name: r.name,
    issuer: r.issuer,
    audience: r.audience,
    subjectPattern: r.subject_pattern,
    claims: JSON.parse(r.claims_json) as Record<string, string>,
    username: r.username,
    role: r.role,
    scope: r.scope,
    ttlSeconds: r.ttl_seconds,
    disabled: r.disabled === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/** What an administrator configures: the group → role mapping and trusted workload issuers (all audited). */
export class SsoAdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly store: SsoStore,
    private readonly users: Pick<IdentityService, 'findUser'>,
  ) {}

  async listMappings(): Promise<RoleMappingView[]> {
    return (await this.store.listMappings()).map(toMappingView);
  }

  async createMapping(
    ctx: AuditContext,
    input: { claim: string; value: string; role: string; priority: number },
  ): Promise<RoleMappingView> {
    const row: SsoRoleMappingsTable = {
      id: newId(),
      claim: input.claim,
      value: input.value,
      role: input.role,
      priority: input.priority,
      created_by: ctx.actor,
      created_at: this.clock.now().toISOString(),
      row_version: 1,
    };
    return this.db.write(async (tx) => {
      if (await this.store.findMappingByValue(tx, input.claim, input.value))
        throw new ConflictError(
          `'${input.claim}=${input.value}' is already mapped; delete that mapping first`,
          {
            field: 'value',
          },
        );
      await this.store.insertMapping(tx, row);
      const view = toMappingView(row);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'sso.role_mapping.created',
        entityType: 'sso_role_mapping',
        entityId: row.id,
        after: view,
      });
      return view;
    });
  }

  async deleteMapping(ctx: AuditContext, id: string): Promise<RoleMappingView> {
    return this.db.write(async (tx) => {
      const found = await this.store.findMapping(tx, id);
      if (!found) throw new NotFoundError('sso role mapping', id);
      await this.store.deleteMapping(tx, id);
      const view = toMappingView(found);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'sso.role_mapping.deleted',
        entityType: 'sso_role_mapping',
        entityId: id,
        before: view,
      });
      return view;
    });
  }

  async listWorkloadRules(): Promise<WorkloadRuleView[]> {
    return (await this.store.listWorkloadRules()).map(toWorkloadRuleView);
  }

  /**
   * Trusts an issuer's workload tokens whose subject matches the pattern, acting as a service user
   * of its own (never an existing person's account, never an admin), with at most `scope`.
   */
  async createWorkloadRule(
    ctx: AuditContext,
    input: Omit<WorkloadRuleView, 'id' | 'disabled' | 'createdBy' | 'createdAt'>,
  ): Promise<WorkloadRuleView> {
    let issuer: URL;
    try {
      issuer = new URL(input.issuer);
    } catch {
      throw new ValidationError(`issuer must be a URL, got '${input.issuer}'`, 'issuer');
    }
    if (issuer.protocol !== 'https:' && !isLoopbackHttp(issuer))
      throw new ValidationError('issuer must be an https URL (http only on 127.0.0.1/localhost)', 'issuer');
    if (!USERNAME.test(input.username))
      throw new ValidationError(
        'username must be 2-63 characters of a-z, 0-9, dot, dash or underscore',
        'username',
      );
    if (input.role === 'admin')
      throw new ValidationError('a workload cannot act with the admin role', 'role');
    if (!input.subjectPattern.trim() || input.subjectPattern.trim() === '*')
      throw new ValidationError(
        'subjectPattern must name the subjects it trusts, not every subject (*)',
        'subjectPattern',
      );
    const row: SsoWorkloadRulesTable = {
      id: newId(),
      name: input.name,
      issuer: input.issuer,
      audience: input.audience,
      subject_pattern: input.subjectPattern,
      claims_json: JSON.stringify(input.claims),
      username: input.username,
      role: input.role,
      scope: input.scope,
      ttl_seconds: input.ttlSeconds,
      created_by: ctx.actor,
      created_at: this.clock.now().toISOString(),
      disabled: 0,
      row_version: 1,
    };
    return this.db.write(async (tx) => {
      if (await this.store.findWorkloadRule(tx, { name: input.name }))
        throw new ConflictError(`a workload rule named '${input.name}' exists`, { field: 'name' });
      const shared = (await this.store.listWorkloadRules(tx)).some((r) => r.username === input.username);
      const existing = await this.users.findUser({ username: input.username }, tx);
      if (existing && !shared)
        throw new ConflictError(
          `'${input.username}' is an existing user; a workload gets a service user of its own`,
          {
            field: 'username',
          },
        );
      await this.store.insertWorkloadRule(tx, row);
      const view = toWorkloadRuleView(row);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'sso.workload_rule.created',
        entityType: 'sso_workload_rule',
        entityId: row.id,
        after: view,
      });
      return view;
    });
  }

  async disableWorkloadRule(ctx: AuditContext, id: string): Promise<WorkloadRuleView> {
    return this.db.write(async (tx) => {
      const before = await this.store.findWorkloadRule(tx, { id });
      if (!before) throw new NotFoundError('workload rule', id);
      const after = { ...before, disabled: 1, row_version: before.row_version + 1 };
      await this.store.updateWorkloadRule(tx, id, { disabled: 1, row_version: after.row_version });
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'sso.workload_rule.disabled',
        entityType: 'sso_workload_rule',
        entityId: id,
        before: toWorkloadRuleView(before),
        after: toWorkloadRuleView(after),
      });
      return toWorkloadRuleView(after);
    });
  }
}
