import type { AuditEventQuery, AuditVerify } from '../../../src/contracts/audit.ts';
import type { Decision } from '../../../src/contracts/decisions.ts';
import type {
  Completeness as DocumentCompleteness,
  DocumentRevision,
  ModelCard,
} from '../../../src/contracts/documentation.ts';
import type { Evidence } from '../../../src/contracts/evidence.ts';
import type { ExceptionReport } from '../../../src/contracts/exceptions.ts';
import type { Acceptance, Finding } from '../../../src/contracts/findings.ts';
import type { GateResult as ContractGateResult } from '../../../src/contracts/gate.ts';
import type { TokenCreate, UserCreate } from '../../../src/contracts/identity.ts';
import type { ModelCreate, ModelStatus } from '../../../src/contracts/inventory.ts';
import type { Metrics } from '../../../src/contracts/metrics.ts';
import {
  type ActivePolicy,
  type EvidenceType,
  type PolicyVersion,
  policyDocumentSchema,
  type Tiering,
  type TieringQuestion,
  type TierOverride,
} from '../../../src/contracts/policy.ts';
import type {
  ReviewDetail as ContractReviewDetail,
  Review,
  ReviewCreate,
} from '../../../src/contracts/reviews.ts';
import { validationEvidenceSchema } from '../../../src/contracts/validation-evidence.ts';
import type { Webhook, WebhookCreate, WebhookDelivery } from '../../../src/contracts/webhooks.ts';
import { consoleExtras } from '../../../src/sdk/console-extras.ts';
import { exceptionsApi } from '../../../src/sdk/exceptions.ts';
import { AssayClient } from '../../../src/sdk/index.ts';
import { workflowDecisionsApi } from '../../../src/sdk/workflow-decisions.ts';
import { tierRationale } from '../model/tier-rationale.ts';
import type {
  DashboardMetrics,
  FindingCard,
  FindingMove,
  GateResult,
  NewDecision,
  NewFinding,
  PolicyView,
  ReviewDetail,
  ReviewRow,
  SuggestedFinding,
  TokenRow,
  UserRow,
  ValidationReport,
} from './api-workflow.ts';
import type { ConsoleRole, ConsoleScope } from './capabilities.ts';
import {
  listQueryOf,
  toLineage,
  toModelDetail,
  toModelDetailAsOf,
  toModelRow,
} from './inventory-adapters.ts';
import { type EvidenceRow, toEvidenceRow, toValidationReport } from './report-adapter.ts';

/** Whether evidence is a stored JSON file (the engine's evidence.json, not its report.html). */
function isJsonEvidence(e: Evidence): boolean {
  return (
    e.file !== null &&
    (e.file.mediaType === 'application/json' || (e.file.filename ?? '').toLowerCase().endsWith('.json'))
  );
}

export type { EvidenceRow } from './report-adapter.ts';

import {
  toDashboardMetrics,
  toFindingCard,
  toGateResult,
  toPolicyView,
  toReviewDetail,
  toReviewRow,
} from './workflow-adapters.ts';

/** The signed-in user as the console needs it. */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: ConsoleRole;
  scope: ConsoleScope;
}

/** One row of the inventory. */
export interface ModelRow {
  key: string;
  name: string;
  type: string;
  status: string;
  tier: number | string | null;
  owner: string | null;
  businessUnit: string | null;
  vendor: boolean;
  vendorName: string | null;
  genai: boolean;
  tags: string[];
  completeness?: number | null;
  openFindings?: Partial<Record<'critical' | 'high' | 'medium' | 'low', number>> | null;
  nextReviewDate?: string | null;
  updatedAt?: string | null;
  /** The valid lifecycle exception the model stands on (approved or in production without a decision). */
  exception?: { id: string; until: string; reason: string } | null;
}

/** Inventory filters and sort as the list call takes them. */
export interface ModelFilters {
  q?: string | undefined;
  status?: string | undefined;
  tier?: string | undefined;
  owner?: string | undefined;
  type?: string | undefined;
  tag?: string | undefined;
  vendor?: boolean | undefined;
  genai?: boolean | undefined;
  businessUnit?: string | undefined;
  sort?: string | undefined;
}

/** A page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number | null;
}

/** A model with everything its overview shows. */
export interface ModelDetail extends ModelRow {
  id: string;
  description: string | null;
  purpose: string | null;
  intendedUse: string | null;
  intendedUsers: string | null;
  outOfScopeUses: string | null;
  decisionImpact: string | null;
  developers: string[];
  validators: string[];
  tierRationale: string | null;
  euAiActClass: string | null;
  links: Record<string, string | null>;
  missingFields: string[];
  rowVersion: number;
  createdAt: string;
}

/** A dataset as lineage shows it. */
export interface DatasetNode {
  id: string;
  name: string;
  role: string;
  sha256: string | null;
  containsPii: boolean;
  derivedFrom: string[];
}

/** A deployment of a version. */
export interface DeploymentRow {
  id: string;
  environment: string;
  endpoint: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** A version with its lineage. */
export interface VersionLineage {
  label: string;
  status: string;
  frozen: boolean;
  createdAt: string;
  createdBy: string | null;
  changeSummary: string | null;
  materialChange: boolean;
  artifactUri: string | null;
  artifactSha256: string | null;
  codeRef: string | null;
  trainingDatasets: string[];
  evaluationDatasets: string[];
  deployments: DeploymentRow[];
}

/** A model's lineage: versions, every dataset they reach (ancestors included). */
export interface ModelLineage {
  versions: VersionLineage[];
  datasets: DatasetNode[];
}

/** One audit event. */
export interface AuditEventRow {
  id: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** A version's model card as the model page shows it (read-only). */
export interface ModelCardView {
  card: ModelCard | null;
  revisions: DocumentRevision[];
  completeness: DocumentCompleteness | null;
}

/** A model's people: one owner, developers and validators. */
export interface ModelRelations {
  owner: string;
  developers: string[];
  validators: string[];
}

/** Where evidence goes: a model version, as one evidence type of its checklist. */
export interface EvidenceTarget {
  modelKey: string;
  versionLabel: string;
  type: EvidenceType;
  /** The open review the evidence is produced for (it then counts for that review's cycle). */
  reviewId?: string;
}

/** Everything the console asks of the server. */
export interface ConsoleClient {
  me(): Promise<Me>;
  login(username: string, password: string): Promise<{ token: string }>;
  listModels(
    q: ModelFilters & { limit?: number; cursor?: string | undefined },
    signal?: AbortSignal,
  ): Promise<Page<ModelRow>>;
  getModel(key: string, asOf?: string): Promise<ModelDetail>;
  createModel(input: ModelCreate): Promise<{ key: string }>;
  transitionModel(key: string, to: string, rowVersion: number, reason?: string): Promise<unknown>;
  getLineage(key: string): Promise<ModelLineage>;
  modelHistory(modelKey: string, cursor?: string): Promise<Page<AuditEventRow>>;
  auditEvents(q: Partial<AuditEventQuery>): Promise<Page<AuditEventRow & { seq: number }>>;
  verifyAudit(): Promise<AuditVerify>;
  metrics(): Promise<DashboardMetrics>;
  /** The exception report (what an auditor looks for first). */
  exceptionReport(): Promise<ExceptionReport>;
  listFindings(f: {
    state?: string | undefined;
    owner?: string | undefined;
    model?: string | undefined;
  }): Promise<FindingCard[]>;
  /** Moves a finding: remediation plan, closure evidence (attached first), verification or sending back. */
  moveFinding(f: FindingCard, move: FindingMove): Promise<unknown>;
  /** Requests accepting the residual risk of findings of one model until `expiresAt`. */
  requestAcceptance(findingIds: string[], rationale: string, expiresAt: string): Promise<unknown>;
  /** Approves or rejects a pending risk acceptance. */
  decideAcceptance(id: string, decision: 'approve' | 'reject'): Promise<unknown>;
  /** Sets a model's owner, developers and validators. */
  setRelations(key: string, relations: ModelRelations): Promise<unknown>;
  /** Assigns the review's validator (independent of the model and the submitter). */
  assignValidator(reviewId: string, validator: string, rowVersion: number): Promise<unknown>;
  /** A version's model card (latest revision), its revisions and its completeness; null card when none yet. */
  modelCard(key: string, label: string): Promise<ModelCardView>;
  listReviews(f: { state?: string | undefined; model?: string | undefined }): Promise<ReviewRow[]>;
  gateCheck(model: string, version: string, environment: string): Promise<GateResult>;
  listUsers(): Promise<UserRow[]>;
  listTokens(): Promise<TokenRow[]>;
  createUser(input: UserCreate): Promise<UserRow>;
  setUserDisabled(id: string, disabled: boolean): Promise<UserRow>;
  createToken(input: TokenCreate): Promise<TokenRow & { secret: string }>;
  revokeToken(id: string): Promise<TokenRow>;
  activePolicy(): Promise<PolicyView>;
  getReview(id: string): Promise<ReviewDetail>;
  openReview(
    modelKey: string,
    label: string,
    type: ReviewCreate['type'],
    gate: ReviewCreate['gate'],
  ): Promise<{ id: string }>;
  transitionReview(id: string, event: string, rowVersion: number): Promise<unknown>;
  linkEvidence(target: EvidenceTarget, title: string, url: string): Promise<unknown>;
  uploadEvidence(target: EvidenceTarget, title: string, file: File): Promise<unknown>;
  /** Counts earlier evidence for a review's cycle, with a reason (the assigned validator or governance). */
  carryForward(reviewId: string, evidenceId: string, reason: string): Promise<unknown>;
  logFinding(
    review: { id: string; modelKey: string; versionLabel: string | null },
    finding: NewFinding,
  ): Promise<unknown>;
  countersign(decisionId: string): Promise<unknown>;
  signDecision(reviewId: string, decision: NewDecision): Promise<unknown>;
  validationReport(modelKey: string, label: string): Promise<ValidationReport>;
  versionEvidence(modelKey: string, label: string): Promise<EvidenceRow[]>;
  tieringQuestions(): Promise<TieringQuestion[]>;
  assessTier(modelKey: string, label: string, answers: Record<string, string>): Promise<Tiering>;
  listWebhooks(): Promise<Webhook[]>;
  createWebhook(input: WebhookCreate): Promise<Webhook>;
  deactivateWebhook(id: string): Promise<Webhook>;
  webhookDeliveries(id: string): Promise<WebhookDelivery[]>;
}

/** Builds the console's client for a token (null before sign-in), on the page's own origin. */
export function createConsoleClient(token: string | null): ConsoleClient {
  const sdk = new AssayClient({ baseUrl: window.location.origin, token });
  const x = consoleExtras(sdk.transport);
  /** The policy's suggested findings recorded in the version's newest validation evidence JSON. */
  const suggestionsOf = async (evidence: readonly Evidence[]): Promise<SuggestedFinding[]> => {
    const newest = evidence.find((e) => e.type === 'validation_report' && isJsonEvidence(e));
    if (!newest) return [];
    const doc = validationEvidenceSchema.safeParse(await x.get(`/api/v1/evidence/${seg(newest.id)}/content`));
    if (!doc.success) return [];
    return (doc.data.suggested_findings ?? []).map((f) => ({
      id: f.id,
      evidenceId: newest.id,
      title: f.title,
      severity: f.severity,
      category: f.category,
      rationale: `${f.description}\n\nEvidence: ${newest.id} (${newest.file?.filename ?? ''}, sha256 ${newest.file?.sha256 ?? ''}).`,
    }));
  };
  const seg = x.seg;
  const model = (key: string) => `/api/v1/models/${seg(key)}`;
  const review = (id: string) => `/api/v1/reviews/${seg(id)}`;
  const wf = workflowDecisionsApi(sdk.transport);
  const client: ConsoleClient = {
    me: () => sdk.auth.me(),
    login: (username, password) => sdk.auth.login(username, password),
    listModels: async ({ limit, cursor, ...f }) => {
      const page = await sdk.models.list({ ...listQueryOf(f), ...(limit ? { limit } : {}), cursor });
      return { ...page, items: page.items.map(toModelRow) };
    },
    getModel: async (key, asOf) => {
      const [detail, tierings, overrides] = await Promise.all([
        asOf
          ? sdk.models.asOf(key, asOf).then((f) => ('model' in f ? toModelDetailAsOf(f) : toModelDetail(f)))
          : sdk.models.get(key).then(toModelDetail),
        x.get<{ items: Tiering[] }>(`${model(key)}/tierings`),
        x.get<{ items: TierOverride[] }>(`${model(key)}/tier-overrides`),
      ]);
      return { ...detail, tierRationale: tierRationale(tierings.items, overrides.items, asOf ?? null) };
    },
    createModel: (input) => sdk.models.register(input),
    transitionModel: (key, to, rowVersion, reason) =>
      sdk.models.transition(key, to as ModelStatus, reason, rowVersion),
    getLineage: async (key) => toLineage(await sdk.models.lineage(key)),
    modelHistory: (key, cursor) => sdk.models.history(key, { limit: 100, cursor }),
    auditEvents: (q) => sdk.audit.events({ limit: 100, ...q }),
    verifyAudit: () => sdk.audit.verify(),
    metrics: async () => toDashboardMetrics(await x.get<Metrics>('/api/v1/metrics')),
    exceptionReport: () => exceptionsApi(sdk.transport).report(),
    listFindings: async (f) => {
      const [findings, acceptances] = await Promise.all([
        x.get<Page<Finding>>('/api/v1/findings', {
          modelKey: f.model,
          state: f.state === 'open' ? undefined : f.state,
          limit: 500,
        }),
        x.get<Page<Acceptance>>('/api/v1/risk-acceptances', { modelKey: f.model, limit: 500 }),
      ]);
      return (
        findings.items
          // "open" on the board means not closed: every state but closed.
          .filter((x) => f.state !== 'open' || x.state !== 'closed')
          .filter((x) => !f.owner || x.owner === f.owner)
          .map((x) => toFindingCard(x, acceptances.items))
      );
    },
    moveFinding: async (f, move) => {
      if (move.event === 'start_remediation')
        return wf.findings.transition(f.id, { event: move.event, remediationPlan: move.remediationPlan });
      if (move.event === 'submit_for_verification') {
        // Closure evidence is evidence of the finding's version; the finding then cites it.
        const target = { modelKey: f.modelKey, versionLabel: f.versionLabel ?? '', type: 'other' as const };
        const { title, url, file } = move.closure;
        const evidence = (
          file
            ? await client.uploadEvidence(target, title || file.name, file)
            : await client.linkEvidence(target, title, url ?? '')
        ) as Evidence;
        return wf.findings.transition(f.id, { event: move.event, closureEvidenceId: evidence.id });
      }
      return wf.findings.transition(f.id, {
        event: move.event,
        ...(move.note ? { note: move.note } : {}),
      });
    },
    requestAcceptance: (findingIds, rationale, expiresAt) =>
      wf.acceptances.request({ findingIds, rationale, expiresAt }),
    decideAcceptance: (id, decision) =>
      decision === 'approve'
        ? wf.acceptances.approve(id)
        : x.post(`/api/v1/risk-acceptances/${seg(id)}/reject`, {}),
    setRelations: (key, relations) => sdk.models.setRelations(key, relations),
    modelCard: async (key, label) => {
      const card = `${model(key)}/versions/${seg(label)}/card`;
      // The revision list is empty (not a 404) when the version has no card yet.
      const revisions = (await x.get<{ items: DocumentRevision[] }>(`${card}/revisions`)).items;
      if (revisions.length === 0) return { card: null, revisions, completeness: null };
      const [latest, completeness] = await Promise.all([
        x.get<ModelCard>(card),
        x.get<DocumentCompleteness>(`${card}/completeness`),
      ]);
      return { card: latest, revisions, completeness };
    },
    assignValidator: (reviewId, validator, rowVersion) =>
      x.post(`${review(reviewId)}/validator`, { validator }, rowVersion),
    listReviews: async (f) =>
      (
        await x.get<Page<Review>>('/api/v1/reviews', { modelKey: f.model, state: f.state, limit: 500 })
      ).items.map(toReviewRow),
    gateCheck: async (modelKey, version, environment) =>
      toGateResult(
        await x.get<ContractGateResult>('/api/v1/gate', { model: modelKey, version, env: environment }),
        modelKey,
        version,
        new Date(),
      ),
    listUsers: async () => (await sdk.users.list({ limit: 500 })).items,
    listTokens: async () => (await sdk.tokens.list({ limit: 500, includeRevoked: true })).items,
    createUser: (input) => sdk.users.create(input),
    setUserDisabled: (id, disabled) => sdk.users.update(id, { disabled }),
    createToken: (input) => sdk.tokens.create(input),
    revokeToken: (id) => sdk.tokens.revoke(id),
    activePolicy: async () => {
      const [active, versions] = await Promise.all([
        x.get<ActivePolicy>('/api/v1/policy'),
        x.get<{ items: PolicyVersion[] }>('/api/v1/policy/versions'),
      ]);
      return toPolicyView(active, versions.items);
    },
    getReview: async (id) => {
      const r = await x.get<ContractReviewDetail>(review(id));
      const [evidence, findings, decisions] = await Promise.all([
        x.get<{ items: Evidence[] }>(`${model(r.modelKey)}/versions/${seg(r.versionLabel)}/evidence`, {
          includeSuperseded: 'false',
        }),
        x.get<Page<Finding>>('/api/v1/findings', { modelKey: r.modelKey, limit: 500 }),
        x.get<Page<Decision>>('/api/v1/decisions', { modelKey: r.modelKey, limit: 500 }),
      ]);
      return toReviewDetail(
        r,
        evidence.items,
        findings.items,
        decisions.items,
        await suggestionsOf(evidence.items),
      );
    },
    openReview: (modelKey, label, type, gate) =>
      x.post<{ id: string }>(`${model(modelKey)}/versions/${seg(label)}/reviews`, { type, gate }),
    transitionReview: (id, event, rowVersion) =>
      event === 'submit'
        ? x.post(`${review(id)}/submit`, undefined, rowVersion)
        : x.post(`${review(id)}/transition`, { event }, rowVersion),
    linkEvidence: (t, title, url) =>
      x.post(`${model(t.modelKey)}/versions/${seg(t.versionLabel)}/evidence`, {
        type: t.type,
        title,
        externalUrl: url,
        ...(t.reviewId ? { reviewId: t.reviewId } : {}),
      }),
    carryForward: (reviewId, evidenceId, reason) =>
      x.post(`${review(reviewId)}/carry-forward`, { evidenceId, reason }),
    uploadEvidence: async (t, title, file) => {
      const form = new FormData();
      form.set(
        'metadata',
        JSON.stringify({ type: t.type, title, ...(t.reviewId ? { reviewId: t.reviewId } : {}) }),
      );
      form.set('file', file);
      // Let the browser encode the multipart body, then send it through the SDK's raw transport.
      const encoded = new Response(form);
      return x.upload(`${model(t.modelKey)}/versions/${seg(t.versionLabel)}/evidence`, {
        bytes: new Uint8Array(await encoded.arrayBuffer()),
        contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
      });
    },
    logFinding: (r, f) =>
      x.post(`${model(r.modelKey)}/versions/${seg(r.versionLabel ?? '')}/findings`, {
        title: f.title,
        description: f.description || f.title,
        category: f.category,
        severity: f.severity,
        owner: f.owner,
        reviewId: r.id,
        ...(f.suggestionId && f.evidenceId
          ? { suggestion: { evidenceId: f.evidenceId, suggestionId: f.suggestionId } }
          : {}),
      }),
    signDecision: (reviewId, d) =>
      x.post(`${review(reviewId)}/decisions`, {
        outcome: d.outcome,
        rationale: d.rationale,
        ...(d.conditions.length ? { conditions: d.conditions } : {}),
      }),
    countersign: (decisionId) => x.post(`/api/v1/decisions/${seg(decisionId)}/sign`, {}),
    tieringQuestions: async () => {
      const active = await x.get<ActivePolicy>('/api/v1/policy');
      const doc = policyDocumentSchema.safeParse(active.document);
      return doc.success ? doc.data.tiering.questions : [];
    },
    assessTier: (modelKey, label, answers) =>
      x.post<Tiering>(`${model(modelKey)}/versions/${seg(label)}/tiering`, { answers }),
    listWebhooks: async () => (await x.get<{ items: Webhook[] }>('/api/v1/webhooks')).items,
    createWebhook: (input) => x.post<Webhook>('/api/v1/webhooks', input),
    deactivateWebhook: (id) => x.post<Webhook>(`/api/v1/webhooks/${seg(id)}/deactivate`, {}),
    webhookDeliveries: async (id) =>
      (await x.get<{ items: WebhookDelivery[] }>(`/api/v1/webhooks/${seg(id)}/deliveries`)).items,
    versionEvidence: async (modelKey, label) =>
      (await x.get<{ items: Evidence[] }>(`${model(modelKey)}/versions/${seg(label)}/evidence`)).items.map(
        toEvidenceRow,
      ),
    validationReport: async (modelKey, label) => {
      const list = await x.get<{ items: Evidence[] }>(`${model(modelKey)}/versions/${seg(label)}/evidence`, {
        type: 'validation_report',
      });
      // --push stores evidence.json and report.html as validation_report: read the JSON one
      const newest = list.items.find((e) => isJsonEvidence(e));
      if (!newest)
        throw new Error(`version ${label} has no validation evidence yet; run \`assay validate\` for it`);
      const doc = validationEvidenceSchema.safeParse(
        await x.get(`/api/v1/evidence/${seg(newest.id)}/content`),
      );
      if (!doc.success)
        throw new Error(`the newest validation evidence of ${label} is not an assay.validation/v1 document`);
      return toValidationReport(doc.data, {
        modelKey,
        versionLabel: label,
        sha256: newest.file?.sha256 ?? null,
      });
    },
  };
  return client;
}
