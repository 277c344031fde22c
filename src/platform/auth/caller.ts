import type { AuditContext } from '../audit/audit-trail.ts';
import type { Principal } from './roles.ts';

/** Who is acting: the principal for permissions and the audit context for the trail. */
export interface Caller {
  principal: Principal;
  audit: AuditContext;
}
