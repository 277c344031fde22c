import {
  conditionSchema,
  type DecisionCreate,
  type DecisionListQuery,
  decisionSchema,
} from '../contracts/decisions.ts';
import { pageOf } from '../contracts/identity.ts';
import { seg, type Transport } from './client.ts';

const noteBody = (note?: string) => (note ? { note } : {});

/** Decisions on reviews: propose, sign, withdraw, void; conditions met. */
export function decisionsApi(t: Transport) {
  const one = (id: string) => `/api/v1/decisions/${seg(id)}`;
  return {
    /** Proposes a decision on a review (its proposer signs it as the first signature where allowed). */
    propose: (reviewId: string, input: DecisionCreate) =>
      t.call('POST', `/api/v1/reviews/${seg(reviewId)}/decisions`, { json: input, schema: decisionSchema }),
    /** One page of decisions, newest first. */
    list: (q: Partial<DecisionListQuery> = {}) =>
      t.call('GET', '/api/v1/decisions', { query: q, schema: pageOf(decisionSchema) }),
    get: (id: string) => t.call('GET', one(id), { schema: decisionSchema }),
    /** Signs a pending decision (the people its tier's sign-off asks for). */
    sign: (id: string, note?: string) =>
      t.call('POST', `${one(id)}/sign`, { json: noteBody(note), schema: decisionSchema }),
    /** Withdraws a pending decision (governance or its proposer); `reason` ≥ 20 characters. */
    withdraw: (id: string, reason: string) =>
      t.call('POST', `${one(id)}/withdraw`, { json: { reason }, schema: decisionSchema }),
    /** Voids a final decision (governance); its review returns to decision_pending. */
    void: (id: string, reason: string) =>
      t.call('POST', `${one(id)}/void`, { json: { reason }, schema: decisionSchema }),
    /** Marks a condition of a decision as met. */
    conditionMet: (conditionId: string, note?: string) =>
      t.call('POST', `/api/v1/conditions/${seg(conditionId)}/met`, {
        json: noteBody(note),
        schema: conditionSchema,
      }),
  };
}
