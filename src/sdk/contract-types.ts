/** The contract types an SDK caller reads and writes, re-exported from src/contracts (zod z.infer). */

export type {
  AuditEvent,
  AuditEventQuery,
  AuditFullVerify,
  AuditVerify,
  AuditVerifyRequest,
  CheckpointBody,
  CheckpointCheck,
  SignedCheckpoint,
  StateMismatch,
  StateVerify,
  StoredCheckpoint,
} from '../contracts/audit.ts';
export type {
  AuditPackageManifest,
  AuditPackageQuery,
  KeyRotation,
  PublicKey,
} from '../contracts/audit-package.ts';
export type { ReconRegister, ReconReport } from '../contracts/connectors.ts';
export type {
  Condition,
  Decision,
  DecisionBinding,
  DecisionCreate,
  DecisionListQuery,
  DecisionOutcome,
  DecisionState,
  Signature,
} from '../contracts/decisions.ts';
export type {
  CardMetric,
  CardSectionId,
  Completeness,
  CompletenessGap,
  CompletenessGapCode,
  DatasetRef,
  Datasheet,
  DatasheetContent,
  DatasheetContentInput,
  DatasheetDraft,
  DatasheetSave,
  DatasheetSectionId,
  DocumentExportFormat,
  DocumentRevision,
  DocumentStatus,
  EvidenceRef,
  ModelCard,
  ModelCardContent,
  ModelCardContentInput,
  ModelCardDraft,
  ModelCardSave,
  RiskMitigation,
} from '../contracts/documentation.ts';
export type {
  CardImportFormat,
  CardImportRequest,
  CardImportResult,
  CardStandardExportFormat,
} from '../contracts/documentation-formats.ts';
export type {
  Evidence,
  EvidenceCreate,
} from '../contracts/evidence.ts';
export type {
  ExceptionAllowance,
  ExceptionCreate,
  ExceptionListQuery,
  ExceptionReport,
  ExceptionReportCounts,
  ExceptionState,
  LifecycleException,
} from '../contracts/exceptions.ts';
export type {
  Acceptance,
  AcceptanceCreate,
  AcceptanceListQuery,
  AcceptanceState,
  Finding,
  FindingCreate,
  FindingEvent,
  FindingListQuery,
  FindingState,
  FindingTransition,
} from '../contracts/findings.ts';
export type {
  GateNote,
  GateQuery,
  GateReason,
  GateReasonCode,
  GateResult,
} from '../contracts/gate.ts';
export type {
  Health,
  Me,
  Token,
  TokenCreate,
  TokenCreated,
  User,
  UserCreate,
  UserPatch,
} from '../contracts/identity.ts';
export type {
  Dataset,
  DatasetCreate,
  Deployment,
  Model,
  ModelCreate,
  ModelDetail,
  ModelException,
  ModelListItem,
  ModelListQuery,
  ModelStatus,
  ModelType,
  ModelUpdate,
  OpenFindingCounts,
  Version,
  VersionCreate,
} from '../contracts/inventory.ts';
export type { Job, JobListQuery, JobProgress, JobRequest, JobStatus } from '../contracts/jobs.ts';
export type { Metrics } from '../contracts/metrics.ts';
export type {
  ActivePolicy,
  CardListMinimums,
  DocumentationTier,
  EuAiActAnswers,
  EuAiActClass,
  EuClassification,
  EuObligation,
  EuProvision,
  EvidenceType,
  Gate,
  PolicyDocument,
  PolicyIssue,
  PolicyVersion,
  Severity,
  Tiering,
  TieringQuestion,
  TieringRequest,
  TierOverride,
  TierRequirements,
  ValidationThreshold,
} from '../contracts/policy.ts';
export type {
  CarriedForward,
  CarryForwardCreate,
  Checklist,
  ChecklistItem,
  ChecklistItemStatus,
  Review,
  ReviewCreate,
  ReviewDetail,
  ReviewEvent,
  ReviewListQuery,
  ReviewState,
  ReviewType,
} from '../contracts/reviews.ts';
export type {
  DatasetImportRow,
  ImportProblem,
  ImportResult,
  ModelImportRow,
  VersionImportRow,
} from '../contracts/transfer.ts';
export type {
  FairnessResult,
  GroupMetrics,
  MulticlassResult,
  PerformanceResult,
  SuggestedFinding,
  ValidationConfig,
  ValidationEvidence,
} from '../contracts/validation-evidence.ts';
export type {
  SchedulerTick,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookEvent,
} from '../contracts/webhooks.ts';
