import type { Transport } from './client.ts';
import { decisionsApi } from './decisions.ts';
import { acceptancesApi, findingsApi } from './findings.ts';
import { metricsApi } from './metrics.ts';
import { schedulerApi } from './webhooks.ts';

/**
 * Findings, decisions, risk acceptances, metrics and the scheduler together (the CLI's decision
 * commands use this shape); the same calls are properties of AssayClient.
 */
export function workflowDecisionsApi(t: Transport) {
  return {
    findings: findingsApi(t),
    decisions: decisionsApi(t),
    acceptances: acceptancesApi(t),
    metrics: metricsApi(t).get,
    runScheduler: schedulerApi(t).run,
  };
}
