import type { z } from 'zod';
import { pageOf } from '../contracts/identity.ts';
import {
  type CarryForwardCreate,
  carriedForwardSchema,
  checklistSchema,
  type ReviewCreate,
  type ReviewListQuery,
  type reviewApiEventSchema,
  reviewDetailSchema,
  reviewSchema,
} from '../contracts/reviews.ts';
import { seg, type Transport } from './client.ts';

/** An event a caller may send to a review (`close` happens by a final decision). */
export type ReviewApiEvent = z.infer<typeof reviewApiEventSchema>;

/** Optimistic concurrency: the `rowVersion` the caller last read (sent as If-Match). */
export interface IfMatch {
  ifMatch?: number | undefined;
}

/** Reviews of model versions: open, list, read, submit, assign a validator, move, carry evidence forward. */
export function reviewsApi(t: Transport) {
  const one = (id: string) => `/api/v1/reviews/${seg(id)}`;
  return {
    /** Opens a review of a version (its checklist follows the policy of its tier and gate). */
    open: (key: string, label: string, input: ReviewCreate) =>
      t.call('POST', `/api/v1/models/${seg(key)}/versions/${seg(label)}/reviews`, {
        json: input,
        schema: reviewSchema,
      }),
    /** One page of reviews, newest first. */
    list: (q: Partial<ReviewListQuery> = {}) =>
      t.call('GET', '/api/v1/reviews', { query: q, schema: pageOf(reviewSchema) }),
    /** A review with its checklist and the events its caller may send. */
    get: (id: string) => t.call('GET', one(id), { schema: reviewDetailSchema }),
    /** The checklist of a review alone. */
    checklist: (id: string) => t.call('GET', `${one(id)}/checklist`, { schema: checklistSchema }),
    /** Submits a draft review for validation. */
    submit: (id: string, o: IfMatch = {}) =>
      t.call('POST', `${one(id)}/submit`, { schema: reviewSchema, ifMatch: o.ifMatch }),
    /** Assigns the review's validator (independent of the model and the submitter). */
    assignValidator: (id: string, validator: string, o: IfMatch = {}) =>
      t.call('POST', `${one(id)}/validator`, {
        json: { validator },
        schema: reviewSchema,
        ifMatch: o.ifMatch,
      }),
    /** Moves a review along its workflow. */
    transition: (id: string, event: ReviewApiEvent, note?: string, o: IfMatch = {}) =>
      t.call('POST', `${one(id)}/transition`, {
        json: note ? { event, note } : { event },
        schema: reviewSchema,
        ifMatch: o.ifMatch,
      }),
    /** Counts earlier evidence of the version for this review's cycle, with a reason (the assigned validator or governance). */
    carryForward: (id: string, input: CarryForwardCreate) =>
      t.call('POST', `${one(id)}/carry-forward`, { json: input, schema: carriedForwardSchema }),
  };
}
