import { ForbiddenError } from '../errors.ts';
import {
  GLOBAL_READ_ROLES,
  type ModelRelation,
  type Principal,
  type Role,
  type TokenScope,
} from './roles.ts';

/**
 * Everything a caller can try to do. Model-scoped actions are decided with the caller's relations
 * to that model; the rest are global. Extend this union and `RULES` together: a missing rule does
 * not compile.
 */
export type Action =
  | 'model.read'
  | 'model.create'
  | 'model.update'
  | 'model.relations'
  | 'model.status.gated'
  | 'model.retire'
  | 'version.write'
  | 'version.freeze'
  | 'deployment.write'
  | 'dataset.read'
  | 'dataset.create'
  | 'dataset.update'
  | 'inventory.import'
  | 'inventory.export'
  | 'audit.read_all'
  | 'audit.verify'
  | 'audit.checkpoint'
  | 'key.rotate'
  | 'user.read'
  | 'user.manage'
  | 'token.own'
  | 'token.any'
  | 'sso.manage'
  | 'connector.read'
  | 'connector.manage'
  | 'policy.read'
  | 'policy.manage'
  | 'tiering.assess'
  | 'tiering.override.request'
  | 'tiering.override.approve'
  | 'evidence.read'
  | 'evidence.write'
  | 'review.open'
  | 'review.submit'
  | 'review.manage'
  | 'review.assign'
  | 'review.carry_forward'
  | 'finding.raise'
  | 'finding.remediate'
  | 'finding.verify'
  | 'decision.propose'
  | 'decision.sign'
  | 'decision.withdraw'
  | 'decision.void'
  | 'condition.meet'
  | 'acceptance.request'
  | 'acceptance.approve'
  | 'gate.check'
  | 'exception.request'
  | 'exception.approve'
  | 'exception.revoke'
  | 'compliance.not_applicable'
  | 'report.read'
  | 'metrics.read'
  | 'webhook.manage'
  | 'scheduler.run'
  | 'job.read_all'
  | 'card.read'
  | 'card.write'
  | 'datasheet.write'
  | 'audit_package.export'
  | 'monitoring.read'
  | 'monitoring.plan'
  | 'monitoring.ingest'
  | 'monitoring.run'
  | 'alert.read'
  | 'alert.respond'
  | 'alert.triage'
  | 'alert.silence'
  | 'alert.ingest'
  | 'incident.read'
  | 'incident.manage'
  | 'monitoring.prometheus';

/** The least token scope an action needs. */
type Need = TokenScope;

interface Rule {
  scope: Need;
  /** Roles allowed regardless of relation. */
  roles: readonly Role[];
  /** Relations to the model that also allow it (for model-scoped actions). */
  relations?: readonly ModelRelation[];
  /** Roles whose relation grants it (defaults to any role) — e.g. a validator relation never grants edits. */
  relationRoles?: readonly Role[];
}

const ALL: readonly Role[] = [
  'admin',
  'governance',
  'owner',
  'developer',
  'validator',
  'approver',
  'auditor',
];
const STEWARDS: readonly Role[] = ['admin', 'governance'];
const MAKERS: readonly Role[] = ['owner', 'developer'];

const RULES: Record<Action, Rule> = {
  'model.read': {
    scope: 'read',
    roles: [...GLOBAL_READ_ROLES],
    relations: ['owner', 'developer', 'validator'],
  },
  'model.create': { scope: 'write', roles: ['admin', 'governance', 'owner'] },
  'model.update': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'model.relations': { scope: 'write', roles: STEWARDS },
  'model.status.gated': { scope: 'write', roles: STEWARDS },
  'model.retire': { scope: 'write', roles: STEWARDS, relations: ['owner'], relationRoles: MAKERS },
  'version.write': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'version.freeze': { scope: 'write', roles: STEWARDS },
  'deployment.write': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'dataset.read': { scope: 'read', roles: ALL },
  'dataset.create': { scope: 'write', roles: ['admin', 'governance', 'owner', 'developer'] },
  'dataset.update': { scope: 'write', roles: ['admin', 'governance', 'owner', 'developer'] },
  'inventory.import': { scope: 'write', roles: STEWARDS },
  'inventory.export': { scope: 'read', roles: ALL },
  'audit.read_all': { scope: 'read', roles: ['admin', 'governance', 'auditor'] },
  'audit.verify': { scope: 'read', roles: ['admin', 'governance', 'auditor'] },
  // Making a checkpoint changes no governed state; the auditor may anchor the chain whenever they look.
  'audit.checkpoint': { scope: 'write', roles: ['admin', 'governance', 'auditor'] },
  'key.rotate': { scope: 'admin', roles: ['admin'] },
  'user.read': { scope: 'read', roles: ALL },
  'user.manage': { scope: 'admin', roles: ['admin'] },
  'token.own': { scope: 'read', roles: ALL },
  'token.any': { scope: 'admin', roles: ['admin'] },
  'sso.manage': { scope: 'admin', roles: ['admin'] },
  'connector.read': { scope: 'read', roles: ['admin', 'governance', 'validator', 'approver', 'auditor'] },
  'connector.manage': { scope: 'write', roles: STEWARDS },
  'policy.read': { scope: 'read', roles: ALL },
  'policy.manage': { scope: 'write', roles: STEWARDS },
  'tiering.assess': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'tiering.override.request': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner'],
    relationRoles: MAKERS,
  },
  'tiering.override.approve': { scope: 'write', roles: STEWARDS },
  'evidence.read': {
    scope: 'read',
    roles: [...GLOBAL_READ_ROLES],
    relations: ['owner', 'developer', 'validator'],
  },
  'evidence.write': {
    scope: 'write',
    roles: [...STEWARDS, 'validator'],
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'review.open': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'review.submit': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'review.manage': { scope: 'write', roles: [...STEWARDS, 'validator'] },
  'review.assign': { scope: 'write', roles: STEWARDS },
  // The outer bound; a validator may carry forward only into a review they are assigned to.
  'review.carry_forward': { scope: 'write', roles: [...STEWARDS, 'validator'] },
  'finding.raise': { scope: 'write', roles: [...STEWARDS, 'validator'] },
  'finding.remediate': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'finding.verify': { scope: 'write', roles: [...STEWARDS, 'validator'] },
  'decision.propose': { scope: 'write', roles: [...STEWARDS, 'approver'] },
  // The outer bound; the policy's sign-off roles for the tier and the independence rule narrow it.
  'decision.sign': { scope: 'write', roles: ['governance', 'approver'] },
  // Governance withdraws a pending decision (so may its proposer) or voids a final one, with a reason.
  'decision.withdraw': { scope: 'write', roles: ['governance'] },
  'decision.void': { scope: 'write', roles: ['governance'] },
  'condition.meet': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'acceptance.request': { scope: 'write', roles: STEWARDS, relations: ['owner'], relationRoles: MAKERS },
  // The outer bound; the policy's acceptanceRoles decide which of these may accept which severity.
  'acceptance.approve': { scope: 'write', roles: ['governance', 'approver'] },
  'gate.check': {
    scope: 'read',
    roles: [...GLOBAL_READ_ROLES],
    relations: ['owner', 'developer', 'validator'],
  },
  // A lifecycle exception is asked for by the model's owner or developers (or a steward) and
  // approved by a steward who is neither the requester nor a maker of the model (checked in the service).
  'exception.request': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'exception.approve': { scope: 'write', roles: STEWARDS },
  'exception.revoke': { scope: 'write', roles: STEWARDS },
  // Recording that a compliance requirement does not apply to a model (with a reason, audited).
  'compliance.not_applicable': { scope: 'write', roles: STEWARDS },
  'report.read': { scope: 'read', roles: [...GLOBAL_READ_ROLES] },
  'metrics.read': { scope: 'read', roles: [...GLOBAL_READ_ROLES] },
  'webhook.manage': { scope: 'admin', roles: ['admin'] },
  'scheduler.run': { scope: 'admin', roles: ['admin'] },
  // Background jobs: everyone reads their own; these roles read everyone's (operations, oversight).
  'job.read_all': { scope: 'read', roles: ['admin', 'governance', 'auditor'] },
  'card.read': {
    scope: 'read',
    roles: [...GLOBAL_READ_ROLES],
    relations: ['owner', 'developer', 'validator'],
  },
  // The model's makers write its card; a validator reads it but never writes it (independence).
  'card.write': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  // The outer bound; the handler also requires the dataset's owner unless the caller is a steward.
  'datasheet.write': { scope: 'write', roles: ['admin', 'governance', 'owner', 'developer'] },
  // Everything in the package (evidence files, records, the model's audit events) is readable by the same callers.
  'audit_package.export': {
    scope: 'read',
    roles: [...GLOBAL_READ_ROLES],
    relations: ['owner', 'developer', 'validator'],
  },
  // Production monitoring: whoever may read the model reads its series; its makers (or stewards)
  // write its plans, send its prediction logs and outcomes, and run or backfill its checks.
  'monitoring.read': {
    scope: 'read',
    roles: [...GLOBAL_READ_ROLES],
    relations: ['owner', 'developer', 'validator'],
  },
  'monitoring.plan': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'monitoring.ingest': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'monitoring.run': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  // Monitoring alerts are read like the model's evidence; its makers and stewards respond
  // (acknowledge, assign); triage raises a finding, so it follows finding.raise.
  'alert.read': {
    scope: 'read',
    roles: [...GLOBAL_READ_ROLES],
    relations: ['owner', 'developer', 'validator'],
  },
  'alert.respond': {
    scope: 'write',
    roles: STEWARDS,
    relations: ['owner', 'developer'],
    relationRoles: MAKERS,
  },
  'alert.triage': { scope: 'write', roles: [...STEWARDS, 'validator'] },
  'alert.silence': { scope: 'write', roles: STEWARDS },
  // Check signals from a producer other than Assay's own monitoring job.
  'alert.ingest': { scope: 'write', roles: STEWARDS },
  // Incidents are an operational record across models: every role reads them; stewards and makers run them.
  'incident.read': { scope: 'read', roles: ALL },
  'incident.manage': { scope: 'write', roles: [...STEWARDS, 'owner', 'developer'] },
  // GET /metrics (Prometheus text): portfolio-level counters only, for a scraper's read token.
  'monitoring.prometheus': { scope: 'read', roles: ['admin', 'governance', 'auditor'] },
};

const SCOPE_RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 };

/** The outcome of a permission check: `hidden` means the caller may not even know the model exists (404). */
export type Decision = 'allow' | 'deny' | 'hidden';

/**
 * Decides whether `principal` may do `action`. For model-scoped actions pass the caller's relations
 * to the model; a caller who cannot read the model gets `hidden`, never `deny`.
 */
export function decide(principal: Principal, action: Action, relations?: readonly ModelRelation[]): Decision {
  const rule = RULES[action];
  const modelScoped = relations !== undefined;
  if (modelScoped && action !== 'model.read' && decide(principal, 'model.read', relations) === 'hidden')
    return 'hidden';
  if (modelScoped && action === 'model.read') {
    const visible = GLOBAL_READ_ROLES.has(principal.role) || relations.length > 0;
    return visible ? 'allow' : 'hidden';
  }
  if (SCOPE_RANK[principal.scope] < SCOPE_RANK[rule.scope]) return 'deny';
  if (rule.roles.includes(principal.role)) return 'allow';
  if (
    modelScoped &&
    rule.relations?.some((r) => relations.includes(r)) &&
    (rule.relationRoles ?? ALL).includes(principal.role)
  ) {
    return 'allow';
  }
  return 'deny';
}

/** The rule table, for the permission documentation and the exhaustive matrix test. */
export function permissionRules(): Readonly<Record<Action, Readonly<Rule>>> {
  return RULES;
}

/**
 * The refusal of a token whose scope is below what `what` (an action or a route) needs: a 403 that
 * names the scope as the reason (`details.rule = 'token_scope'`), whatever the caller's role.
 */
export function tokenScopeRefusal(scope: TokenScope, need: TokenScope, what: string): ForbiddenError {
  return new ForbiddenError(`this token's scope is '${scope}'; ${what} needs '${need}'`, {
    rule: 'token_scope',
    scope,
    need,
  });
}

/**
 * Throws the token-scope refusal unless the caller's token reaches the scope `action` needs. For the
 * paths that allow a caller without `decide()` (an owner shortcut): the role may not matter there,
 * but the token's scope always does.
 */
export function demandTokenScope(principal: Principal, action: Action): void {
  const need = RULES[action].scope;
  if (SCOPE_RANK[principal.scope] < SCOPE_RANK[need]) throw tokenScopeRefusal(principal.scope, need, action);
}
