import { AcceptancesService } from './governance/acceptances/acceptances.service.ts';
import { DutyChangeGuard } from './governance/access/duty-changes.ts';
import { prepareCheckpointDir } from './governance/audit-checkpoints/checkpoint-publish.ts';
import { registerCheckpointRoutes } from './governance/audit-checkpoints/checkpoints.routes.ts';
import { CheckpointsService } from './governance/audit-checkpoints/checkpoints.service.ts';
import { registerAuditPackageRoutes } from './governance/audit-package/audit-package.routes.ts';
import { AuditPackageService } from './governance/audit-package/audit-package.service.ts';
import { registerConnectorRoutes } from './governance/connectors/connectors.routes.ts';
import { MlflowClient } from './governance/connectors/mlflow/mlflow.client.ts';
import { MlflowSyncService } from './governance/connectors/mlflow/mlflow-sync.service.ts';
import { ReconciliationService } from './governance/connectors/reconciliation.service.ts';
import { registerDecisionWithdrawalRoutes } from './governance/decisions/decision-withdrawal.routes.ts';
import { DecisionWithdrawalService } from './governance/decisions/decision-withdrawal.service.ts';
import { registerDecisionRoutes } from './governance/decisions/decisions.routes.ts';
import { DecisionsService } from './governance/decisions/decisions.service.ts';
import { registerDocumentationRoutes } from './governance/documentation/documentation.routes.ts';
import { DocumentationService } from './governance/documentation/documentation.service.ts';
import { registerDocumentationFormatRoutes } from './governance/documentation/documentation-formats.routes.ts';
import { DocumentationFormatsService } from './governance/documentation/documentation-formats.service.ts';
import { registerEvidenceRoutes } from './governance/evidence/evidence.routes.ts';
import { EvidenceService } from './governance/evidence/evidence.service.ts';
import { ExceptionReportService } from './governance/exceptions/exception-report.service.ts';
import { registerExceptionRoutes } from './governance/exceptions/exceptions.routes.ts';
import { ExceptionsService } from './governance/exceptions/exceptions.service.ts';
import { LifecycleControls } from './governance/exceptions/lifecycle-controls.ts';
import { registerFindingRoutes } from './governance/findings/findings.routes.ts';
import { FindingsService } from './governance/findings/findings.service.ts';
import { registerGateRoutes } from './governance/gate/gate.routes.ts';
import { GateService } from './governance/gate/gate.service.ts';
import { DatasetsService } from './governance/inventory/datasets.service.ts';
import { registerInventoryRoutes } from './governance/inventory/inventory.routes.ts';
import { LineageService } from './governance/inventory/lineage.service.ts';
import { parseRequiredFields } from './governance/inventory/model-rules.ts';
import { ModelsService } from './governance/inventory/models.service.ts';
import { registerTransferRoutes } from './governance/inventory/transfer/transfer.routes.ts';
import { TransferService } from './governance/inventory/transfer/transfer.service.ts';
import { VersionsService } from './governance/inventory/versions.service.ts';
import { registerMetricsRoutes } from './governance/metrics/metrics.routes.ts';
import { MetricsService } from './governance/metrics/metrics.service.ts';
import { registerPolicyRoutes } from './governance/policy/policy.routes.ts';
import { PolicyService } from './governance/policy/policy.service.ts';
import { materialChangeListener } from './governance/reviews/material-change.ts';
import { ReviewCyclesService } from './governance/reviews/review-cycles.service.ts';
import { ReviewScheduleService } from './governance/reviews/review-schedule.service.ts';
import { registerReviewRoutes } from './governance/reviews/reviews.routes.ts';
import { ReviewsService } from './governance/reviews/reviews.service.ts';
import { SchedulerService } from './governance/scheduler/scheduler.service.ts';
import { registerTieringRoutes } from './governance/tiering/tiering.routes.ts';
import { TieringService } from './governance/tiering/tiering.service.ts';
import { registerWebhookRoutes } from './governance/webhooks/webhooks.routes.ts';
import { WebhooksService } from './governance/webhooks/webhooks.service.ts';
import { registerAuditRoutes } from './platform/audit/audit.routes.ts';
import { registerIdentityRoutes } from './platform/auth/identity.routes.ts';
import { IdentityService } from './platform/auth/identity.service.ts';
import { registerSsoRoutes } from './platform/auth/sso/sso.routes.ts';
import { SsoAdminService } from './platform/auth/sso/sso-admin.service.ts';
import { SsoConsoleService } from './platform/auth/sso/sso-console.service.ts';
import { SsoSignIn } from './platform/auth/sso/sso-signin.ts';
import { TokenExchangeService } from './platform/auth/sso/token-exchange.service.ts';
import { BlobStore } from './platform/blob-store.ts';
import type { Clock } from './platform/clock.ts';
import type { AssayConfig } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { registerConsoleStatic } from './platform/http/console-static.ts';
import { type ApiApp, createHttpApp } from './platform/http/http-app.ts';
import { SigningKeyRing } from './platform/signing/key-ring.ts';
import { registerKeyRoutes } from './platform/signing/keys.routes.ts';
import { ASSAY_VERSION } from './version.ts';

/** What the composition root needs from outside: the store, the clock and the configuration. */
export interface ServerDeps {
  db: Db;
  clock: Clock;
  config: AssayConfig;
  logger?: boolean;
}

/** Every service, built once. Scheduled jobs, the CLI's serve command and tests reach them here. */
export interface Services {
  identity: IdentityService;
  policy: PolicyService;
  tiering: TieringService;
  evidence: EvidenceService;
  reviews: ReviewsService;
  reviewCycles: ReviewCyclesService;
  reviewSchedule: ReviewScheduleService;
  findings: FindingsService;
  decisions: DecisionsService;
  decisionWithdrawals: DecisionWithdrawalService;
  acceptances: AcceptancesService;
  gate: GateService;
  exceptions: ExceptionsService;
  exceptionReport: ExceptionReportService;
  webhooks: WebhooksService;
  scheduler: SchedulerService;
  metrics: MetricsService;
  models: ModelsService;
  versions: VersionsService;
  datasets: DatasetsService;
  lineage: LineageService;
  documentation: DocumentationService;
  signingKey: SigningKeyRing;
  auditPackages: AuditPackageService;
  checkpoints: CheckpointsService;
  ssoAdmin: SsoAdminService;
  tokenExchange: TokenExchangeService;
  reconciliation: ReconciliationService;
  mlflowSync: MlflowSyncService | null;
}

/**
 * The composition root: the only place that wires stores, services and routes together.
 * Returns the HTTP app (not yet listening) and the services.
 */
export async function buildServer(deps: ServerDeps): Promise<{ app: ApiApp; services: Services }> {
  const { db, clock, config } = deps;
  const identity = new IdentityService(db, clock);
  // --- Single sign-on (issue 19, docs/sso.md): OIDC console sign-in, token exchange, group → role
  // mapping, trusted workload issuers. With SSO on, password sign-in is kept for break-glass users.
  const ssoSignIn = new SsoSignIn(db, clock, identity, config.sso);
  const ssoConsole = config.sso ? new SsoConsoleService(db, clock, ssoSignIn, config.sso) : null;
  const tokenExchange = new TokenExchangeService(clock, identity, ssoSignIn, config.sso);
  const ssoAdmin = new SsoAdminService(db, clock, ssoSignIn.store, identity.store);
  const sso = config.sso;
  if (sso)
    identity.setPasswordSignInPolicy({
      refuse: (user) =>
        sso.breakGlassUsers.includes(user.username)
          ? null
          : 'password sign-in is kept for break-glass accounts; sign in with single sign-on',
      sessionName: 'console session (break-glass password sign-in)',
    });
  // --- end single sign-on
  const models = new ModelsService(db, clock, parseRequiredFields(config.completenessFields));
  const versions = new VersionsService(db, clock, models);
  const datasets = new DatasetsService(db, clock);
  const lineage = new LineageService(db, models, versions, datasets);
  const policy = new PolicyService(db, clock);
  await policy.ensureDefault();
  const tiering = new TieringService(db, clock, policy, models, versions);
  const blobs = new BlobStore(`${config.dataDir}/blobs`);
  const evidence = new EvidenceService(db, clock, blobs, config.uploadLimit, models, versions);
  const reviews = new ReviewsService(db, clock, policy, models, versions, evidence);
  const reviewCycles = new ReviewCyclesService(db, clock, models);
  versions.onVersionCreated(materialChangeListener(reviews));
  const reviewSchedule = new ReviewScheduleService(db, policy);
  models.setNextReviewDates((ids) => reviewSchedule.nextReviewDates(ids));
  const findings = new FindingsService(db, clock, policy, models, versions);
  const decisions = new DecisionsService(db, clock, policy, models, versions, reviews);
  const acceptances = new AcceptancesService(db, clock, policy, models, findings, reviews);
  const decisionWithdrawals = new DecisionWithdrawalService(db, clock, models, reviews);
  // Separation of duties sees every relation and role change (platform cannot import governance).
  const duties = new DutyChangeGuard(clock, reviews, decisionWithdrawals);
  models.setRelationsGuard((tx, audit, modelId, next) => duties.relationsChanging(tx, audit, modelId, next));
  identity.setRoleChangeGuard((tx, audit, user, role) => duties.roleChanging(tx, audit, user, role));
  const gate = new GateService(db, clock, { policy, models, evidence, findings, decisions, acceptances });
  const exceptions = new ExceptionsService(db, clock, models);
  const lifecycle = new LifecycleControls(clock, { exceptions, gate, decisions });
  models.setLifecycleGuard(lifecycle);
  gate.setExceptionNotes((tx, model, version) => lifecycle.gateNotes(tx, model, version));
  const exceptionReport = new ExceptionReportService(db, clock, { exceptions, gate, decisions });
  const webhooks = new WebhooksService(db, clock);
  const scheduler = new SchedulerService(
    db,
    clock,
    { reviews, schedule: reviewSchedule, acceptances, webhooks },
    {
      periodicReviewLeadDays: config.periodicReviewLeadDays,
      acceptanceWarningDays: 14,
    },
  );
  const metrics = new MetricsService(db, clock, models, reviewSchedule, exceptionReport);
  const documentation = new DocumentationService(db, clock, {
    policy,
    models,
    versions,
    datasets,
    evidence,
    blobs,
  });
  reviews.setDocumentStanding((tx, versionId, tier) => documentation.standing(tx, versionId, tier));
  const signingKey = await SigningKeyRing.open(db, clock, {
    dataDir: config.dataDir,
    keyFile: config.signingKeyFile,
  });
  const checkpoints = new CheckpointsService(db, clock, signingKey, {
    intervalMs: config.checkpointIntervalMs,
    directory: config.checkpointDir ? prepareCheckpointDir(config.checkpointDir, config.dataDir) : undefined,
    report: (message) => process.stderr.write(`assay: ${message}\n`),
  });
  scheduler.addTickTask(() => checkpoints.runScheduled());
  const auditPackages = new AuditPackageService(db, clock, {
    models,
    versions,
    reviews,
    blobs,
    signingKey,
    documents: documentation,
    assayVersion: ASSAY_VERSION,
  });
  gate.setDocumentStanding((tx, versionId, tier) => documentation.standing(tx, versionId, tier));
  // --- Registry connectors and shadow models (issue 19, docs/connectors.md): the MLflow pull runs
  // on the scheduler's tick (when due) and after a signed webhook; reconciliation reads the sync,
  // the deployments and every observation source added here (monitoring's unknown deployment ids
  // when that feature is present: reconciliation.addObservationSource({ name: 'monitoring',
  // unknownDeployments: () => monitoringIngest.listUnknownDeployments() })).
  const reconciliation = new ReconciliationService(db, models);
  const mlflow = config.mlflow;
  const mlflowSync = mlflow
    ? new MlflowSyncService(db, clock, new MlflowClient(mlflow.url, mlflow.token))
    : null;
  if (mlflowSync && mlflow && mlflow.syncIntervalMs > 0)
    scheduler.addTickTask(() => mlflowSync.runIfDue(mlflow.syncIntervalMs));
  // --- end registry connectors
  const services: Services = {
    identity,
    policy,
    tiering,
    evidence,
    reviews,
    reviewCycles,
    reviewSchedule,
    findings,
    decisions,
    decisionWithdrawals,
    acceptances,
    gate,
    exceptions,
    exceptionReport,
    webhooks,
    scheduler,
    metrics,
    models,
    versions,
    datasets,
    lineage,
    documentation,
    signingKey,
    auditPackages,
    checkpoints,
    ssoAdmin,
    tokenExchange,
    reconciliation,
    mlflowSync,
  };

  const app = await createHttpApp({
    identity,
    bodyLimit: config.bodyLimit,
    logger: deps.logger ?? false,
    version: ASSAY_VERSION,
  });
  // Feature routes, one line each.
  registerIdentityRoutes(app, services);
  await registerSsoRoutes(app, { ssoConfig: config.sso, ssoConsole, tokenExchange, ssoAdmin });
  registerAuditRoutes(app, { db });
  registerPolicyRoutes(app, services);
  registerTieringRoutes(app, services);
  await registerEvidenceRoutes(app, services, config.uploadLimit);
  registerReviewRoutes(app, services);
  registerFindingRoutes(app, services);
  registerDecisionRoutes(app, services);
  registerDecisionWithdrawalRoutes(app, services);
  registerGateRoutes(app, services);
  registerExceptionRoutes(app, services);
  registerWebhookRoutes(app, services);
  registerMetricsRoutes(app, services);
  registerDocumentationRoutes(app, services);
  registerDocumentationFormatRoutes(app, { formats: new DocumentationFormatsService(services) });
  registerInventoryRoutes(app, services);
  registerTransferRoutes(app, { transfer: new TransferService(db, clock, services) });
  registerKeyRoutes(app, services);
  registerAuditPackageRoutes(app, services);
  registerCheckpointRoutes(app, { checkpoints, db });
  await registerConnectorRoutes(app, {
    reconciliation,
    mlflowSync,
    mlflowWebhookSecret: config.mlflow?.webhookSecret,
    clock,
    report: (message) => process.stderr.write(`assay: ${message}\n`),
  });
  void services;
  await registerConsoleStatic(app);
  return { app, services };
}
