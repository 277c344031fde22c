import type { Migration } from '../migrate.ts';
import { platformMigration } from './0001_platform.ts';
import { inventoryMigration } from './0002_inventory.ts';
import { workflowReviewsMigration } from './0010_workflow_reviews.ts';
import { workflowDecisionsMigration } from './0011_workflow_decisions.ts';
import { documentationMigration } from './0012_documentation.ts';
import { loginThrottleMigration } from './0030_login_throttle.ts';
import { auditCheckpointsMigration } from './0031_audit_checkpoints.ts';
import { separationOfDutiesMigration } from './0032_separation_of_duties.ts';
import { approvalBindingMigration } from './0033_approval_binding.ts';
import { reviewCyclesMigration } from './0034_review_cycles.ts';
import { lifecycleExceptionsMigration } from './0035_lifecycle_exceptions.ts';
import { monitoringMigration } from './0040_monitoring.ts';
import { alertsMigration } from './0045_alerts.ts';
import { incidentsMigration } from './0046_incidents.ts';
import { complianceMigration } from './0055_compliance.ts';
import { sharedBlobsMigration } from './0060_shared_blobs.ts';
import { signingKeySecretsMigration } from './0061_signing_key_secrets.ts';
import { ssoMigration } from './0065_sso.ts';
import { registrySyncMigration } from './0066_registry_sync.ts';
import { jobsMigration } from './0080_jobs.ts';
import { genaiSystemCardsMigration } from './0095_genai_system_cards.ts';
import { auditAppendMigration } from './0100_audit_append.ts';
import { auditPendingMigration } from './0101_audit_pending.ts';

/** Every migration, in order. One set for SQLite and PostgreSQL; add a feature's migration here. */
export const migrations: readonly Migration[] = [
  platformMigration,
  inventoryMigration,
  workflowReviewsMigration,
  workflowDecisionsMigration,
  documentationMigration,
  loginThrottleMigration,
  auditCheckpointsMigration,
  reviewCyclesMigration,
  lifecycleExceptionsMigration,
  separationOfDutiesMigration,
  approvalBindingMigration,
  monitoringMigration,
  alertsMigration,
  incidentsMigration,
  complianceMigration,
  sharedBlobsMigration,
  signingKeySecretsMigration,
  ssoMigration,
  registrySyncMigration,
  jobsMigration,
  genaiSystemCardsMigration,
  auditAppendMigration,
  auditPendingMigration,
];
