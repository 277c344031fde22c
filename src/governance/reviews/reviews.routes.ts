import { z } from 'zod';
import { pageOf } from '../../contracts/identity.ts';
import { modelKeySchema } from '../../contracts/inventory.ts';
import {
  carriedForwardSchema,
  carryForwardCreateSchema,
  checklistSchema,
  reviewAssignSchema,
  reviewCreateSchema,
  reviewDetailSchema,
  reviewListQuerySchema,
  reviewSchema,
  reviewTransitionSchema,
} from '../../contracts/reviews.ts';
import type { ApiApp } from '../../platform/http/http-app.ts';
import { callerOf, ifMatchVersion, withEtag } from '../../platform/http/request-context.ts';
import type { ReviewCyclesService } from './review-cycles.service.ts';
import type { ReviewsService } from './reviews.service.ts';

const versionParams = z.strictObject({ key: modelKeySchema, label: z.string().min(1).max(63) });
const idParams = z.strictObject({ id: z.string().min(1).max(200) });
const tags = ['reviews'];

/** Review routes: open, list, read with checklist, submit, assign a validator, transitions, carry-forward. */
export function registerReviewRoutes(
  app: ApiApp,
  services: { reviews: ReviewsService; reviewCycles: ReviewCyclesService },
): void {
  const { reviews, reviewCycles } = services;
  app.route({
    method: 'POST',
    url: '/api/v1/models/:key/versions/:label/reviews',
    schema: {
      tags,
      summary: 'Open a review of a version (checklist from the policy for its tier and gate)',
      params: versionParams,
      body: reviewCreateSchema,
      response: { 201: reviewSchema },
    },
    handler: async (req, reply) => {
      const { review } = await reviews.openReview(callerOf(req), {
        modelKey: req.params.key,
        versionLabel: req.params.label,
        ...req.body,
      });
      return withEtag(reply.status(201), review);
    },
  });
  app.route({
    method: 'GET',
    url: '/api/v1/reviews',
    schema: {
      tags,
      summary: 'Reviews the caller may see, newest first',
      querystring: reviewListQuerySchema,
      response: { 200: pageOf(reviewSchema) },
    },
    handler: (req) => reviews.list(callerOf(req), req.query),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/reviews/:id',
    schema: {
      tags,
      summary: 'A review with its checklist',
      params: idParams,
      response: { 200: reviewDetailSchema },
    },
    handler: async (req, reply) => withEtag(reply, await reviews.getReview(callerOf(req), req.params.id)),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/reviews/:id/checklist',
    schema: {
      tags,
      summary: 'The checklist of a review: each item satisfied, missing or expired (derived now)',
      params: idParams,
      response: { 200: checklistSchema },
    },
    handler: (req) => reviews.checklist(callerOf(req), req.params.id),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/reviews/:id/submit',
    schema: { tags, summary: 'Submit a draft review', params: idParams, response: { 200: reviewSchema } },
    handler: async (req, reply) =>
      withEtag(reply, await reviews.submit(callerOf(req), req.params.id, ifMatchVersion(req))),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/reviews/:id/validator',
    schema: {
      tags,
      summary: "Assign an independent validator (not the model's owner or developers, not the submitter)",
      params: idParams,
      body: reviewAssignSchema,
      response: { 200: reviewSchema },
    },
    handler: async (req, reply) =>
      withEtag(
        reply,
        await reviews.assignValidator(callerOf(req), req.params.id, req.body.validator, ifMatchVersion(req)),
      ),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/reviews/:id/transition',
    schema: {
      tags,
      summary: 'Move a review: start_validation, request_decision, return_to_validation, withdraw',
      params: idParams,
      body: reviewTransitionSchema,
      response: { 200: reviewSchema },
    },
    handler: async (req, reply) =>
      withEtag(
        reply,
        await reviews.transition(
          callerOf(req),
          req.params.id,
          req.body.event,
          ifMatchVersion(req),
          req.body.note,
        ),
      ),
  });
  app.route({
    method: 'POST',
    url: '/api/v1/reviews/:id/carry-forward',
    schema: {
      tags,
      summary:
        "Count earlier evidence of the version for this review's cycle (the assigned validator or governance, with a reason)",
      params: idParams,
      body: carryForwardCreateSchema,
      response: { 201: carriedForwardSchema },
    },
    handler: async (req, reply) => {
      reply.status(201);
      return reviewCycles.carryForward(callerOf(req), req.params.id, req.body);
    },
  });
}
