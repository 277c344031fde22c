import type { Role } from '../../src/platform/auth/roles.ts';

/**
 * The people of the workflow tests: owners olivia (of credit-pd) and otto, developer dev,
 * validators vera and victor, governance officers gina and gabe.
 */
export const WORKFLOW_TEAM: readonly (readonly [string, Role])[] = [
  ['olivia', 'owner'],
  ['dev', 'developer'],
  ['vera', 'validator'],
  ['victor', 'validator'],
  ['gina', 'governance'],
  ['gabe', 'governance'],
  ['otto', 'owner'],
];
