import { z } from 'zod';
import { evidenceTypeSchema } from './policy.ts';

const isoTime = z.iso.datetime({ offset: true });

/** Who or what produced a piece of evidence (e.g. tool `assay-validate`, version `0.1.0`). */
export const evidenceProducerSchema = z.strictObject({
  tool: z.string().trim().min(1).max(200),
  version: z.string().trim().max(100).optional(),
});

/**
 * Metadata of new evidence: JSON body for an external URL, or the `metadata` part of a multipart
 * upload (with a `file` part).
 */
export const evidenceCreateSchema = z.strictObject({
  type: evidenceTypeSchema,
  title: z.string().trim().min(1).max(300),
  description: z.string().max(4000).optional(),
  externalUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  producedBy: evidenceProducerSchema.optional(),
  /** What it was produced from: dataset names, URIs, hashes. */
  inputs: z.array(z.string().min(1).max(1000)).max(100).optional(),
  validUntil: isoTime.optional(),
  /** The id of older evidence this one replaces (it becomes superseded, never deleted). */
  supersedes: z.string().min(1).max(100).optional(),
  /** The open review of this version the evidence is produced for (recorded; it counts for that review's cycle). */
  reviewId: z.string().min(1).max(100).optional(),
});
export type EvidenceCreate = z.infer<typeof evidenceCreateSchema>;

/** POST /api/v1/evidence/{id}/supersede: retire evidence without a replacement. */
export const evidenceSupersedeSchema = z.strictObject({ reason: z.string().trim().min(3).max(2000) });

/** A stored file of evidence. */
export const evidenceFileSchema = z.object({
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string().nullable(),
  filename: z.string().nullable(),
});

/** Evidence as the API shows it; `expired` is derived from validUntil and the clock at read time. */
export const evidenceSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  versionLabel: z.string(),
  type: evidenceTypeSchema,
  title: z.string(),
  description: z.string().nullable(),
  file: evidenceFileSchema.nullable(),
  externalUrl: z.string().nullable(),
  uploadedBy: z.string(),
  producedBy: z.object({ tool: z.string(), version: z.string().nullable() }).nullable(),
  inputs: z.array(z.string()),
  validUntil: z.string().nullable(),
  expired: z.boolean(),
  superseded: z.boolean(),
  supersededBy: z.string().nullable(),
  supersededAt: z.string().nullable(),
  createdAt: z.string(),
  rowVersion: z.number().int(),
  /** The review it was produced for, when named at upload. */
  reviewId: z.string().nullable(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** GET …/evidence query. */
export const evidenceListQuerySchema = z.strictObject({
  type: evidenceTypeSchema.optional(),
  includeSuperseded: z.enum(['true', 'false']).optional(),
});
