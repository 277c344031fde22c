import { decisionSchema, decisionVoidSchema } from '../../contracts/decisions.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, idParams, withEtag } from '../../platform/http/route-helpers.ts';
import type { DecisionWithdrawalService } from './decision-withdrawal.service.ts';

/** POST /api/v1/decisions/{id}/withdraw (pending) and /void (final), each with a reason. */
export function registerDecisionWithdrawalRoutes(
  app: ApiApp,
  services: { decisionWithdrawals: DecisionWithdrawalService },
): void {
  const { decisionWithdrawals } = services;
  const tags = ['decisions'];
  app.route({
    method: 'POST',
    url: '/api/v1/decisions/:id/withdraw',
    schema: {
      tags,
      summary: 'Withdraw a pending decision with a reason (governance, or its proposer)',
      params: idParams,
      body: decisionVoidSchema,
      response: { 200: decisionSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await decisionWithdrawals.withdraw(callerOf(req), req.params.id, req.body.reason)),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/decisions/:id/void',
    schema: {
      tags,
      summary: 'Void a final decision with a reason (governance); its review takes a new decision',
      params: idParams,
      body: decisionVoidSchema,
      response: { 200: decisionSchema },
    },
    handler: async (req, reply) =>
      withEtag(reply, await decisionWithdrawals.voidFinal(callerOf(req), req.params.id, req.body.reason)),
  });
}
