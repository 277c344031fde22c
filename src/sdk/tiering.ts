import { z } from 'zod';
import { type TieringRequest, tieringSchema, tierOverrideSchema } from '../contracts/policy.ts';
import { seg, type Transport } from './client.ts';
import type { IfMatch } from './reviews.ts';

const tieringList = z.object({ items: z.array(tieringSchema) });
const overrideList = z.object({ items: z.array(tierOverrideSchema) });
const noteBody = (note?: string) => (note ? { note } : {});

/** A request for a different tier than the computed one (a second governance person decides). */
export interface TierOverrideRequest {
  tier: number;
  /** Why (at least 20 characters). */
  justification: string;
}

/** Tiering questionnaires (with their EU AI Act classification), re-tiering decisions and tier overrides. */
export function tieringApi(t: Transport) {
  const version = (key: string, label: string) => `/api/v1/models/${seg(key)}/versions/${seg(label)}`;
  const decideTiering = (id: string, outcome: 'approve' | 'reject', note?: string, o: IfMatch = {}) =>
    t.call('POST', `/api/v1/tierings/${seg(id)}/${outcome}`, {
      json: noteBody(note),
      schema: tieringSchema,
      ifMatch: o.ifMatch,
    });
  const decideOverride = (id: string, outcome: 'approve' | 'reject', note?: string, o: IfMatch = {}) =>
    t.call('POST', `/api/v1/tier-overrides/${seg(id)}/${outcome}`, {
      json: noteBody(note),
      schema: tierOverrideSchema,
      ifMatch: o.ifMatch,
    });
  return {
    /** Answers the questionnaire of a version; the model takes the computed tier (a lowering re-tiering of a frozen version waits as `pending`). */
    assess: (key: string, label: string, input: TieringRequest) =>
      t.call('POST', `${version(key, label)}/tiering`, { json: input, schema: tieringSchema }),
    /** The latest tiering of a version. */
    latest: (key: string, label: string) =>
      t.call('GET', `${version(key, label)}/tiering`, { schema: tieringSchema }),
    /** Every tiering of a model, newest first. */
    history: async (key: string) =>
      (await t.call('GET', `/api/v1/models/${seg(key)}/tierings`, { schema: tieringList })).items,
    /** Approves a pending re-tiering (a second governance person). */
    approve: (id: string, note?: string, o?: IfMatch) => decideTiering(id, 'approve', note, o),
    /** Rejects a pending re-tiering. */
    reject: (id: string, note?: string, o?: IfMatch) => decideTiering(id, 'reject', note, o),
    /** Approves or rejects a pending re-tiering. */
    decide: decideTiering,
    overrides: {
      /** Asks for a different tier than the computed one. */
      request: (key: string, input: TierOverrideRequest) =>
        t.call('POST', `/api/v1/models/${seg(key)}/tier-overrides`, {
          json: input,
          schema: tierOverrideSchema,
        }),
      /** The tier overrides of a model, newest first. */
      list: async (key: string) =>
        (await t.call('GET', `/api/v1/models/${seg(key)}/tier-overrides`, { schema: overrideList })).items,
      approve: (id: string, note?: string, o?: IfMatch) => decideOverride(id, 'approve', note, o),
      reject: (id: string, note?: string, o?: IfMatch) => decideOverride(id, 'reject', note, o),
    },
  };
}
