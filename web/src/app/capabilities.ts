import type { z } from 'zod';
import type { roleSchema, tokenScopeSchema } from '../../../src/contracts/identity.ts';

/*
 * What the console offers to a role. The server decides every request (src/platform/auth/permissions.ts);
 * this mirror only hides buttons the server would refuse, so an auditor sees no actions at all.
 */

/** A user's role (the identity contract's). */
export type ConsoleRole = z.infer<typeof roleSchema>;
/** A token's scope (the identity contract's). */
export type ConsoleScope = z.infer<typeof tokenScopeSchema>;

/** The actions the console can offer. */
export interface Capabilities {
  createModel: boolean;
  editInventory: boolean;
  freezeVersion: boolean;
  importInventory: boolean;
  readAudit: boolean;
  manageUsers: boolean;
  submitReview: boolean;
  validate: boolean;
  decide: boolean;
  /** Sign decisions (the policy's sign-off roles; never the model's makers or the submitter). */
  signDecision: boolean;
  manageFindings: boolean;
  /** Plan remediation and submit closure evidence (the finding's owner may too). */
  remediateFindings: boolean;
  /** Verify and close findings, or send them back (never one's own remediation). */
  verifyFindings: boolean;
  requestAcceptance: boolean;
  /** Approve or reject risk acceptances (never one's own request; the policy's roles per severity). */
  approveAcceptance: boolean;
  /** Set a model's owner, developers and validators. */
  editRelations: boolean;
  assignValidator: boolean;
  viewPolicy: boolean;
  /** Register, list and disable outbound webhooks and read their delivery logs (admins). */
  manageWebhooks: boolean;
  /** Acknowledge and assign monitoring alerts (their model's makers too, as the server checks). */
  respondAlerts: boolean;
  /** Triage an alert into a finding or an incident. */
  triageAlerts: boolean;
  /** Silence alerts for a while, with a reason. */
  silenceAlerts: boolean;
  /** Move incidents, note them, flag them serious (EU AI Act Art. 73), add corrective actions. */
  manageIncidents: boolean;
  /** Read the inventory reconciliation report (registry and deployments against the inventory). */
  readReconciliation: boolean;
  /** Register shadow models from the reconciliation report, run connector pulls. */
  manageConnectors: boolean;
}

/** The capabilities of a role through a token of a given scope (the lesser of the two wins). */
export function capabilitiesOf(role: ConsoleRole, scope: ConsoleScope): Capabilities {
  const write = scope !== 'read';
  const steward = role === 'admin' || role === 'governance';
  const maker = role === 'owner' || role === 'developer';
  return {
    createModel: write && (steward || role === 'owner'),
    editInventory: write && (steward || maker),
    freezeVersion: write && steward,
    importInventory: write && steward,
    readAudit: steward || role === 'auditor',
    manageUsers: scope === 'admin' && role === 'admin',
    submitReview: write && (steward || maker),
    validate: write && (steward || role === 'validator'),
    decide: write && (steward || role === 'approver'),
    signDecision: write && (role === 'governance' || role === 'approver'),
    manageFindings: write && (steward || maker || role === 'validator'),
    remediateFindings: write && (steward || maker),
    verifyFindings: write && (steward || role === 'validator'),
    requestAcceptance: write && (steward || maker),
    approveAcceptance: write && (role === 'governance' || role === 'approver'),
    editRelations: write && steward,
    assignValidator: write && steward,
    viewPolicy: steward || role === 'auditor' || role === 'approver' || role === 'validator',
    manageWebhooks: scope === 'admin' && role === 'admin',
    respondAlerts: write && (steward || maker),
    triageAlerts: write && (steward || role === 'validator'),
    silenceAlerts: write && steward,
    manageIncidents: write && (steward || maker),
    readReconciliation: steward || role === 'validator' || role === 'approver' || role === 'auditor',
    manageConnectors: write && steward,
  };
}
