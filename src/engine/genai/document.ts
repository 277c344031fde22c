import { GENAI_FORMAT, type GenAiDocument, type GenAiTool } from '../../contracts/genai.ts';
import { IMPORTER_VERSION, type ImportOptions, type RawTest, toTest } from './common.ts';
import { categoryRates } from './scoring.ts';
import { categoriesOf, TAXONOMY_VERSION } from './taxonomy.ts';

export interface DocumentParts {
  tool: GenAiTool;
  toolVersion: string | null;
  formatVersion: string;
  runId: string | null;
  sha256: string;
  complete: boolean;
  startedAt: string | null;
  raws: readonly RawTest[];
  notes: string[];
  options: ImportOptions;
}

/** Assembles an `assay.genai/v1` document: text policy, taxonomy mapping, rates from the rows. */
export function buildDocument(parts: DocumentParts): GenAiDocument {
  const text = parts.options.text ?? 'none';
  const tests = parts.raws.map((raw) => {
    const test = toTest(raw, text);
    test.categories = categoriesOf(parts.tool, raw.probe, raw.map_name);
    return test;
  });
  const notes = [...parts.notes];
  if (!parts.complete) notes.push('the run did not finish: the results are partial');
  if (tests.length === 0) notes.push('the file holds no scored test');
  return {
    format: GENAI_FORMAT,
    source: {
      tool: parts.tool,
      tool_version: parts.toolVersion,
      format_version: parts.formatVersion,
      run_id: parts.runId,
      sha256: parts.sha256,
      filename: parts.options.filename ?? null,
      complete: parts.complete,
      started_at: parts.startedAt,
    },
    target_model: tests.find((t) => t.target_model !== null)?.target_model ?? null,
    derived: { importer: IMPORTER_VERSION, text, taxonomy: TAXONOMY_VERSION },
    tests,
    rates: categoryRates(tests),
    notes,
    suggested_findings: null,
    judged_by: null,
  };
}
