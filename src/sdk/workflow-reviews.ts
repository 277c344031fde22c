import type { Transport } from './client.ts';
import { reviewsApi } from './reviews.ts';
import { tieringApi } from './tiering.ts';

/**
 * Tiering and reviews together (the CLI's review commands use this shape); the same calls are
 * `client.tiering` and `client.reviews` of AssayClient.
 */
export type WorkflowReviewsApi = ReturnType<typeof workflowReviewsApi>;

export function workflowReviewsApi(t: Transport) {
  return { tiering: tieringApi(t), reviews: reviewsApi(t) };
}
