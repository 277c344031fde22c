import type { Kysely } from 'kysely';
import type { PolicyDocument, PolicyVersion } from '../../contracts/policy.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import { decide } from '../../platform/auth/permissions.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { PolicyVersionsTable } from '../../platform/db/tables/workflow-reviews.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { defaultPolicyYaml, parsePolicyYaml, policySha256 } from './policy-document.ts';

/** A stored policy version with its parsed document. */
export interface LoadedPolicy {
  version: number;
  sha256: string;
  yaml: string;
  document: PolicyDocument;
  createdBy: string;
  createdAt: string;
}

function versionView(row: PolicyVersionsTable, activeVersion: number): PolicyVersion {
  return {
    version: Number(row.version),
    sha256: row.sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
    active: Number(row.version) === activeVersion,
  };
}

/** Policy as code: the versioned, audited policy document every tiering and review uses. */
export class PolicyService {
  private readonly parsed = new Map<number, PolicyDocument>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Installs the shipped default policy when the store has none (first start). Returns true if installed. */
  async ensureDefault(ctx: AuditContext = { actor: 'system', requestId: null }): Promise<boolean> {
    const yaml = defaultPolicyYaml();
    parsePolicyYaml(yaml);
    return this.db.write(async (tx) => {
      const any = await tx.selectFrom('policy_versions').select('version').limit(1).executeTakeFirst();
      if (any) return false;
      await this.insertVersion(tx, ctx, yaml, 1);
      return true;
    });
  }

  /** The active (latest) policy; pass `tx` when inside a write transaction. */
  async active(tx: Kysely<Database> = this.db.kysely): Promise<LoadedPolicy> {
    const row = await tx
      .selectFrom('policy_versions')
      .selectAll()
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('policy', 'active');
    return this.load(row);
  }

  /** One stored policy version. */
  async byVersion(version: number): Promise<LoadedPolicy> {
    const row = await this.db.kysely
      .selectFrom('policy_versions')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('policy version', String(version));
    return this.load(row);
  }

  /** Every stored version, newest first. */
  async versions(principal: Principal): Promise<PolicyVersion[]> {
    this.authorize(principal, 'policy.read');
    const rows = await this.db.kysely
      .selectFrom('policy_versions')
      .selectAll()
      .orderBy('version', 'desc')
      .execute();
    const activeVersion = rows[0] ? Number(rows[0].version) : 0;
    return rows.map((r) => versionView(r, activeVersion));
  }

  /**
   * Replaces the active policy with `yaml` (validated first; errors name the line and field).
   * The same text as the active policy is a no-op. Audited as `policy.updated`.
   */
  async replace(
    principal: Principal,
    ctx: AuditContext,
    yaml: string,
    ifMatch?: number,
  ): Promise<{ policy: LoadedPolicy; changed: boolean }> {
    this.authorize(principal, 'policy.manage');
    parsePolicyYaml(yaml);
    const sha = policySha256(yaml);
    const result = await this.db.write(async (tx) => {
      const last = await tx
        .selectFrom('policy_versions')
        .selectAll()
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (ifMatch !== undefined && ifMatch !== Number(last?.version ?? 0))
        throw new ConflictError(
          `the active policy is version ${last?.version ?? 0}, not ${ifMatch}; reload and retry`,
        );
      if (last && last.sha256 === sha) return { version: Number(last.version), changed: false };
      const version = last ? Number(last.version) + 1 : 1;
      await this.insertVersion(tx, ctx, yaml, version, last ?? null);
      return { version, changed: true };
    });
    return { policy: await this.byVersion(result.version), changed: result.changed };
  }

  private async insertVersion(
    tx: Kysely<Database>,
    ctx: AuditContext,
    yaml: string,
    version: number,
    previous: PolicyVersionsTable | null = null,
  ): Promise<void> {
    const row: PolicyVersionsTable = {
      version,
      yaml,
      sha256: policySha256(yaml),
      created_by: ctx.actor,
      created_at: this.clock.now().toISOString(),
    };
    await tx.insertInto('policy_versions').values(row).execute();
    const view = { ...versionView(row, version), yaml };
    await appendAuditEvent(tx, this.clock, ctx, {
      action: previous === null ? 'policy.installed' : 'policy.updated',
      entityType: 'policy',
      entityId: 'policy',
      // Full snapshots (the active policy before and after), so history replays without joins.
      before:
        previous === null
          ? null
          : { ...versionView(previous, Number(previous.version)), yaml: previous.yaml },
      after: view,
    });
  }

  private load(row: PolicyVersionsTable): LoadedPolicy {
    const version = Number(row.version);
    let document = this.parsed.get(version);
    if (!document) {
      document = parsePolicyYaml(row.yaml);
      this.parsed.set(version, document);
    }
    return {
      version,
      sha256: row.sha256,
      yaml: row.yaml,
      document,
      createdBy: row.created_by,
      createdAt: row.created_at,
    };
  }

  private authorize(principal: Principal, action: 'policy.read' | 'policy.manage'): void {
    if (decide(principal, action) !== 'allow')
      throw new ForbiddenError(
        `your role may not ${action === 'policy.read' ? 'read' : 'change'} the policy`,
      );
  }
}
