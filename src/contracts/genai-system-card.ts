import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A tool the GenAI system can call. */
export const genaiSystemToolSchema = z.strictObject({
  name: text(200),
  description: z.string().max(2000).nullable().default(null),
  /** True when calling it changes something outside the conversation (writes, payments, e-mail). */
  sideEffects: z.boolean().default(false),
});

/**
 * The GenAI system card of a model version (docs/genai.md): what the system is built from, as the
 * model card shows it. PUT replaces it whole; every change is audited.
 */
export const genaiSystemCardInputSchema = z.strictObject({
  /** Who serves the foundation model (OpenAI, Anthropic, self-hosted vLLM, …). */
  provider: text(200),
  /** The foundation model and its version or snapshot, as the provider names them. */
  baseModel: text(200),
  baseModelVersion: text(200).nullable().default(null),
  /** SHA-256 (hex) of the exact system prompt in use; the prompt itself stays with the team. */
  systemPromptSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (SHA-256)')
    .nullable()
    .default(null),
  tools: z.array(genaiSystemToolSchema).max(200).default([]),
  /** Retrieval sources (indexes, document stores, URLs) the system answers from. */
  retrievalSources: z.array(text(500)).max(200).default([]),
  /** Input/output guardrails (filters, classifiers, allow-lists) and what they do. */
  guardrails: z.array(text(1000)).max(100).default([]),
  /** Who reviews what, and how a person overrides or stops the system. */
  humanOversight: text(4000).nullable().default(null),
});
export type GenAiSystemCardInput = z.infer<typeof genaiSystemCardInputSchema>;

export const genaiSystemCardSchema = genaiSystemCardInputSchema.extend({
  model: z.string(),
  version: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  rowVersion: z.number().int(),
});
export type GenAiSystemCard = z.infer<typeof genaiSystemCardSchema>;
