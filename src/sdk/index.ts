import { healthSchema } from '../contracts/identity.ts';
import { alertsApi } from './alerts.ts';
import { auditPackageApi } from './audit-package.ts';
import { type AssayClientOptions, Transport } from './client.ts';
import { complianceApi } from './compliance.ts';
import { connectorsApi } from './connectors.ts';
import { decisionsApi } from './decisions.ts';
import { documentationApi } from './documentation.ts';
import { evidenceApi } from './evidence.ts';
import { exceptionsApi } from './exceptions.ts';
import { acceptancesApi, findingsApi } from './findings.ts';
import { gateApi } from './gate.ts';
import { genaiApi } from './genai.ts';
import { auditApi, identityApi } from './identity.ts';
import { incidentsApi } from './incidents.ts';
import { datasetsApi, deploymentsApi, modelsApi, versionsApi } from './inventory.ts';
import { jobsApi } from './jobs.ts';
import { keysApi } from './keys.ts';
import { metricsApi } from './metrics.ts';
import { monitoringApi } from './monitoring.ts';
import { policyApi } from './policy.ts';
import { reviewsApi } from './reviews.ts';
import { ssoApi } from './sso.ts';
import { tieringApi } from './tiering.ts';
import { transferApi } from './transfer.ts';
import { schedulerApi, webhooksApi } from './webhooks.ts';

export {
  AssayApiError,
  type AssayClientOptions,
  type HttpFetch,
  type HttpResponse,
  type Query,
  Transport,
} from './client.ts';
export type * from './contract-types.ts';
export type { RevisionOptions } from './documentation.ts';
export type { EvidenceFile } from './evidence.ts';
export type { ModelFilters } from './inventory.ts';
export type { JobWaitOptions } from './jobs.ts';
export type { MonitoringBatchFormat } from './monitoring.ts';
export type { IfMatch, ReviewApiEvent } from './reviews.ts';
export type { TierOverrideRequest } from './tiering.ts';
export type { TransferFormat, TransferKind } from './transfer.ts';
export type { WebhookCreateInput } from './webhooks.ts';

/**
 * The typed Assay client: one property per feature, every answer validated against the zod
 * contracts in src/contracts.
 *
 * @example const assay = new AssayClient({ baseUrl: 'http://localhost:7420', token });
 *          const { items } = await assay.findings.list({ state: 'open' });
 */
export class AssayClient {
  readonly transport: Transport;
  readonly auth: ReturnType<typeof identityApi>;
  readonly users: ReturnType<typeof identityApi>['users'];
  readonly tokens: ReturnType<typeof identityApi>['tokens'];
  /** The audit trail: events, verification, signed checkpoints. */
  readonly audit: ReturnType<typeof auditApi>;
  readonly transfer: ReturnType<typeof transferApi>;
  readonly models: ReturnType<typeof modelsApi>;
  readonly versions: ReturnType<typeof versionsApi>;
  readonly datasets: ReturnType<typeof datasetsApi>;
  readonly deployments: ReturnType<typeof deploymentsApi>;
  readonly evidence: ReturnType<typeof evidenceApi>;
  /** GenAI evaluation evidence (assay.genai/v1 documents of a version). */
  readonly genai: ReturnType<typeof genaiApi>;
  readonly auditPackages: ReturnType<typeof auditPackageApi>;
  /** Tiering questionnaires, re-tiering decisions and tier overrides. */
  readonly tiering: ReturnType<typeof tieringApi>;
  readonly reviews: ReturnType<typeof reviewsApi>;
  readonly findings: ReturnType<typeof findingsApi>;
  /** Risk acceptances of findings. */
  readonly acceptances: ReturnType<typeof acceptancesApi>;
  readonly decisions: ReturnType<typeof decisionsApi>;
  /** The deployment gate. */
  readonly gate: ReturnType<typeof gateApi>;
  readonly policy: ReturnType<typeof policyApi>;
  readonly metrics: ReturnType<typeof metricsApi>;
  /** Model cards and datasheets. */
  readonly documentation: ReturnType<typeof documentationApi>;
  /** Lifecycle exceptions (and their report). */
  readonly exceptions: ReturnType<typeof exceptionsApi>;
  /** Monitoring alerts and silences. */
  readonly alerts: ReturnType<typeof alertsApi>;
  /** Incidents (MTTD/MTTR, Art. 73 serious incidents, corrective actions). */
  readonly incidents: ReturnType<typeof incidentsApi>;
  /** Compliance mapping: catalogs, crosswalks, computed status, Annex IV (issue 18). */
  readonly compliance: ReturnType<typeof complianceApi>;
  readonly webhooks: ReturnType<typeof webhooksApi>;
  readonly scheduler: ReturnType<typeof schedulerApi>;
  /** Production monitoring of deployments. */
  readonly monitoring: ReturnType<typeof monitoringApi>;
  /** The server's signing keys. */
  readonly keys: ReturnType<typeof keysApi>;
  /** Single sign-on: status, ticket redemption, token exchange, role mappings and workload rules. */
  readonly sso: ReturnType<typeof ssoApi>;
  /** Registry connectors (MLflow sync) and the reconciliation report of shadow models. */
  readonly connectors: ReturnType<typeof connectorsApi>;
  /** Background jobs (audit package builds on workers): request, follow, download. */
  readonly jobs: ReturnType<typeof jobsApi>;
  /** Reports: the exception report. */
  readonly reports: { exceptions: ReturnType<typeof exceptionsApi>['report'] };

  constructor(options: AssayClientOptions) {
    const t = new Transport(options);
    this.transport = t;
    this.auth = identityApi(t);
    this.users = this.auth.users;
    this.tokens = this.auth.tokens;
    this.audit = auditApi(t);
    this.transfer = transferApi(t);
    this.models = modelsApi(t);
    this.versions = versionsApi(t);
    this.datasets = datasetsApi(t);
    this.deployments = deploymentsApi(t);
    this.evidence = evidenceApi(t);
    this.genai = genaiApi(t);
    this.auditPackages = auditPackageApi(t);
    this.tiering = tieringApi(t);
    this.reviews = reviewsApi(t);
    this.findings = findingsApi(t);
    this.acceptances = acceptancesApi(t);
    this.decisions = decisionsApi(t);
    this.gate = gateApi(t);
    this.policy = policyApi(t);
    this.metrics = metricsApi(t);
    this.documentation = documentationApi(t);
    this.exceptions = exceptionsApi(t);
    this.alerts = alertsApi(t);
    this.incidents = incidentsApi(t);
    this.compliance = complianceApi(t);
    this.webhooks = webhooksApi(t);
    this.scheduler = schedulerApi(t);
    this.keys = keysApi(t);
    this.monitoring = monitoringApi(t);
    this.sso = ssoApi(t);
    this.connectors = connectorsApi(t);
    this.jobs = jobsApi(t);
    this.reports = { exceptions: this.exceptions.report };
  }

  /** The server's health (no token needed). */
  health() {
    return this.transport.call('GET', '/api/health', { schema: healthSchema });
  }
}
