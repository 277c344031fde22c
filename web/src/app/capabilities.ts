/**
 * What the console offers to a role. The server decides every request (src/platform/auth/permissions.ts);
 * this mirror only hides buttons the server would refuse, so an auditor sees no actions at all.
 */
export type ConsoleRole =
  | 'admin'
  | 'governance'
  | 'owner'
  | 'developer'
  | 'validator'
  | 'approver'
  | 'auditor';
export type ConsoleScope = 'read' | 'write' | 'admin';

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
  manageFindings: boolean;
  viewPolicy: boolean;
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
    manageFindings: write && (steward || maker || role === 'validator'),
    viewPolicy: steward || role === 'auditor' || role === 'approver' || role === 'validator',
  };
}
