import { z } from 'zod';
import { modelCardContentSchema, modelCardSchema } from './documentation.ts';

/**
 * Model cards in the formats others read: Hugging Face README.md, CycloneDX 1.6 ML-BOM and SPDX
 * 3.0.1 (AI and Dataset profiles) (export), Hugging Face README.md and Google Model Card Toolkit
 * JSON (import); datasheets as MLCommons Croissant 1.0 (export).
 */

/** GET …/card/export/{format} */
export const cardStandardExportFormatSchema = z.enum(['huggingface', 'cyclonedx', 'spdx']);
export type CardStandardExportFormat = z.infer<typeof cardStandardExportFormatSchema>;

/** GET /api/v1/datasets/{id}/datasheet/export/{format} */
export const datasheetStandardExportFormatSchema = z.enum(['croissant']);
export type DatasheetStandardExportFormat = z.infer<typeof datasheetStandardExportFormatSchema>;

/** POST …/card/import `format`. */
export const cardImportFormatSchema = z.enum(['huggingface', 'model-card-toolkit']);
export type CardImportFormat = z.infer<typeof cardImportFormatSchema>;

/** POST …/card/import: convert a document and (unless `save: false`) store it as a new revision. */
export const cardImportRequestSchema = z.strictObject({
  format: cardImportFormatSchema,
  /** huggingface: the README.md text; model-card-toolkit: the JSON document (object or text). */
  document: z.union([z.string().max(10_000_000), z.record(z.string(), z.unknown())]),
  /** Store the result as a new revision (default); `false` only converts (a preview). */
  save: z.boolean().default(true),
  publish: z.boolean().default(false),
  note: z.string().trim().max(2_000).optional(),
  /** The revision the import replaces; 409 when a newer revision exists. */
  baseRevision: z.number().int().min(0).optional(),
});
export type CardImportRequest = z.input<typeof cardImportRequestSchema>;

export const cardImportResultSchema = z.object({
  format: cardImportFormatSchema,
  content: modelCardContentSchema,
  /** What the source says that a card has no field for (license, language, tags, model name …). */
  metadata: z.record(z.string(), z.unknown()),
  /** What was skipped, cut or read loosely. */
  warnings: z.array(z.string()),
  /** The stored revision, or null for a preview. */
  saved: modelCardSchema.nullable(),
});
export type CardImportResult = z.infer<typeof cardImportResultSchema>;
