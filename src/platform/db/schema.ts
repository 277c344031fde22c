import type { AlertsTables } from './tables/alerts.ts';
import type { AuditCheckpointTables } from './tables/audit-checkpoints.ts';
import type { ComplianceTables } from './tables/compliance.ts';
import type { DocumentationTables } from './tables/documentation.ts';
import type { GenAiTables } from './tables/genai.ts';
import type { InventoryTables } from './tables/inventory.ts';
import type { JobsTables } from './tables/jobs.ts';
import type { LifecycleExceptionsTables } from './tables/lifecycle-exceptions.ts';
import type { MonitoringTables } from './tables/monitoring.ts';
import type { PlatformTables } from './tables/platform.ts';
import type { RegistrySyncTables } from './tables/registry-sync.ts';
import type { ReviewCyclesTables } from './tables/review-cycles.ts';
import type { SharedBlobsTables } from './tables/shared-blobs.ts';
import type { SsoTables } from './tables/sso.ts';
import type { WorkflowDecisionsTables } from './tables/workflow-decisions.ts';
import type { WorkflowReviewsTables } from './tables/workflow-reviews.ts';

/**
 * The whole database as Kysely sees it: one interface per feature's tables, merged here.
 * Add a feature's tables by extending this interface with its `*Tables` type.
 */
export interface Database
  extends PlatformTables,
    InventoryTables,
    WorkflowReviewsTables,
    WorkflowDecisionsTables,
    DocumentationTables,
    AuditCheckpointTables,
    ReviewCyclesTables,
    LifecycleExceptionsTables,
    AlertsTables,
    MonitoringTables,
    ComplianceTables,
    SharedBlobsTables,
    SsoTables,
    RegistrySyncTables,
    GenAiTables,
    JobsTables {}
