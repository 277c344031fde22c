import { ALERT_CASES } from './alert-permission-cases.ts';
import { AUDIT_PACKAGE_CASES } from './audit-package-permission-cases.ts';
import { COMPLIANCE_CASES } from './compliance-permission-cases.ts';
import { DECISION_CASES } from './decision-permission-cases.ts';
import { DOCUMENTATION_FORMAT_CASES } from './documentation-format-permission-cases.ts';
import { DOCUMENTATION_CASES } from './documentation-permission-cases.ts';
import { EXCEPTION_CASES } from './exception-permission-cases.ts';
import { GENAI_CASES } from './genai-permission-cases.ts';
import { INVENTORY_CASES } from './inventory-permission-cases.ts';
import { JOB_CASES } from './jobs-permission-cases.ts';
import { MONITORING_CASES } from './monitoring-permission-cases.ts';
import { IDENTITY_CASES, type RouteCase } from './permission-cases.ts';
import { SSO_CASES } from './sso-permission-cases.ts';
import { WORKFLOW_CASES } from './workflow-permission-cases.ts';

/**
 * A request that succeeds for an allowed caller, for every non-public route (by `METHOD /url`):
 * the permission matrix and the hostile-input test both drive every route from here.
 */
export const ROUTE_CASES: Record<string, RouteCase> = {
  ...IDENTITY_CASES,
  ...INVENTORY_CASES,
  ...WORKFLOW_CASES,
  ...DECISION_CASES,
  ...DOCUMENTATION_CASES,
  ...DOCUMENTATION_FORMAT_CASES,
  ...AUDIT_PACKAGE_CASES,
  ...EXCEPTION_CASES,
  ...ALERT_CASES,
  ...MONITORING_CASES,
  ...COMPLIANCE_CASES,
  ...SSO_CASES,
  ...GENAI_CASES,
  ...JOB_CASES,
};
