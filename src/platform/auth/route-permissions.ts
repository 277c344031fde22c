import { type Action, permissionRules } from './permissions.ts';
import type { TokenScope } from './roles.ts';

/**
 * How each API route is guarded: the single table behind docs/permissions.md and the exhaustive
 * permission-matrix test (which fails when a registered route has no row here).
 * - `public`: no token needed.
 * - `authenticated`: any valid token (the handler shows only the caller's own data).
 * - an Action: decided by `decide()`; `model: true` when the route addresses one model, so a caller
 *   without any relation to it (and no global read) gets 404, never 403.
 */
export interface RouteGuard {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  guard: 'public' | 'authenticated' | Action;
  model?: boolean;
  /** What the matrix cannot read off the rule alone (ownership checks inside the handler). */
  note?: string;
  /**
   * The least token scope the route needs, checked by the authentication hook before the handler
   * runs. Unset: `read` for GET, `write` for every other method, raised to the action's own scope.
   * Set it only for a non-GET route that changes nothing by itself (a preview; revoking a token).
   */
  scope?: TokenScope;
}

/** Every /api route and its guard, in documentation order. */
export const ROUTE_GUARDS: readonly RouteGuard[] = [
  { method: 'GET', url: '/api/health', guard: 'public' },
  { method: 'GET', url: '/api/openapi.json', guard: 'authenticated' },
  { method: 'POST', url: '/api/v1/auth/login', guard: 'public' },
  { method: 'GET', url: '/api/v1/me', guard: 'authenticated' },
  { method: 'GET', url: '/api/v1/auth/me', guard: 'authenticated' },
  { method: 'GET', url: '/api/v1/users', guard: 'user.read' },
  { method: 'POST', url: '/api/v1/users', guard: 'user.manage' },
  { method: 'GET', url: '/api/v1/users/:id', guard: 'user.read' },
  {
    method: 'PATCH',
    url: '/api/v1/users/:id',
    guard: 'user.manage',
    note: 'not your own role or disabled flag',
  },
  {
    method: 'POST',
    url: '/api/v1/tokens',
    guard: 'token.own',
    note: "for yourself; for another user needs token.any; scope ≤ the calling token's scope; a write token (a leaked read token cannot mint lasting ones)",
  },
  { method: 'GET', url: '/api/v1/tokens', guard: 'token.own', note: 'own tokens; token.any sees all' },
  {
    method: 'POST',
    url: '/api/v1/tokens/:id/revoke',
    guard: 'token.own',
    scope: 'read',
    note: "own tokens; token.any for anyone's; others' tokens are 404; a read token may revoke (it only takes access away)",
  },
  { method: 'GET', url: '/api/v1/auth/sso', guard: 'public' },
  { method: 'GET', url: '/api/v1/auth/sso/start', guard: 'public' },
  { method: 'GET', url: '/api/v1/auth/sso/callback', guard: 'public' },
  {
    method: 'POST',
    url: '/api/v1/auth/sso/ticket',
    guard: 'public',
    note: 'a one-time ticket from the SSO callback',
  },
  {
    method: 'POST',
    url: '/api/v1/token',
    guard: 'public',
    note: 'RFC 8693 token exchange: a verified ID token or trusted workload JWT is the credential',
  },
  { method: 'GET', url: '/api/v1/sso/role-mappings', guard: 'sso.manage' },
  { method: 'POST', url: '/api/v1/sso/role-mappings', guard: 'sso.manage' },
  { method: 'DELETE', url: '/api/v1/sso/role-mappings/:id', guard: 'sso.manage' },
  { method: 'GET', url: '/api/v1/sso/workload-rules', guard: 'sso.manage' },
  { method: 'POST', url: '/api/v1/sso/workload-rules', guard: 'sso.manage' },
  { method: 'POST', url: '/api/v1/sso/workload-rules/:id/disable', guard: 'sso.manage' },
  { method: 'GET', url: '/api/v1/connectors/reconciliation', guard: 'connector.read' },
  {
    method: 'POST',
    url: '/api/v1/connectors/reconciliation/register',
    guard: 'connector.manage',
  },
  { method: 'POST', url: '/api/v1/connectors/mlflow/sync', guard: 'connector.manage' },
  { method: 'GET', url: '/api/v1/connectors/mlflow/entries', guard: 'connector.read' },
  {
    method: 'POST',
    url: '/api/v1/connectors/mlflow/webhook',
    guard: 'public',
    note: 'verified by the MLflow webhook signature (HMAC-SHA256 with ASSAY_MLFLOW_WEBHOOK_SECRET); only triggers a pull',
  },
  {
    method: 'GET',
    url: '/api/v1/models',
    guard: 'authenticated',
    note: 'lists only the models the caller may see',
  },
  { method: 'POST', url: '/api/v1/models', guard: 'model.create' },
  { method: 'GET', url: '/api/v1/models/:key', guard: 'model.read', model: true },
  {
    method: 'PATCH',
    url: '/api/v1/models/:key',
    guard: 'model.update',
    model: true,
    note: 'owner change: model.relations',
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/transition',
    guard: 'model.update',
    model: true,
    note: 'to approved/production: model.status.gated; to retired: model.retire',
  },
  { method: 'POST', url: '/api/v1/models/:key/retire', guard: 'model.retire', model: true },
  { method: 'PUT', url: '/api/v1/models/:key/relations', guard: 'model.relations', model: true },
  { method: 'GET', url: '/api/v1/models/:key/as-of', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/models/:key/completeness', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/models/:key/history', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/models/:key/lineage', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/models/:key/versions', guard: 'model.read', model: true },
  { method: 'POST', url: '/api/v1/models/:key/versions', guard: 'version.write', model: true },
  { method: 'GET', url: '/api/v1/models/:key/versions/:label', guard: 'model.read', model: true },
  {
    method: 'PATCH',
    url: '/api/v1/models/:key/versions/:label',
    guard: 'version.write',
    model: true,
    note: 'refused (409) once frozen',
  },
  { method: 'POST', url: '/api/v1/models/:key/versions/:label/freeze', guard: 'version.freeze', model: true },
  {
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/supersede',
    guard: 'version.write',
    model: true,
  },
  { method: 'GET', url: '/api/v1/models/:key/deployments', guard: 'model.read', model: true },
  { method: 'POST', url: '/api/v1/models/:key/deployments', guard: 'deployment.write', model: true },
  { method: 'POST', url: '/api/v1/deployments/:id/end', guard: 'deployment.write', model: true },
  { method: 'PUT', url: '/api/v1/deployments/:id/monitoring/plan', guard: 'monitoring.plan', model: true },
  { method: 'GET', url: '/api/v1/deployments/:id/monitoring/plan', guard: 'monitoring.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/deployments/:id/monitoring/ingest',
    guard: 'monitoring.ingest',
    model: true,
    note: 'an unknown deployment id is recorded for the shadow-model reconciliation, then 404',
  },
  {
    method: 'POST',
    url: '/api/v1/deployments/:id/monitoring/predictions',
    guard: 'monitoring.ingest',
    model: true,
  },
  {
    method: 'POST',
    url: '/api/v1/deployments/:id/monitoring/outcomes',
    guard: 'monitoring.ingest',
    model: true,
  },
  { method: 'POST', url: '/api/v1/deployments/:id/monitoring/run', guard: 'monitoring.run', model: true },
  { method: 'GET', url: '/api/v1/deployments/:id/monitoring/series', guard: 'monitoring.read', model: true },
  {
    method: 'GET',
    url: '/api/v1/deployments/:id/monitoring/windows/:windowId',
    guard: 'monitoring.read',
    model: true,
  },
  { method: 'GET', url: '/api/v1/monitoring/unknown-deployments', guard: 'report.read' },
  { method: 'GET', url: '/api/v1/datasets', guard: 'dataset.read' },
  { method: 'POST', url: '/api/v1/datasets', guard: 'dataset.create' },
  { method: 'GET', url: '/api/v1/datasets/:id', guard: 'dataset.read' },
  {
    method: 'PATCH',
    url: '/api/v1/datasets/:id',
    guard: 'dataset.update',
    note: "stewards, or the dataset's owner",
  },
  {
    method: 'POST',
    url: '/api/v1/datasets/:id/archive',
    guard: 'dataset.update',
    note: "stewards, or the dataset's owner",
  },
  {
    method: 'GET',
    url: '/api/v1/datasets/:id/lineage',
    guard: 'dataset.read',
    note: 'names only the models the caller may see',
  },
  { method: 'GET', url: '/api/v1/audit/events', guard: 'audit.read_all' },
  { method: 'GET', url: '/api/v1/audit/verify', guard: 'audit.verify' },
  {
    method: 'POST',
    url: '/api/v1/audit/verify',
    guard: 'audit.verify',
    scope: 'read',
    note: 'changes nothing: a read token suffices',
  },
  { method: 'GET', url: '/api/v1/audit/checkpoints', guard: 'audit.verify' },
  { method: 'GET', url: '/api/v1/audit/checkpoints/latest', guard: 'audit.verify' },
  { method: 'POST', url: '/api/v1/audit/checkpoints', guard: 'audit.checkpoint' },
  { method: 'POST', url: '/api/v1/import', guard: 'inventory.import' },
  {
    method: 'GET',
    url: '/api/v1/export',
    guard: 'inventory.export',
    note: 'models and versions: only those the caller may see',
  },
  { method: 'GET', url: '/api/v1/policy', guard: 'policy.read' },
  { method: 'GET', url: '/api/v1/policy/versions', guard: 'policy.read' },
  {
    method: 'PUT',
    url: '/api/v1/policy',
    guard: 'policy.manage',
    note: 'proposes a version; it takes effect when another person approves it',
  },
  {
    method: 'POST',
    url: '/api/v1/policy/versions/:version/approve',
    guard: 'policy.manage',
    note: 'never the proposer (separation of duties)',
  },
  {
    method: 'POST',
    url: '/api/v1/policy/versions/:version/reject',
    guard: 'policy.manage',
    note: 'never the proposer (separation of duties)',
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/tiering',
    guard: 'tiering.assess',
    model: true,
  },
  { method: 'GET', url: '/api/v1/models/:key/versions/:label/tiering', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/models/:key/tierings', guard: 'model.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/tierings/:id/approve',
    guard: 'tiering.override.approve',
    model: true,
    note: "a pending re-tiering: not by its requester nor the model's owner or developers (four eyes)",
  },
  {
    method: 'POST',
    url: '/api/v1/tierings/:id/reject',
    guard: 'tiering.override.approve',
    model: true,
    note: "a pending re-tiering: not by its requester nor the model's owner or developers (four eyes)",
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/tier-overrides',
    guard: 'tiering.override.request',
    model: true,
  },
  { method: 'GET', url: '/api/v1/models/:key/tier-overrides', guard: 'model.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/tier-overrides/:id/approve',
    guard: 'tiering.override.approve',
    model: true,
    note: 'not by the requester (four eyes)',
  },
  {
    method: 'POST',
    url: '/api/v1/tier-overrides/:id/reject',
    guard: 'tiering.override.approve',
    model: true,
    note: 'not by the requester (four eyes)',
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/evidence',
    guard: 'evidence.write',
    model: true,
  },
  { method: 'GET', url: '/api/v1/models/:key/versions/:label/evidence', guard: 'evidence.read', model: true },
  { method: 'GET', url: '/api/v1/evidence/:id', guard: 'evidence.read', model: true },
  { method: 'GET', url: '/api/v1/evidence/:id/content', guard: 'evidence.read', model: true },
  { method: 'POST', url: '/api/v1/evidence/:id/supersede', guard: 'evidence.write', model: true },
  { method: 'GET', url: '/api/v1/models/:key/versions/:label/genai', guard: 'evidence.read', model: true },
  {
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/genai/system-card',
    guard: 'model.read',
    model: true,
  },
  {
    method: 'PUT',
    url: '/api/v1/models/:key/versions/:label/genai/system-card',
    guard: 'version.write',
    model: true,
  },
  { method: 'POST', url: '/api/v1/models/:key/versions/:label/reviews', guard: 'review.open', model: true },
  {
    method: 'GET',
    url: '/api/v1/reviews',
    guard: 'authenticated',
    note: 'only reviews of models the caller may read',
  },
  { method: 'GET', url: '/api/v1/reviews/:id', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/reviews/:id/checklist', guard: 'model.read', model: true },
  { method: 'POST', url: '/api/v1/reviews/:id/submit', guard: 'review.submit', model: true },
  {
    method: 'POST',
    url: '/api/v1/reviews/:id/validator',
    guard: 'review.assign',
    model: true,
    note: 'the validator must have the validator role and be independent of owner, developers and submitter',
  },
  {
    method: 'POST',
    url: '/api/v1/reviews/:id/carry-forward',
    guard: 'review.carry_forward',
    model: true,
    note: 'a validator only into a review assigned to them; a reason of at least 20 characters',
  },
  {
    method: 'POST',
    url: '/api/v1/reviews/:id/transition',
    guard: 'review.manage',
    model: true,
    note: 'validation steps only by the assigned validator or governance; withdraw needs review.submit',
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/findings',
    guard: 'finding.raise',
    model: true,
  },
  {
    method: 'GET',
    url: '/api/v1/findings',
    guard: 'authenticated',
    note: 'only findings of models the caller may see',
  },
  { method: 'GET', url: '/api/v1/findings/:id', guard: 'model.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/findings/:id/transition',
    guard: 'finding.remediate',
    model: true,
    note: "remediation: the finding's owner or finding.remediate; verify/reject: finding.verify, never the remediator",
  },
  {
    method: 'POST',
    url: '/api/v1/risk-acceptances',
    guard: 'acceptance.request',
    model: true,
  },
  {
    method: 'GET',
    url: '/api/v1/risk-acceptances',
    guard: 'authenticated',
    note: 'only models the caller may see',
  },
  { method: 'GET', url: '/api/v1/risk-acceptances/:id', guard: 'model.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/risk-acceptances/:id/approve',
    guard: 'acceptance.approve',
    model: true,
    note: "not the requester; the approver's role must be in the policy's acceptanceRoles for every severity",
  },
  {
    method: 'POST',
    url: '/api/v1/risk-acceptances/:id/reject',
    guard: 'acceptance.approve',
    model: true,
    note: 'not the requester',
  },
  {
    method: 'POST',
    url: '/api/v1/reviews/:id/decisions',
    guard: 'decision.propose',
    model: true,
    note: 'the review must be decision_pending; approvals need a complete checklist',
  },
  { method: 'GET', url: '/api/v1/decisions', guard: 'authenticated', note: 'only models the caller may see' },
  { method: 'GET', url: '/api/v1/decisions/:id', guard: 'model.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/decisions/:id/withdraw',
    guard: 'decision.withdraw',
    model: true,
    note: "pending only; also the decision's proposer; a reason of 20+ characters",
  },
  {
    method: 'POST',
    url: '/api/v1/decisions/:id/void',
    guard: 'decision.void',
    model: true,
    note: 'final only; a reason of 20+ characters; the review returns to decision_pending',
  },
  {
    method: 'POST',
    url: '/api/v1/decisions/:id/sign',
    guard: 'decision.sign',
    model: true,
    note: "the policy's sign-off roles for the tier; never the model's owner, developers or the review's submitter",
  },
  {
    method: 'POST',
    url: '/api/v1/conditions/:id/met',
    guard: 'condition.meet',
    model: true,
    note: "or the condition's owner",
  },
  { method: 'GET', url: '/api/v1/gate', guard: 'gate.check', model: true },
  { method: 'GET', url: '/api/v1/metrics', guard: 'metrics.read' },
  { method: 'POST', url: '/api/v1/exceptions', guard: 'exception.request', model: true },
  {
    method: 'GET',
    url: '/api/v1/exceptions',
    guard: 'authenticated',
    note: 'lists only exceptions of models the caller may see',
  },
  { method: 'GET', url: '/api/v1/exceptions/:id', guard: 'model.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/exceptions/:id/approve',
    guard: 'exception.approve',
    model: true,
    note: "not the requester, nor the model's owner or developers",
  },
  { method: 'POST', url: '/api/v1/exceptions/:id/reject', guard: 'exception.approve', model: true },
  { method: 'POST', url: '/api/v1/exceptions/:id/revoke', guard: 'exception.revoke', model: true },
  { method: 'GET', url: '/api/v1/reports/exceptions', guard: 'report.read' },
  {
    method: 'GET',
    url: '/api/v1/alerts',
    guard: 'authenticated',
    note: 'only alerts of models the caller may see',
  },
  { method: 'POST', url: '/api/v1/alerts/signals', guard: 'alert.ingest' },
  { method: 'GET', url: '/api/v1/alerts/:id', guard: 'alert.read', model: true },
  { method: 'GET', url: '/api/v1/alerts/:id/notifications', guard: 'alert.read', model: true },
  { method: 'POST', url: '/api/v1/alerts/:id/acknowledge', guard: 'alert.respond', model: true },
  { method: 'POST', url: '/api/v1/alerts/:id/assign', guard: 'alert.respond', model: true },
  {
    method: 'POST',
    url: '/api/v1/alerts/:id/triage',
    guard: 'alert.triage',
    model: true,
    note: 'into an incident also needs incident.manage',
  },
  { method: 'GET', url: '/api/v1/alert-silences', guard: 'alert.read' },
  { method: 'POST', url: '/api/v1/alert-silences', guard: 'alert.silence' },
  { method: 'POST', url: '/api/v1/alert-silences/:id/expire', guard: 'alert.silence' },
  { method: 'GET', url: '/api/v1/incidents', guard: 'incident.read' },
  { method: 'POST', url: '/api/v1/incidents', guard: 'incident.manage' },
  { method: 'GET', url: '/api/v1/incidents/:id', guard: 'incident.read' },
  { method: 'POST', url: '/api/v1/incidents/:id/transition', guard: 'incident.manage' },
  { method: 'POST', url: '/api/v1/incidents/:id/notes', guard: 'incident.manage' },
  { method: 'POST', url: '/api/v1/incidents/:id/serious', guard: 'incident.manage' },
  { method: 'POST', url: '/api/v1/incidents/:id/reported', guard: 'incident.manage' },
  {
    method: 'POST',
    url: '/api/v1/incidents/:id/actions',
    guard: 'finding.raise',
    note: 'the corrective action is a finding of the named version',
  },
  { method: 'POST', url: '/api/v1/webhooks', guard: 'webhook.manage' },
  { method: 'GET', url: '/api/v1/webhooks', guard: 'webhook.manage' },
  { method: 'POST', url: '/api/v1/webhooks/:id/deactivate', guard: 'webhook.manage' },
  { method: 'GET', url: '/api/v1/webhooks/:id/deliveries', guard: 'webhook.manage' },
  { method: 'POST', url: '/api/v1/scheduler/run', guard: 'scheduler.run' },
  { method: 'GET', url: '/api/v1/models/:key/versions/:label/card', guard: 'card.read', model: true },
  { method: 'PUT', url: '/api/v1/models/:key/versions/:label/card', guard: 'card.write', model: true },
  {
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/card/revisions',
    guard: 'card.read',
    model: true,
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/card/publish',
    guard: 'card.write',
    model: true,
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/card/draft',
    guard: 'card.read',
    model: true,
    scope: 'read',
    note: '`save: true` needs card.write',
  },
  {
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/card/completeness',
    guard: 'card.read',
    model: true,
  },
  { method: 'GET', url: '/api/v1/models/:key/versions/:label/card/export', guard: 'card.read', model: true },
  {
    method: 'GET',
    url: '/api/v1/models/:key/versions/:label/card/export/:format',
    guard: 'card.read',
    model: true,
  },
  {
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/card/import',
    guard: 'card.write',
    model: true,
    scope: 'read',
    note: '`save: false` (convert only) needs card.read',
  },
  { method: 'GET', url: '/api/v1/datasets/:id/datasheet', guard: 'dataset.read' },
  {
    method: 'PUT',
    url: '/api/v1/datasets/:id/datasheet',
    guard: 'datasheet.write',
    note: "the dataset's owner, or admin/governance",
  },
  { method: 'GET', url: '/api/v1/datasets/:id/datasheet/revisions', guard: 'dataset.read' },
  {
    method: 'POST',
    url: '/api/v1/datasets/:id/datasheet/publish',
    guard: 'datasheet.write',
    note: "the dataset's owner, or admin/governance",
  },
  {
    method: 'POST',
    url: '/api/v1/datasets/:id/datasheet/draft',
    guard: 'dataset.read',
    scope: 'read',
    note: "`save: true` needs datasheet.write as the dataset's owner, or admin/governance",
  },
  { method: 'GET', url: '/api/v1/datasets/:id/datasheet/completeness', guard: 'dataset.read' },
  { method: 'GET', url: '/api/v1/datasets/:id/datasheet/export', guard: 'dataset.read' },
  { method: 'GET', url: '/api/v1/datasets/:id/datasheet/export/:format', guard: 'dataset.read' },
  {
    method: 'POST',
    url: '/api/v1/jobs',
    guard: 'audit_package.export',
    model: true,
    note: "the job kind's own check on the model in the body (audit-package.build: audit_package.export)",
  },
  {
    method: 'GET',
    url: '/api/v1/jobs',
    guard: 'authenticated',
    note: 'own jobs; all=true with job.read_all',
  },
  {
    method: 'GET',
    url: '/api/v1/jobs/:id',
    guard: 'authenticated',
    note: 'own jobs; others with job.read_all',
  },
  {
    method: 'GET',
    url: '/api/v1/jobs/:id/artifact',
    guard: 'authenticated',
    note: 'own jobs; others with job.read_all',
  },
  { method: 'GET', url: '/api/v1/keys', guard: 'authenticated' },
  { method: 'POST', url: '/api/v1/keys/rotate', guard: 'key.rotate' },
  { method: 'GET', url: '/api/v1/models/:key/audit-package', guard: 'audit_package.export', model: true },
  // Compliance mapping (issue 18).
  { method: 'GET', url: '/api/v1/compliance/catalogs', guard: 'authenticated' },
  { method: 'GET', url: '/api/v1/compliance/catalogs/:id', guard: 'authenticated' },
  { method: 'GET', url: '/api/v1/compliance/catalogs/:id/oscal', guard: 'authenticated' },
  { method: 'GET', url: '/api/v1/compliance/oscal/component-definition', guard: 'authenticated' },
  { method: 'GET', url: '/api/v1/compliance/crosswalk', guard: 'authenticated' },
  {
    method: 'GET',
    url: '/api/v1/compliance/portfolio',
    guard: 'authenticated',
    note: 'covers only models the caller may see',
  },
  { method: 'GET', url: '/api/v1/models/:key/compliance', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/models/:key/compliance/annex-iv', guard: 'model.read', model: true },
  { method: 'GET', url: '/api/v1/models/:key/compliance/oscal', guard: 'model.read', model: true },
  {
    method: 'POST',
    url: '/api/v1/models/:key/compliance/not-applicable',
    guard: 'compliance.not_applicable',
    model: true,
  },
  {
    method: 'POST',
    url: '/api/v1/compliance/not-applicable/:id/withdraw',
    guard: 'compliance.not_applicable',
    model: true,
  },
];

const SCOPE_RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 };
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BY_KEY = new Map(ROUTE_GUARDS.map((r) => [`${r.method} ${r.url}`, r]));

/** The guard row of a registered route, if it has one. */
export function routeGuardOf(method: string, url: string): RouteGuard | undefined {
  return BY_KEY.get(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}

/**
 * The least token scope a route needs: the row's own `scope` when stated, otherwise `write` for
 * any method that can change state (`read` for GET/HEAD), raised to the scope of the route's action.
 * Routes without a row (a new route someone forgot to list) need `write` unless they are GETs.
 */
export function requiredScope(method: string, url: string): TokenScope {
  const row = routeGuardOf(method, url);
  if (row?.scope) return row.scope;
  const base: TokenScope = READ_METHODS.has(method) ? 'read' : 'write';
  if (!row || row.guard === 'public' || row.guard === 'authenticated') return base;
  const actionScope = permissionRules()[row.guard].scope;
  return SCOPE_RANK[actionScope] > SCOPE_RANK[base] ? actionScope : base;
}

/** True when a token of `scope` reaches what `need` asks for. */
export function scopeSuffices(scope: TokenScope, need: TokenScope): boolean {
  return SCOPE_RANK[scope] >= SCOPE_RANK[need];
}
