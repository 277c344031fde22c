/**
 * The console's query keys: one factory per feature, so a page that reads and a mutation that
 * invalidates name the same key. Each feature's keys start with the feature's name, so
 * `invalidateQueries({ queryKey: keys.all })` refreshes everything of that feature.
 */
import type { ModelFilters } from './api.ts';

export const sessionKeys = {
  me: (token: string | null) => ['session', 'me', token] as const,
  ssoStatus: () => ['session', 'sso-status'] as const,
};

export const connectorKeys = {
  reconciliation: () => ['connectors', 'reconciliation'] as const,
};

export const modelKeys = {
  all: ['models'] as const,
  /** Every inventory list, whatever its filters. */
  lists: () => ['models', 'list'] as const,
  list: (filters: ModelFilters) => ['models', 'list', filters] as const,
  /** A model's detail, now and as of any time. */
  detail: (key: string) => ['models', 'detail', key] as const,
  detailAsOf: (key: string, asOf: string | null) => ['models', 'detail', key, asOf] as const,
  lineage: (key: string) => ['models', 'lineage', key] as const,
  history: (key: string) => ['models', 'history', key] as const,
  card: (key: string, label: string) => ['models', 'card', key, label] as const,
};

export const tieringKeys = {
  all: ['tierings'] as const,
  model: (key: string) => ['tierings', key] as const,
};

export const webhookKeys = {
  all: ['webhooks'] as const,
  deliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
};

export const evidenceKeys = {
  all: ['evidence'] as const,
  version: (key: string, label: string) => ['evidence', key, label] as const,
  model: (key: string, label: string) => ['evidence', key, label, 'model'] as const,
};

export const reviewKeys = {
  all: ['reviews'] as const,
  list: (f: { state?: string | undefined; model?: string | undefined }) => ['reviews', 'list', f] as const,
  detail: (id: string) => ['reviews', 'detail', id] as const,
};

export const findingKeys = {
  all: ['findings'] as const,
  list: (f: { state?: string | undefined; owner?: string | undefined; model?: string | undefined }) =>
    ['findings', 'list', f] as const,
};

export const gateKeys = {
  all: ['gate'] as const,
  check: (model: string, version: string, environment: string) =>
    ['gate', model, version, environment] as const,
};

export const metricsKeys = {
  all: ['metrics'] as const,
};

export const reportKeys = {
  all: ['reports'] as const,
  validation: (key: string, label: string) => ['reports', 'validation', key, label] as const,
  genai: (key: string, label: string) => ['reports', 'genai', key, label] as const,
  exceptions: () => ['reports', 'exceptions'] as const,
};

export const policyKeys = {
  all: ['policy'] as const,
  active: () => ['policy', 'active'] as const,
  tieringQuestions: () => ['policy', 'tiering-questions'] as const,
};

export const userKeys = {
  all: ['users'] as const,
};

export const tokenKeys = {
  all: ['tokens'] as const,
};

export const auditKeys = {
  all: ['audit'] as const,
  events: (filters: object) => ['audit', 'events', filters] as const,
};

export const monitoringKeys = {
  all: ['monitoring'] as const,
  alerts: (state: string) => ['monitoring', 'alerts', state] as const,
  silences: () => ['monitoring', 'silences'] as const,
  incidents: () => ['monitoring', 'incidents'] as const,
  incident: (id: string) => ['monitoring', 'incident', id] as const,
  kpis: () => ['monitoring', 'kpis'] as const,
  deployments: (modelKey: string) => ['monitoring', 'deployments', modelKey] as const,
  series: (deploymentId: string, range: string) => ['monitoring', 'series', deploymentId, range] as const,
  deploymentAlerts: (deploymentId: string) => ['monitoring', 'deployment-alerts', deploymentId] as const,
  window: (deploymentId: string, windowId: string) =>
    ['monitoring', 'window', deploymentId, windowId] as const,
};

export const complianceKeys = {
  catalogs: () => ['compliance', 'catalogs'] as const,
  model: (key: string, catalog: string) => ['compliance', 'model', key, catalog] as const,
  portfolio: (q: string) => ['compliance', 'portfolio', q] as const,
  coverage: () => ['compliance', 'coverage'] as const,
};
