import type { Kysely } from 'kysely';
import type { PolicyDocument, PolicyVersion } from '../../contracts/policy.ts';
import { type AuditContext, appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { aRole, type Principal } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { PolicyVersionsTable } from '../../platform/db/tables/workflow-reviews.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import { assertSeparation } from '../access/duty-steps.ts';
import {
  activePolicyRow,
  anyPolicyVersion,
  decideProposal,
  insertPolicyVersion,
  lastPolicyVersion,
  openProposal,
  policyRow,
  policyRows,
  versionView,
} from './policy.store.ts';
import {
  defaultPolicyYaml,
  type PolicyDocumentCheck,
  parsePolicyYaml,
  policySha256,
} from './policy-document.ts';

/** A stored policy version with its parsed document. */
export interface LoadedPolicy {
  version: number;
  sha256: string;
  yaml: string;
  document: PolicyDocument;
  createdBy: string;
  createdAt: string;
  state: PolicyVersion['state'];
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  baseVersion: number | null;
}

/** Policy as code: the versioned, audited policy document every tiering and review uses. */
export class PolicyService {
  private readonly parsed = new Map<number, PolicyDocument>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Checks a proposed policy must pass beyond its schema (see PolicyDocumentCheck). */
    private readonly checks: readonly PolicyDocumentCheck[] = [],
  ) {}

  /** Installs the shipped default policy when the store has none (first start). Returns true if installed. */
  async ensureDefault(ctx: AuditContext = { actor: 'system', requestId: null }): Promise<boolean> {
    const yaml = defaultPolicyYaml();
    parsePolicyYaml(yaml);
    return this.db.write(async (tx) => {
      if (await anyPolicyVersion(tx)) return false;
      // The first install on an empty store is automatic: there is nobody yet to propose or approve.
      const now = this.clock.now().toISOString();
      const row: PolicyVersionsTable = {
        version: 1,
        yaml,
        sha256: policySha256(yaml),
        created_by: ctx.actor,
        created_at: now,
        state: 'approved',
        decided_by: ctx.actor,
        decided_at: now,
        decision_note: null,
        base_version: null,
      };
      await insertPolicyVersion(tx, row);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'policy.installed',
        entityType: 'policy',
        entityId: 'policy',
        after: { ...versionView(row, 1), yaml },
      });
      return true;
    });
  }

  /** The active policy (the newest approved version); pass `tx` when inside a write transaction. */
  async active(tx: Kysely<Database> = this.db.kysely): Promise<LoadedPolicy> {
    const row = await activePolicyRow(tx);
    if (!row) throw new NotFoundError('policy', 'active');
    return this.load(row);
  }

  /** One stored policy version (proposed, approved or rejected). */
  async byVersion(version: number, tx: Kysely<Database> = this.db.kysely): Promise<LoadedPolicy> {
    const row = await policyRow(tx, version);
    if (!row) throw new NotFoundError('policy version', String(version));
    return this.load(row);
  }

  /** Every stored version, newest first. */
  async versions(principal: Principal): Promise<PolicyVersion[]> {
    this.authorize(principal, 'policy.read');
    const rows = await policyRows(this.db.kysely);
    const active = rows.find((r) => r.state === 'approved');
    const activeVersion = active ? Number(active.version) : 0;
    return rows.map((r) => versionView(r, activeVersion));
  }

  /**
   * Proposes `yaml` as the next policy (validated first; errors name the line and field). It takes
   * effect only when a second person approves it. The same text as the active policy is a no-op;
   * the same text as an open proposal returns that proposal. `ifMatch`: the active version.
   * Audited as `policy.proposed`.
   */
  async propose(
    principal: Principal,
    ctx: AuditContext,
    yaml: string,
    ifMatch?: number,
  ): Promise<{ policy: LoadedPolicy; changed: boolean }> {
    this.authorize(principal, 'policy.manage');
    parsePolicyYaml(yaml, this.checks);
    const sha = policySha256(yaml);
    const version = await this.db.write(async (tx) => {
      const active = await this.activeRow(tx);
      if (ifMatch !== undefined && ifMatch !== Number(active?.version ?? 0))
        throw new ConflictError(
          `the active policy is version ${active?.version ?? 0}, not ${ifMatch}; reload and retry`,
        );
      if (active && active.sha256 === sha) return null;
      const open = await openProposal(tx, sha, Number(active?.version ?? 0));
      if (open !== undefined) return { version: open, changed: false };
      const row: PolicyVersionsTable = {
        version: (await lastPolicyVersion(tx)) + 1,
        yaml,
        sha256: sha,
        created_by: ctx.actor,
        created_at: this.clock.now().toISOString(),
        state: 'proposed',
        decided_by: null,
        decided_at: null,
        decision_note: null,
        base_version: active ? Number(active.version) : null,
      };
      await insertPolicyVersion(tx, row);
      await appendAuditEvent(tx, this.clock, ctx, {
        action: 'policy.proposed',
        entityType: 'policy_version',
        entityId: String(row.version),
        after: { ...versionView(row, Number(active?.version ?? 0)), yaml },
      });
      return { version: row.version, changed: true };
    });
    if (version === null) return { policy: await this.active(), changed: false };
    return { policy: await this.byVersion(version.version), changed: version.changed };
  }

  /**
   * Approves or rejects a proposed version: a second person (never the proposer, by separation of
   * duties). Approving needs the proposal's base still active (else propose again); the approved
   * version becomes the active policy. Audited as `policy.approved` (the active policy before and
   * after) or `policy.rejected`.
   */
  async decide(
    principal: Principal,
    ctx: AuditContext,
    version: number,
    outcome: 'approved' | 'rejected',
    note?: string,
  ): Promise<LoadedPolicy> {
    this.authorize(principal, 'policy.manage');
    await this.db.write(async (tx) => {
      const row = await policyRow(tx, version);
      if (!row) throw new NotFoundError('policy version', String(version));
      if (row.state !== 'proposed')
        throw new ConflictError(`policy version ${version} is ${row.state}, not proposed`, {
          state: row.state,
        });
      await assertSeparation(tx, null, { kind: 'approve_policy', person: ctx.actor }, [
        { kind: 'propose_policy', person: row.created_by, live: true, ref: `policy version ${version}` },
      ]);
      const active = await this.activeRow(tx);
      const activeVersion = Number(active?.version ?? 0);
      if (outcome === 'approved' && Number(row.base_version ?? 0) !== activeVersion)
        throw new ConflictError(
          `policy version ${version} was proposed against version ${row.base_version ?? 0}, but version ${activeVersion} is active now; propose it again`,
          { rule: 'policy_base_changed', activeVersion },
        );
      const next: PolicyVersionsTable = {
        ...row,
        state: outcome,
        decided_by: ctx.actor,
        decided_at: this.clock.now().toISOString(),
        decision_note: note ?? null,
      };
      if (!(await decideProposal(tx, next)))
        throw new ConflictError(`policy version ${version} changed concurrently`);
      const nowActive = outcome === 'approved' ? version : activeVersion;
      await appendAuditEvent(tx, this.clock, ctx, {
        action: `policy.${outcome}`,
        entityType: 'policy',
        entityId: 'policy',
        // Full snapshots (the active policy before and after), so history replays without joins.
        before: active ? { ...versionView(active, activeVersion), yaml: active.yaml } : null,
        after: { ...versionView(next, nowActive), yaml: next.yaml },
      });
    });
    return this.byVersion(version);
  }

  private activeRow(tx: Kysely<Database>): Promise<PolicyVersionsTable | undefined> {
    return activePolicyRow(tx);
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
      state: row.state as PolicyVersion['state'],
      decidedBy: row.decided_by,
      decidedAt: row.decided_at,
      decisionNote: row.decision_note,
      baseVersion: row.base_version === null ? null : Number(row.base_version),
    };
  }

  private authorize(principal: Principal, action: 'policy.read' | 'policy.manage'): void {
    if (decide(principal, action) !== 'allow')
      throw new ForbiddenError(
        `${aRole(principal.role)} may not ${action === 'policy.read' ? 'read' : 'change'} the policy`,
      );
  }
}
