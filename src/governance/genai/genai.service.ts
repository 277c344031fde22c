import type { Readable } from 'node:stream';
import type { Evidence } from '../../contracts/evidence.ts';
import {
  GENAI_FORMAT,
  type GenAiDocument,
  type GenAiRun,
  type GenAiVersionReport,
  genaiDocumentSchema,
} from '../../contracts/genai.ts';
import { categoryRates, compareRates } from '../../engine/genai/index.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { EvidenceService } from '../evidence/evidence.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';

/** Largest `genai.json` read back (a document of a very large scan). */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
const MAX_EXAMPLES = 20;

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > MAX_DOCUMENT_BYTES) {
      stream.destroy();
      throw new Error(`larger than ${MAX_DOCUMENT_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether evidence holds a derived document (the raw tool files beside it are skipped). */
function isDocument(e: Evidence): boolean {
  return e.file?.filename === 'genai.json' && e.file.mediaType === 'application/json';
}

/** A run's view: rates recomputed from the rows, failed examples as stored (redacted). */
export function runView(evidence: Evidence, doc: GenAiDocument): GenAiRun {
  const failed = doc.tests.filter((t) => t.outcome === 'fail');
  return {
    evidenceId: evidence.id,
    attachedAt: evidence.createdAt,
    source: doc.source,
    targetModel: doc.target_model,
    tests: doc.tests.length,
    failures: failed.length,
    errors: doc.tests.filter((t) => t.outcome === 'error').length,
    rates: categoryRates(doc.tests, doc.rates[0]?.interval?.confidence),
    notes: doc.notes,
    suggestedFindings: doc.suggested_findings?.length ?? 0,
    failedExamples: failed.slice(0, MAX_EXAMPLES).map((t) => ({
      id: t.id,
      probe: t.probe,
      strategy: t.strategy,
      categories: t.categories,
      prompt_text: t.prompt_text,
      response_text: t.response_text,
      reason: t.reason,
    })),
  };
}

/**
 * GenAI evaluation evidence of a version, read back: every current `assay.genai/v1` document
 * with Assay's own rates, and per tool the comparison of the newest run with the newest run of
 * the same tool on the previous version (or `against`), regressions named (docs/genai.md).
 */
export class GenAiService {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly versions: VersionsService,
  ) {}

  private async runs(caller: Caller, key: string, label: string) {
    const items = await this.evidence.listForVersion(caller, key, label, { type: 'genai_evaluation' });
    const runs: GenAiRun[] = [];
    const unreadable: { evidenceId: string; reason: string }[] = [];
    for (const e of items.filter(isDocument)) {
      try {
        const json = JSON.parse(await readAll((await this.evidence.content(caller, e.id)).stream)) as {
          format?: unknown;
        };
        if (json.format !== GENAI_FORMAT)
          throw new Error(`format is ${String(json.format)}, not ${GENAI_FORMAT}`);
        const parsed = genaiDocumentSchema.safeParse(json);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new Error(`${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`);
        }
        runs.push(runView(e, parsed.data));
      } catch (err) {
        unreadable.push({ evidenceId: e.id, reason: (err as Error).message });
      }
    }
    return { runs, unreadable };
  }

  /** The version's runs and their comparison with the previous version (or `against`). */
  async report(caller: Caller, key: string, label: string, against?: string): Promise<GenAiVersionReport> {
    const all = await this.versions.list(caller, key);
    const idx = all.findIndex((v) => v.label === label);
    if (idx < 0) throw new NotFoundError('version', `${key}@${label}`);
    let comparedWith: string | null = idx > 0 ? all[idx - 1]!.label : null;
    if (against !== undefined) {
      if (!all.some((v) => v.label === against)) throw new NotFoundError('version', `${key}@${against}`);
      comparedWith = against;
    }
    const current = await this.runs(caller, key, label);
    const previous = comparedWith ? await this.runs(caller, key, comparedWith) : { runs: [] };
    const comparisons: GenAiVersionReport['comparisons'] = [];
    const seen = new Set<string>();
    // Runs are newest first: the first run of each tool is its newest.
    for (const run of current.runs) {
      if (seen.has(run.source.tool)) continue;
      seen.add(run.source.tool);
      const before = previous.runs.find((r) => r.source.tool === run.source.tool);
      if (!before) continue;
      comparisons.push({
        tool: run.source.tool,
        currentEvidenceId: run.evidenceId,
        previousEvidenceId: before.evidenceId,
        ...compareRates(before.rates, run.rates),
      });
    }
    return {
      model: key,
      version: label,
      comparedWith,
      runs: current.runs,
      comparisons,
      regressions: comparisons.flatMap((c) => c.regressions.map((r) => `${c.tool}: ${r}`)),
      unreadable: current.unreadable,
    };
  }
}
