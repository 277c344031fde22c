import { ConsoleTransport } from '../../../src/sdk/console-extras.ts';
import type {
  DashboardMetrics,
  FindingCard,
  GateResult,
  NewDecision,
  NewFinding,
  PolicyView,
  ReviewDetail,
  ReviewRow,
  TokenRow,
  UserRow,
  ValidationReport,
} from './api-workflow.ts';
import type { ConsoleRole, ConsoleScope } from './capabilities.ts';

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
  tier: string | null;
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

/** Everything the console asks of the server. */
export interface ConsoleClient {
  me(): Promise<Me>;
  login(username: string, password: string): Promise<{ token: string }>;
  listModels(
    q: ModelFilters & { limit?: number; cursor?: string | undefined },
    signal?: AbortSignal,
  ): Promise<Page<ModelRow>>;
  getModel(key: string, asOf?: string): Promise<ModelDetail>;
  getLineage(key: string): Promise<ModelLineage>;
  modelHistory(key: string, cursor?: string): Promise<Page<AuditEventRow>>;
  metrics(): Promise<DashboardMetrics>;
  listFindings(f: {
    state?: string | undefined;
    owner?: string | undefined;
    model?: string | undefined;
  }): Promise<FindingCard[]>;
  listReviews(f: { state?: string | undefined; model?: string | undefined }): Promise<ReviewRow[]>;
  gateCheck(model: string, version: string, environment: string): Promise<GateResult>;
  listUsers(): Promise<UserRow[]>;
  listTokens(): Promise<TokenRow[]>;
  activePolicy(): Promise<PolicyView>;
  getReview(id: string): Promise<ReviewDetail>;
  transitionReview(id: string, to: string, rowVersion: number): Promise<unknown>;
  linkEvidence(reviewId: string, itemId: string, title: string, uri: string): Promise<unknown>;
  uploadEvidence(reviewId: string, itemId: string, title: string, file: File): Promise<unknown>;
  logFinding(reviewId: string, finding: NewFinding): Promise<unknown>;
  signDecision(reviewId: string, decision: NewDecision): Promise<unknown>;
  validationReport(modelKey: string, label: string): Promise<ValidationReport>;
}

/** Builds the console's client for a token (null before sign-in), on the page's own origin. */
export function createConsoleClient(token: string | null): ConsoleClient {
  const http = new ConsoleTransport(window.location.origin, token);
  return {
    me: () => http.request<Me>('GET', '/api/v1/auth/me'),
    login: (username, password) =>
      http.request<{ token: string }>('POST', '/api/v1/auth/login', { body: { username, password } }),
    listModels: ({ limit, cursor, ...f }, signal) =>
      http.request<Page<ModelRow>>('GET', '/api/v1/models', {
        query: { ...f, limit, cursor },
        signal,
      }),
    getModel: (key, asOf) =>
      http.request<ModelDetail>('GET', `/api/v1/models/${encodeURIComponent(key)}`, { query: { asOf } }),
    getLineage: (key) =>
      http.request<ModelLineage>('GET', `/api/v1/models/${encodeURIComponent(key)}/lineage`),
    modelHistory: (key, cursor) =>
      http.request<Page<AuditEventRow>>('GET', `/api/v1/models/${encodeURIComponent(key)}/history`, {
        query: { cursor },
      }),
    metrics: () => http.request<DashboardMetrics>('GET', '/api/v1/metrics'),
    listFindings: async (f) =>
      (await http.request<Page<FindingCard>>('GET', '/api/v1/findings', { query: { ...f, limit: 500 } }))
        .items,
    listReviews: async (f) =>
      (await http.request<Page<ReviewRow>>('GET', '/api/v1/reviews', { query: { ...f, limit: 500 } })).items,
    gateCheck: (model, version, environment) =>
      http.request<GateResult>('GET', '/api/v1/gate', { query: { model, version, environment } }),
    listUsers: async () =>
      (await http.request<Page<UserRow>>('GET', '/api/v1/users', { query: { limit: 500 } })).items,
    listTokens: async () =>
      (await http.request<Page<TokenRow>>('GET', '/api/v1/tokens', { query: { limit: 500 } })).items,
    activePolicy: () => http.request<PolicyView>('GET', '/api/v1/policy'),
    getReview: (id) => http.request<ReviewDetail>('GET', `/api/v1/reviews/${encodeURIComponent(id)}`),
    transitionReview: (id, to, rowVersion) =>
      http.request('POST', `/api/v1/reviews/${encodeURIComponent(id)}/transitions`, {
        body: { to },
        ifMatch: rowVersion,
      }),
    linkEvidence: (reviewId, itemId, title, uri) =>
      http.request('POST', `/api/v1/reviews/${encodeURIComponent(reviewId)}/evidence`, {
        body: { checklistItemId: itemId, title, uri },
      }),
    uploadEvidence: (reviewId, itemId, title, file) => {
      const form = new FormData();
      form.set('checklistItemId', itemId);
      form.set('title', title);
      form.set('file', file);
      return http.request('POST', `/api/v1/reviews/${encodeURIComponent(reviewId)}/evidence/upload`, {
        form,
      });
    },
    logFinding: (reviewId, finding) =>
      http.request('POST', `/api/v1/reviews/${encodeURIComponent(reviewId)}/findings`, { body: finding }),
    signDecision: (reviewId, decision) =>
      http.request('POST', `/api/v1/reviews/${encodeURIComponent(reviewId)}/decisions`, { body: decision }),
    validationReport: (modelKey, label) =>
      http.request<ValidationReport>(
        'GET',
        `/api/v1/models/${encodeURIComponent(modelKey)}/versions/${encodeURIComponent(label)}/validation`,
      ),
  };
}
