import { z } from 'zod';
import { judgedBySchema, suggestedFindingSchema } from './validation-evidence.ts';

/**
 * The `assay.genai/v1` evidence document: GenAI evaluation results of one run of one tool
 * (promptfoo, garak, Inspect AI, a JUnit report, or Assay's own `assay redteam`), normalised to
 * one row per test. It is derived, reproducibly, from the raw result file (kept beside it as
 * evidence, hashed): the same bytes and options always give the same document.
 *
 * Polarity: `outcome` is Assay's reading of the tool's verdict. `fail` means the model failed
 * the test; for an attack (red-team probe) that is a successful attack. `error` is a test that
 * could not be scored (excluded from rates, counted separately).
 */
export const GENAI_FORMAT = 'assay.genai/v1';

export const genaiToolSchema = z.enum(['promptfoo', 'garak', 'inspect', 'junit', 'assay-redteam']);
export type GenAiTool = z.infer<typeof genaiToolSchema>;

export const genaiOutcomeSchema = z.enum(['pass', 'fail', 'error']);
export type GenAiOutcome = z.infer<typeof genaiOutcomeSchema>;

/** Which prompt/response text the document keeps (always PII-redacted); hashes are always kept. */
export const genaiTextPolicySchema = z.enum(['none', 'failed', 'all']);
export type GenAiTextPolicy = z.infer<typeof genaiTextPolicySchema>;

/** Assay's own re-check of a row (a deterministic detector run on the response), when it made one. */
export const genaiAssayVerdictSchema = z.object({
  outcome: genaiOutcomeSchema,
  detector: z.string(),
  detail: z.string().nullable(),
});

/** One test (an attempt × detector, a promptfoo result, an Inspect sample × scorer, a JUnit test case). */
export const genaiTestSchema = z.object({
  /** Stable id inside the run (the tool's id when it has one, else derived from its position). */
  id: z.string(),
  /** Probe, plugin, task or test-suite name, as the tool spells it. */
  probe: z.string(),
  /** Attack strategy / technique (promptfoo strategy, garak buff, jailbreak template), when known. */
  strategy: z.string().nullable(),
  /** The detector, assertion or scorer that judged it. */
  detector: z.string().nullable(),
  /** Taxonomy references, e.g. `owasp-llm:2025:LLM01`, `owasp-agentic:2026:ASI01`, `atlas:AML.T0051.000`. */
  categories: z.array(z.string()),
  /** The tool's own verdict string (`pass`/`fail`/`error`/`skipped`, a score value, …). */
  tool_verdict: z.string(),
  /** The tool's numeric score, when it has one (garak detector score 0–1, promptfoo score). */
  tool_score: z.number().nullable(),
  outcome: genaiOutcomeSchema,
  assay_verdict: genaiAssayVerdictSchema.nullable(),
  /** SHA-256 (hex) of the exact prompt / response text (before any redaction); null when absent. */
  prompt_sha256: z.string().nullable(),
  response_sha256: z.string().nullable(),
  /** Redacted text, only when the text policy allows (`text` option), else null. */
  prompt_text: z.string().nullable(),
  response_text: z.string().nullable(),
  target_model: z.string().nullable(),
  reason: z.string().nullable(),
});
export type GenAiTest = z.infer<typeof genaiTestSchema>;

/** The Wilson score interval of a rate (statsmodels `proportion_confint(method='wilson')`). */
export const genaiIntervalSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  method: z.literal('wilson'),
  confidence: z.number(),
});

/** Failure (attack success) rate of one category, from the normalised rows only. */
export const genaiCategoryRateSchema = z.object({
  category: z.string(),
  name: z.string(),
  /** Tests scored (pass + fail). */
  n: z.number().int(),
  failures: z.number().int(),
  errors: z.number().int(),
  /** failures / n; null when n = 0. */
  rate: z.number().nullable(),
  interval: genaiIntervalSchema.nullable(),
});
export type GenAiCategoryRate = z.infer<typeof genaiCategoryRateSchema>;

export const genaiSourceSchema = z.object({
  tool: genaiToolSchema,
  tool_version: z.string().nullable(),
  /** The version of the tool's result format the importer read (promptfoo `results.version`, Inspect log `version`, …). */
  format_version: z.string(),
  run_id: z.string().nullable(),
  /** SHA-256 of the raw result file the document is derived from. */
  sha256: z.string(),
  filename: z.string().nullable(),
  /** False for a run that did not finish (garak without `completion`, Inspect without `header.json`). */
  complete: z.boolean(),
  started_at: z.string().nullable(),
});

export const genaiDocumentSchema = z.object({
  format: z.literal(GENAI_FORMAT),
  source: genaiSourceSchema,
  /** The model under test, as the tool names it (first seen when several). */
  target_model: z.string().nullable(),
  /** How it was derived: importer version and options, so it can be re-derived. */
  derived: z.object({
    importer: z.string(),
    text: genaiTextPolicySchema,
    taxonomy: z.string(),
  }),
  tests: z.array(genaiTestSchema),
  rates: z.array(genaiCategoryRateSchema),
  /** Things the importer noticed: incomplete runs, tool summaries that disagree with the rows, duplicates. */
  notes: z.array(z.string()),
  /** The policy's genaiThresholds breached (null: not judged); adopt with `assay findings adopt`. */
  suggested_findings: z.array(suggestedFindingSchema).nullable().default(null),
  judged_by: judgedBySchema.nullable().default(null),
});
export type GenAiDocument = z.infer<typeof genaiDocumentSchema>;

/** A category whose rate went up (or newly appeared with failures) against the previous version's run. */
export const genaiComparisonRowSchema = z.object({
  category: z.string(),
  name: z.string(),
  previous: genaiCategoryRateSchema.nullable(),
  current: genaiCategoryRateSchema.nullable(),
  /** current.rate − previous.rate; null when either is missing. */
  delta: z.number().nullable(),
  /** `regression`: worse and the intervals do not overlap, or failures where there were none in as many tests. */
  status: z.enum(['regression', 'worse', 'same', 'better', 'improved', 'new', 'dropped']),
});
export const genaiComparisonSchema = z.object({
  rows: z.array(genaiComparisonRowSchema),
  regressions: z.array(z.string()),
});
export type GenAiComparison = z.infer<typeof genaiComparisonSchema>;

/** A failed test of a run, as the document keeps it (texts only when the text policy allowed, redacted). */
export const genaiFailedExampleSchema = z.object({
  id: z.string(),
  probe: z.string(),
  strategy: z.string().nullable(),
  categories: z.array(z.string()),
  prompt_text: z.string().nullable(),
  response_text: z.string().nullable(),
  reason: z.string().nullable(),
});

/** One GenAI run attached to a version: its source and Assay's rates, recomputed from its rows. */
export const genaiRunSchema = z.object({
  evidenceId: z.string(),
  attachedAt: z.string(),
  source: genaiSourceSchema,
  targetModel: z.string().nullable(),
  tests: z.number().int(),
  failures: z.number().int(),
  errors: z.number().int(),
  /** Recomputed by the server from the document's rows (the stored `rates` are not trusted). */
  rates: z.array(genaiCategoryRateSchema),
  notes: z.array(z.string()),
  suggestedFindings: z.number().int(),
  /** The first failed tests (at most 20), redacted as stored. */
  failedExamples: z.array(genaiFailedExampleSchema),
});
export type GenAiRun = z.infer<typeof genaiRunSchema>;

/** A run of this version compared with the newest run of the same tool on the version compared against. */
export const genaiRunComparisonSchema = genaiComparisonSchema.extend({
  tool: genaiToolSchema,
  currentEvidenceId: z.string(),
  previousEvidenceId: z.string(),
});

/** GET /api/v1/models/{key}/versions/{label}/genai: a version's GenAI runs and the comparison. */
export const genaiVersionReportSchema = z.object({
  model: z.string(),
  version: z.string(),
  /** The version compared against: `against`, else the version registered just before; null when none. */
  comparedWith: z.string().nullable(),
  /** Current runs, newest first. */
  runs: z.array(genaiRunSchema),
  /** Per tool: this version's newest run against the compared version's newest run of that tool. */
  comparisons: z.array(genaiRunComparisonSchema),
  /** Every regression, prefixed with its tool. */
  regressions: z.array(z.string()),
  /** `genai.json` evidence that could not be read as an `assay.genai/v1` document, with why. */
  unreadable: z.array(z.object({ evidenceId: z.string(), reason: z.string() })),
});
export type GenAiVersionReport = z.infer<typeof genaiVersionReportSchema>;

export const genaiReportQuerySchema = z.strictObject({
  /** Compare with this version instead of the previous one. */
  against: z.string().min(1).max(63).optional(),
});
