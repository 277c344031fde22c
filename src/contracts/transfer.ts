import { z } from 'zod';
import {
  datasetCreateSchema,
  modelCreateSchema,
  modelStatusSchema,
  versionCreateSchema,
} from './inventory.ts';

/** What can be imported and exported in bulk. */
export const transferKindSchema = z.enum(['models', 'versions', 'datasets']);
export type TransferKind = z.infer<typeof transferKindSchema>;

/** File formats of bulk import and export. */
export const transferFormatSchema = z.enum(['csv', 'json']);
export type TransferFormat = z.infer<typeof transferFormatSchema>;

/** POST /api/v1/import and GET /api/v1/export query. */
export const transferQuerySchema = z.strictObject({
  kind: transferKindSchema,
  format: transferFormatSchema,
});

/** Columns an export writes that an import accepts but never writes (they are the server's). */
const readOnly = {
  id: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  rowVersion: z.number().optional(),
};

/** A dataset reference in a file: its id or its (unique) name. */
const datasetRef = z.string().min(1).max(200);

/**
 * One model row. The key identifies it: a new key registers, a known key updates. `status` may
 * only be proposed/development for a new model and must equal the current one for a known model
 * (lifecycle moves go through /transition).
 */
export const modelImportRowSchema = modelCreateSchema.extend({
  status: modelStatusSchema.optional(),
  ...readOnly,
  tier: z.number().int().nullable().optional(),
  /** Read-only: set by tiering, ignored on import. */
  euAiActClass: z.string().nullable().optional(),
  validators: z.array(z.string()).optional(),
  retiredAt: z.string().nullable().optional(),
});
export type ModelImportRow = z.infer<typeof modelImportRowSchema>;

/** One version row, identified by model key and label. Datasets by id or name. */
export const versionImportRowSchema = versionCreateSchema
  .omit({ trainingDatasetIds: true, evaluationDatasetIds: true })
  .extend({
    modelKey: modelCreateSchema.shape.key,
    trainingDatasets: z.array(datasetRef).max(50).optional(),
    evaluationDatasets: z.array(datasetRef).max(50).optional(),
    ...readOnly,
    status: z.string().optional(),
    supersededBy: z.string().nullable().optional(),
    frozen: z.boolean().optional(),
    frozenAt: z.string().nullable().optional(),
    createdBy: z.string().optional(),
  });
export type VersionImportRow = z.infer<typeof versionImportRowSchema>;

/** One dataset row, identified by its name; derivedFrom by id or name (may name rows of the same file). */
export const datasetImportRowSchema = datasetCreateSchema.omit({ derivedFrom: true }).extend({
  derivedFrom: z.array(datasetRef).max(50).optional(),
  ...readOnly,
  status: z.string().optional(),
});
export type DatasetImportRow = z.infer<typeof datasetImportRowSchema>;

/** One problem of an import file: the 1-based data row (CSV: line - 1 for single-line rows) and field. */
export const importProblemSchema = z.object({
  row: z.number().int(),
  line: z.number().int().optional(),
  field: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

/** POST /api/v1/import answer. */
export const importResultSchema = z.object({
  kind: transferKindSchema,
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;
