import { z } from 'zod';
import { pageOf } from '../contracts/identity.ts';
import type { Gate, TieringRequest } from '../contracts/policy.ts';
import { tieringSchema } from '../contracts/policy.ts';
import {
  type CarryForwardCreate,
  carriedForwardSchema,
  type ReviewType,
  type reviewApiEventSchema,
  reviewDetailSchema,
  reviewSchema,
} from '../contracts/reviews.ts';
import { seg, type Transport } from './client.ts';

type ReviewApiEvent = z.infer<typeof reviewApiEventSchema>;

const tieringList = z.object({ items: z.array(tieringSchema) });

/** Tiering questionnaires and reviews (open, submit, assign a validator, move, read). */
export function workflowReviewsApi(t: Transport) {
  const version = (key: string, label: string) => `/api/v1/models/${seg(key)}/versions/${seg(label)}`;
  return {
    tiering: {
      /** Answers the questionnaire of a version; the model takes the computed tier. */
      assess: (key: string, label: string, input: TieringRequest) =>
        t.call('POST', `${version(key, label)}/tiering`, { json: input, schema: tieringSchema }),
      /** The latest tiering of a version. */
      latest: (key: string, label: string) =>
        t.call('GET', `${version(key, label)}/tiering`, { schema: tieringSchema }),
      /** Every tiering of a model, newest first. */
      history: async (key: string) =>
        (await t.call('GET', `/api/v1/models/${seg(key)}/tierings`, { schema: tieringList })).items,
      /** Approves or rejects a pending re-tiering (a second governance person). */
      decide: (id: string, outcome: 'approve' | 'reject', note?: string) =>
        t.call('POST', `/api/v1/tierings/${seg(id)}/${outcome}`, {
          json: note ? { note } : {},
          schema: tieringSchema,
        }),
    },
    reviews: {
      open: (key: string, label: string, input: { type: ReviewType; gate: Gate; reason?: string }) =>
        t.call('POST', `${version(key, label)}/reviews`, { json: input, schema: reviewSchema }),
      list: (
        q: {
          modelKey?: string;
          state?: string;
          type?: string;
          validator?: string;
          limit?: number;
          cursor?: string;
        } = {},
      ) => t.call('GET', '/api/v1/reviews', { query: q, schema: pageOf(reviewSchema) }),
      /** A review with its checklist. */
      get: (id: string) => t.call('GET', `/api/v1/reviews/${seg(id)}`, { schema: reviewDetailSchema }),
      submit: (id: string) => t.call('POST', `/api/v1/reviews/${seg(id)}/submit`, { schema: reviewSchema }),
      assignValidator: (id: string, validator: string) =>
        t.call('POST', `/api/v1/reviews/${seg(id)}/validator`, { json: { validator }, schema: reviewSchema }),
      transition: (id: string, event: ReviewApiEvent, note?: string) =>
        t.call('POST', `/api/v1/reviews/${seg(id)}/transition`, {
          json: note ? { event, note } : { event },
          schema: reviewSchema,
        }),
      /** Counts earlier evidence of the version for this review's cycle, with a reason (the assigned validator or governance). */
      carryForward: (id: string, input: CarryForwardCreate) =>
        t.call('POST', `/api/v1/reviews/${seg(id)}/carry-forward`, {
          json: input,
          schema: carriedForwardSchema,
        }),
    },
  };
}
