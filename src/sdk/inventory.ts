import { z } from 'zod';
import { pageOf } from '../contracts/identity.ts';
import {
  completenessSchema,
  type DatasetCreate,
  datasetLineageSchema,
  datasetSchema,
  type datasetUpdateSchema,
  type deploymentCreateSchema,
  deploymentSchema,
  historyEventSchema,
  type ModelCreate,
  type ModelListQuery,
  type ModelUpdate,
  modelAsOfSchema,
  modelDetailSchema,
  modelLineageSchema,
  modelListItemSchema,
  type modelRelationsSchema,
  modelSchema,
  type modelStatusSchema,
  type VersionCreate,
  versionSchema,
  type versionUpdateSchema,
} from '../contracts/inventory.ts';
import { type Query, seg, type Transport } from './client.ts';

type Page = { limit?: number; cursor?: string | undefined };
const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
/** List filters as the query string carries them (booleans as true/false). */
export type ModelFilters = Partial<Omit<ModelListQuery, 'vendor' | 'genai'>> & {
  vendor?: boolean;
  genai?: boolean;
};

const model = (key: string) => `/api/v1/models/${seg(key)}`;
const version = (key: string, label: string) => `${model(key)}/versions/${seg(label)}`;

/** Models: list, read (also as of a past time), register, update, transitions, relations, lineage, history. */
export function modelsApi(t: Transport) {
  return {
    list: (q: ModelFilters = {}) =>
      t.call('GET', '/api/v1/models', { query: q as Query, schema: pageOf(modelListItemSchema) }),
    /** One model with its completeness. */
    get: (key: string) => t.call('GET', model(key), { schema: modelDetailSchema }),
    /** The model (and its deployments) as they were at `asOf`, replayed from the audit trail. */
    asOf: (key: string, asOf: string) =>
      t.call('GET', model(key), { query: { asOf }, schema: z.union([modelAsOfSchema, modelDetailSchema]) }),
    register: (input: ModelCreate) => t.call('POST', '/api/v1/models', { json: input, schema: modelSchema }),
    update: (key: string, patch: ModelUpdate, ifMatch?: number) =>
      t.call('PATCH', model(key), { json: patch, ifMatch, schema: modelSchema }),
    transition: (
      key: string,
      to: z.infer<typeof modelStatusSchema>,
      reason?: string,
      ifMatch?: number,
      version?: string,
    ) =>
      t.call('POST', `${model(key)}/transition`, {
        json: { to, reason, ...(version ? { version } : {}) },
        ifMatch,
        schema: modelSchema,
      }),
    /** Retires a model (a transition to `retired`; nothing is deleted). */
    retire: (key: string, reason?: string) =>
      t.call('POST', `${model(key)}/retire`, {
        json: reason === undefined ? {} : { reason },
        schema: modelSchema,
      }),
    completeness: (key: string) =>
      t.call('GET', `${model(key)}/completeness`, { schema: completenessSchema }),
    setRelations: (key: string, relations: z.infer<typeof modelRelationsSchema>) =>
      t.call('PUT', `${model(key)}/relations`, { json: relations, schema: modelSchema }),
    lineage: (key: string) => t.call('GET', `${model(key)}/lineage`, { schema: modelLineageSchema }),
    history: (key: string, q: Page = {}) =>
      t.call('GET', `${model(key)}/history`, { query: q, schema: pageOf(historyEventSchema) }),
  };
}

/** Versions of a model, addressed by label. */
export function versionsApi(t: Transport) {
  return {
    list: (key: string) => t.call('GET', `${model(key)}/versions`, { schema: itemsOf(versionSchema) }),
    get: (key: string, label: string) => t.call('GET', version(key, label), { schema: versionSchema }),
    add: (key: string, input: VersionCreate) =>
      t.call('POST', `${model(key)}/versions`, { json: input, schema: versionSchema }),
    update: (key: string, label: string, patch: z.infer<typeof versionUpdateSchema>, ifMatch?: number) =>
      t.call('PATCH', version(key, label), { json: patch, ifMatch, schema: versionSchema }),
    /** Freezes a version: it refuses edits from then on. */
    freeze: (key: string, label: string) =>
      t.call('POST', `${version(key, label)}/freeze`, { schema: versionSchema }),
    /** Marks a version superseded by another (versions are never deleted). */
    supersede: (key: string, label: string, by: string) =>
      t.call('POST', `${version(key, label)}/supersede`, { json: { by }, schema: versionSchema }),
  };
}

/** Datasets and their lineage. */
export function datasetsApi(t: Transport) {
  return {
    list: (q: Page & { q?: string; role?: string; pii?: boolean; status?: string } = {}) =>
      t.call('GET', '/api/v1/datasets', { query: q, schema: pageOf(datasetSchema) }),
    get: (id: string) => t.call('GET', `/api/v1/datasets/${seg(id)}`, { schema: datasetSchema }),
    add: (input: DatasetCreate) => t.call('POST', '/api/v1/datasets', { json: input, schema: datasetSchema }),
    update: (id: string, patch: z.infer<typeof datasetUpdateSchema>, ifMatch?: number) =>
      t.call('PATCH', `/api/v1/datasets/${seg(id)}`, { json: patch, ifMatch, schema: datasetSchema }),
    lineage: (id: string) =>
      t.call('GET', `/api/v1/datasets/${seg(id)}/lineage`, { schema: datasetLineageSchema }),
    archive: (id: string) => t.call('POST', `/api/v1/datasets/${seg(id)}/archive`, { schema: datasetSchema }),
  };
}

/** Deployments: a version running in an environment. */
export function deploymentsApi(t: Transport) {
  return {
    list: (key: string, active?: boolean) =>
      t.call('GET', `${model(key)}/deployments`, { query: { active }, schema: itemsOf(deploymentSchema) }),
    end: (id: string, endedAt?: string) =>
      t.call('POST', `/api/v1/deployments/${seg(id)}/end`, {
        json: endedAt === undefined ? {} : { endedAt },
        schema: deploymentSchema,
      }),
    add: (key: string, input: z.infer<typeof deploymentCreateSchema>) =>
      t.call('POST', `${model(key)}/deployments`, { json: input, schema: deploymentSchema }),
  };
}
