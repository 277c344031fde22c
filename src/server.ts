import { AcceptancesService } from './governance/acceptances/acceptances.service.ts';
import { DutyChangeGuard } from './governance/access/duty-changes.ts';
import { registerAlertRoutes } from './governance/alerts/alerts.routes.ts';
import { AlertsService } from './governance/alerts/alerts.service.ts';
import { MonitoringKpisQueries } from './governance/alerts/monitoring-kpis.queries.ts';
import { registerPrometheusRoute } from './governance/alerts/prometheus.routes.ts';
import { SilencesService } from './governance/alerts/silences.service.ts';
import { prepareCheckpointDir } from './governance/audit-checkpoints/checkpoint-publish.ts';
import { registerCheckpointRoutes } from './governance/audit-checkpoints/checkpoints.routes.ts';
import { CheckpointsService } from './governance/audit-checkpoints/checkpoints.service.ts';
import { registerAuditPackageRoutes } from './governance/audit-package/audit-package.routes.ts';
import { AuditPackageService } from './governance/audit-package/audit-package.service.ts';
import { auditPackageJob } from './governance/audit-package/audit-package-job.ts';
import { AnnexIvService } from './governance/compliance/annex-iv.service.ts';
import { registerComplianceRoutes } from './governance/compliance/compliance.routes.ts';
import { ComplianceService } from './governance/compliance/compliance.service.ts';
import { OscalService } from './governance/compliance/oscal.service.ts';
import { complianceMappingIssues } from './governance/compliance/policy-mapping-check.ts';
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
import { validationJob } from './governance/evidence/validation-job.ts';
import { ExceptionReportService } from './governance/exceptions/exception-report.service.ts';
import { registerExceptionRoutes } from './governance/exceptions/exceptions.routes.ts';
import { ExceptionsService } from './governance/exceptions/exceptions.service.ts';
import { LifecycleControls } from './governance/exceptions/lifecycle-controls.ts';
import { registerFindingRoutes } from './governance/findings/findings.routes.ts';
import { FindingsService } from './governance/findings/findings.service.ts';
import { registerGateRoutes } from './governance/gate/gate.routes.ts';
import { GateService } from './governance/gate/gate.service.ts';
import { registerGenAiRoutes } from './governance/genai/genai.routes.ts';
import { GenAiService } from './governance/genai/genai.service.ts';
import { SystemCardService } from './governance/genai/system-card.service.ts';
import { registerIncidentRoutes } from './governance/incidents/incidents.routes.ts';
import { IncidentsService } from './governance/incidents/incidents.service.ts';
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
import { registerMonitoringRoutes } from './governance/monitoring/monitoring.routes.ts';
import { activePlans } from './governance/monitoring/monitoring.store.ts';
import { MonitoringIngestService } from './governance/monitoring/monitoring-ingest.service.ts';
import { MonitoringPlansService } from './governance/monitoring/monitoring-plans.service.ts';
import { MonitoringRunsService } from './governance/monitoring/monitoring-runs.service.ts';
import { MonitoringSeriesService } from './governance/monitoring/monitoring-series.service.ts';
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
import { keepAuditLinked } from './platform/audit/audit-trail.ts';
import { registerIdentityRoutes } from './platform/auth/identity.routes.ts';
import { IdentityService } from './platform/auth/identity.service.ts';
import { registerSsoRoutes } from './platform/auth/sso/sso.routes.ts';
import { SsoAdminService } from './platform/auth/sso/sso-admin.service.ts';
import { SsoConsoleService } from './platform/auth/sso/sso-console.service.ts';
import { SsoSignIn } from './platform/auth/sso/sso-signin.ts';
import { TokenExchangeService } from './platform/auth/sso/token-exchange.service.ts';
import type { BlobStore } from './platform/blob-store.ts';
import { openBlobStore } from './platform/blobs/blob-config.ts';
import type { Clock } from './platform/clock.ts';
import type { AssayConfig } from './platform/config.ts';
import type { Db } from './platform/db/database.ts';
import { prepareStatements } from './platform/db/pg-prepared.ts';
import { registerConsoleStatic } from './platform/http/console-static.ts';
import { type ApiApp, createHttpApp } from './platform/http/http-app.ts';
import { openJobQueue } from './platform/jobs/job-queue.ts';
import { registerJobRoutes } from './platform/jobs/jobs.routes.ts';
import { JobsService, MAX_JOB_ATTEMPTS } from './platform/jobs/jobs.service.ts';
import { SigningKeyRing } from './platform/signing/key-ring.ts';
import { registerKeyRoutes } from './platform/signing/keys.routes.ts';
import { ASSAY_VERSION } from './version.ts';

/** Temporary blob data older than this is a crashed write's and is removed. */
const BLOB_SWEEP_AGE_MS = 15 * 60 * 1000;

/** What the composition root needs from outside: the store, the clock and the configuration. */
export interface ServerDeps {
  db: Db;
  clock: Clock;
  config: AssayConfig;
  logger?: boolean;
  /** The blob store to use instead of opening the configured one (tests; the caller closes it). */
  blobs?: BlobStore;
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
  alerts: AlertsService;
  silences: SilencesService;
  incidents: IncidentsService;
  monitoringKpis: MonitoringKpisQueries;
  monitoringPlans: MonitoringPlansService;
  monitoringIngest: MonitoringIngestService;
  monitoringRuns: MonitoringRunsService;
  monitoringSeries: MonitoringSeriesService;
  blobs: BlobStore;
  ssoAdmin: SsoAdminService;
  tokenExchange: TokenExchangeService;
  reconciliation: ReconciliationService;
  mlflowSync: MlflowSyncService | null;
  jobs: JobsService;
}

/**
 * The composition root: the only place that wires stores, services and routes together.
 * Returns the HTTP app (not yet listening) and the services.
 */
export async function buildServer(deps: ServerDeps): Promise<{ app: ApiApp; services: Services }> {
  const { db, clock, config } = deps;
  if (db.pgPool && config.pgPreparedStatements) prepareStatements(db.pgPool);
  const identity = new IdentityService(db, clock);
  // --- Single sign-on (issue 19, docs/sso.md): OIDC console sign-in, token exchange, group → role
  // mapping, trusted workload issuers. With SSO on, password sign-in is kept for break-glass users.
  const ssoSignIn = new SsoSignIn(db, clock, identity, config.sso);
  const ssoConsole = config.sso ? new SsoConsoleService(db, clock, ssoSignIn, config.sso) : null;
  const tokenExchange = new TokenExchangeService(clock, identity, ssoSignIn, config.sso);
  const ssoAdmin = new SsoAdminService(db, clock, ssoSignIn.store, identity);
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
  // A proposed policy's compliance mappings must name requirements of the catalogs (issue 18).
  const policy = new PolicyService(db, clock, [(doc) => complianceMappingIssues(doc)]);
  await policy.ensureDefault();
  const tiering = new TieringService(db, clock, policy, models, versions);
  // Shared evidence storage (issue 19): local directory, PostgreSQL or S3 (ASSAY_BLOB_STORE).
  // Temporary data left by a crashed write is swept on start and on every scheduler tick.
  const blobs = deps.blobs ?? (await openBlobStore(config.blobStore, config.dataDir));
  const sweepBlobs = () => blobs.sweep(BLOB_SWEEP_AGE_MS).then(() => undefined);
  await sweepBlobs();
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
    {
      reviews,
      schedule: reviewSchedule,
      acceptances,
      // Listed at /api/v1/jobs as `webhook.deliveries` (the tick runs on a worker on PostgreSQL).
      webhooks: {
        deliverDue: (now) =>
          jobs.recordRun(
            'webhook.deliveries',
            () => webhooks.deliverDue(now),
            (n) => n,
          ),
      },
    },
    {
      periodicReviewLeadDays: config.periodicReviewLeadDays,
      acceptanceWarningDays: 14,
    },
  );
  // --- Alerts and incidents (issue 16): monitoring hands each window's check signals to
  // `alerts.ingestSignals`; the scheduler repeats due notifications and sends queued ones;
  // the monitoring KPIs feed the metrics API and GET /metrics (Prometheus).
  const incidents = new IncidentsService(db, clock, findings);
  const alerts = new AlertsService(
    db,
    clock,
    { models, policy, findings, incidents, reviews },
    { allowPrivateRoutes: config.alertRoutesAllowPrivate },
  );
  const silences = new SilencesService(db, clock);
  const monitoringKpis = new MonitoringKpisQueries(db, clock);
  scheduler.addTickTask(async () => {
    await alerts.notifyDue();
    await alerts.notifier.deliverDue();
  });
  // --- end alerts and incidents
  const metrics = new MetricsService(db, clock, models, reviewSchedule, exceptionReport, monitoringKpis);
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
    // Shared, rotatable keys (issue 19): the PEM in the environment, or sealed in the database.
    keyPem: config.signingKeyPem,
    kek: config.signingKek,
  });
  scheduler.addTickTask(() => signingKey.refresh());
  const checkpoints = new CheckpointsService(db, clock, signingKey, {
    intervalMs: config.checkpointIntervalMs,
    directory: config.checkpointDir ? prepareCheckpointDir(config.checkpointDir, config.dataDir) : undefined,
    report: (message) => process.stderr.write(`assay: ${message}\n`),
  });
  scheduler.addTickTask(() => checkpoints.runScheduled());
  scheduler.addTickTask(sweepBlobs);
  // Compliance mapping (issue 18): catalogs, crosswalks, computed status, Annex IV documentation.
  const compliance = new ComplianceService(db, clock, {
    policy,
    models,
    evidence,
    documentation,
    decisions,
    reviewSchedule,
  });
  const annexIv = new AnnexIvService(db, clock, { compliance, models, findings, decisions });
  const auditPackages = new AuditPackageService(db, clock, {
    models,
    versions,
    reviews,
    blobs,
    signingKey,
    documents: documentation,
    annexIv,
    assayVersion: ASSAY_VERSION,
  });
  gate.setDocumentStanding((tx, versionId, tier) => documentation.standing(tx, versionId, tier));
  // ---- Production monitoring (issue 16, governance/monitoring): plans per deployment, ingestion
  // into Parquet segments under <dataDir>/monitoring, windows computed on the scheduler's tick
  // (pg-boss on PostgreSQL, in-process on SQLite), and an active plan satisfying the checklist's
  // monitoring_plan item beside the documentation standing. The alerts feature plugs in with
  // monitoringRuns.setSignalSink(alerts) (ingestSignals(signals, routing)).
  const monitoringPlans = new MonitoringPlansService(db, clock, models);
  const monitoringIngest = new MonitoringIngestService(
    db,
    clock,
    monitoringPlans,
    `${config.dataDir}/monitoring`,
  );
  const monitoringRuns = new MonitoringRunsService(db, clock, monitoringPlans, monitoringIngest);
  const monitoringSeries = new MonitoringSeriesService(db, monitoringPlans);
  // Alerts take every window's check signals; an active plan counts a deployment as monitored.
  monitoringRuns.setSignalSink(alerts);
  monitoringKpis.setMonitoredDeployments(
    async (tx) => new Set((await activePlans(tx)).map((p) => p.deployment_id)),
  );
  const withMonitoringPlan = async (
    tx: Parameters<typeof documentation.standing>[0],
    versionId: string,
    tier: number | null,
  ) => ({
    ...(await documentation.standing(tx, versionId, tier)),
    monitoring_plan: await monitoringPlans.standing(tx, versionId),
  });
  reviews.setDocumentStanding(withMonitoringPlan);
  gate.setDocumentStanding(withMonitoringPlan);
  // Listed at /api/v1/jobs as `monitoring.windows` (the tick runs on a worker on PostgreSQL).
  scheduler.addTickTask(() =>
    jobs.recordRun(
      'monitoring.windows',
      () => monitoringRuns.runScheduled(),
      (w) => w.length,
    ),
  );
  // ---- end of production monitoring
  // --- Registry connectors and shadow models (issue 19, docs/connectors.md): the MLflow pull runs
  // on the scheduler's tick (when due) and after a signed webhook; reconciliation reads the sync,
  // the deployments and every observation source added here: monitoring's unknown deployment ids
  // (predictions ingested for a deployment the inventory does not know).
  const reconciliation = new ReconciliationService(db, models, versions);
  reconciliation.addObservationSource({
    name: 'monitoring',
    unknownDeployments: () => monitoringIngest.listUnknownDeployments(),
  });
  const mlflow = config.mlflow;
  const mlflowSync = mlflow
    ? new MlflowSyncService(db, clock, new MlflowClient(mlflow.url, mlflow.token))
    : null;
  if (mlflowSync && mlflow && mlflow.syncIntervalMs > 0)
    scheduler.addTickTask(() => mlflowSync.runIfDue(mlflow.syncIntervalMs));
  // --- end registry connectors
  // --- Background jobs (issue 19, docs/deployment.md "Workers"): requested through /api/v1/jobs,
  // run by `assay worker` processes through pg-boss on PostgreSQL (and by servers unless
  // ASSAY_SERVER_RUNS_JOBS=0), in this process on SQLite.
  const jobs: JobsService = new JobsService(db, clock, { blobs, users: identity }, () =>
    openJobQueue({
      databaseUrl: config.databaseUrl,
      timeoutSeconds: config.jobs.timeoutSeconds,
      attempts: MAX_JOB_ATTEMPTS,
      concurrency: config.jobs.concurrency,
      unfinished: () => jobs.unfinished(),
      orphans: () => jobs.orphans(),
      sweepSeconds: config.jobs.sweepSeconds,
      pollSeconds: config.jobs.pollSeconds,
      onError: (err) => process.stderr.write(`assay jobs: ${(err as Error).message}\n`),
    }),
  );
  jobs.register('audit-package.build', auditPackageJob({ auditPackages, models, clock }));
  jobs.register('validation.run', validationJob({ evidence, models, versions, policy, clock }));
  if (!config.databaseUrl) await jobs.startWorking();
  // --- end background jobs
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
    alerts,
    silences,
    incidents,
    monitoringKpis,
    monitoringPlans,
    monitoringIngest,
    monitoringRuns,
    monitoringSeries,
    blobs,
    ssoAdmin,
    tokenExchange,
    reconciliation,
    mlflowSync,
    jobs,
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
  registerJobRoutes(app, services);
  registerAuditPackageRoutes(app, services);
  registerCheckpointRoutes(app, { checkpoints, db });
  registerAlertRoutes(app, services);
  registerIncidentRoutes(app, services);
  registerPrometheusRoute(app, services);
  await registerMonitoringRoutes(app, services, { bodyLimit: config.uploadLimit });
  // Compliance routes (issue 18; the services are built before the audit packages, which carry Annex IV).
  const oscal = new OscalService({ compliance, policy });
  registerComplianceRoutes(app, { compliance, annexIv, oscal });
  // GenAI evaluation evidence read back (issue 20, docs/genai.md).
  registerGenAiRoutes(app, {
    genai: new GenAiService(evidence, versions),
    systemCards: new SystemCardService(db, clock, models, versions),
  });
  await registerConnectorRoutes(app, {
    reconciliation,
    mlflowSync,
    mlflowWebhookSecret: config.mlflow?.webhookSecret,
    clock,
    report: (message) => process.stderr.write(`assay: ${message}\n`),
  });
  void services;
  // The audit chain's outbox (PostgreSQL): events a process left unlinked (it died between its
  // commit and the linker pass) are linked now and every few seconds (docs/audit-trail.md).
  const stopLinking = await keepAuditLinked(db, (m) => process.stderr.write(`assay: ${m}\n`));
  // Jobs running here finish (or stop) before the blob store they write to closes.
  app.addHook('onClose', async () => {
    stopLinking();
    await jobs.stop();
    if (!deps.blobs) await blobs.close();
  });
  await registerConsoleStatic(app);
  return { app, services };
}
