import { z } from 'zod';
import { type DecisionCreate, decisionSchema } from '../contracts/decisions.ts';
import {
  type AcceptanceCreate,
  acceptanceSchema,
  type FindingCreate,
  type FindingTransition,
  findingSchema,
} from '../contracts/findings.ts';
import { pageOf } from '../contracts/identity.ts';
import { metricsSchema } from '../contracts/metrics.ts';
import { seg, type Transport } from './client.ts';

const tickSchema = z.object({
  fired: z.array(z.object({ key: z.string(), kind: z.string(), entityId: z.string() })),
  failed: z.array(z.object({ key: z.string(), error: z.string() })),
  deliveries: z.number(),
});

/** Findings, decisions, risk acceptances, metrics and the scheduler. */
export function workflowDecisionsApi(t: Transport) {
  return {
    findings: {
      raise: (model: string, version: string, input: FindingCreate) =>
        t.call('POST', `/api/v1/models/${seg(model)}/versions/${seg(version)}/findings`, {
          json: input,
          schema: findingSchema,
        }),
      list: (
        q: {
          modelKey?: string;
          state?: string;
          severity?: string;
          overdue?: boolean;
          limit?: number;
          cursor?: string;
        } = {},
      ) => t.call('GET', '/api/v1/findings', { query: q, schema: pageOf(findingSchema) }),
      get: (id: string) => t.call('GET', `/api/v1/findings/${seg(id)}`, { schema: findingSchema }),
      transition: (id: string, input: FindingTransition) =>
        t.call('POST', `/api/v1/findings/${seg(id)}/transition`, { json: input, schema: findingSchema }),
    },
    decisions: {
      propose: (reviewId: string, input: DecisionCreate) =>
        t.call('POST', `/api/v1/reviews/${seg(reviewId)}/decisions`, { json: input, schema: decisionSchema }),
      sign: (id: string, note?: string) =>
        t.call('POST', `/api/v1/decisions/${seg(id)}/sign`, {
          json: note ? { note } : {},
          schema: decisionSchema,
        }),
      get: (id: string) => t.call('GET', `/api/v1/decisions/${seg(id)}`, { schema: decisionSchema }),
      /** Withdraws a pending decision (governance or its proposer); `reason` ≥ 20 characters. */
      withdraw: (id: string, reason: string) =>
        t.call('POST', `/api/v1/decisions/${seg(id)}/withdraw`, { json: { reason }, schema: decisionSchema }),
      /** Voids a final decision (governance); its review returns to decision_pending. */
      void: (id: string, reason: string) =>
        t.call('POST', `/api/v1/decisions/${seg(id)}/void`, { json: { reason }, schema: decisionSchema }),
    },
    acceptances: {
      request: (input: AcceptanceCreate) =>
        t.call('POST', '/api/v1/risk-acceptances', { json: input, schema: acceptanceSchema }),
      approve: (id: string, note?: string) =>
        t.call('POST', `/api/v1/risk-acceptances/${seg(id)}/approve`, {
          json: note ? { note } : {},
          schema: acceptanceSchema,
        }),
    },
    metrics: () => t.call('GET', '/api/v1/metrics', { schema: metricsSchema }),
    runScheduler: () => t.call('POST', '/api/v1/scheduler/run', { schema: tickSchema }),
  };
}
