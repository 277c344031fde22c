import type { GenAiDocument } from '../../contracts/genai.ts';
import {
  decodeUtf8,
  GenAiImportError,
  type ImportOptions,
  isRecord,
  num,
  type RawTest,
  safeJsonParse,
  sha256Hex,
  str,
} from './common.ts';
import { buildDocument } from './document.ts';

/**
 * promptfoo `eval --output results.json` (`OutputFile` in promptfoo's `src/types/index.ts`):
 * `{evalId, results: {version, timestamp, results[], prompts|table, stats}, config, shareableUrl,
 * metadata?}`. Keyed off `results.version`: 3 (current) and 2 (legacy) are read; any other is
 * refused. `--output results.jsonl` (one result per line) is read too. "pass" means the model resisted: a failed red-team grading is a successful attack.
 */
export const PROMPTFOO_VERSIONS = [2, 3] as const;
const TOOL = 'promptfoo';
const REDTEAM_PREFIX = 'promptfoo:redteam:';

function pluginOf(result: Record<string, unknown>): string | null {
  const metadata = isRecord(result.metadata) ? result.metadata : {};
  const testCase = isRecord(result.testCase) ? result.testCase : {};
  const testMeta = isRecord(testCase.metadata) ? testCase.metadata : {};
  const fromMeta = str(metadata.pluginId) ?? str(testMeta.pluginId);
  if (fromMeta) return fromMeta.replace(REDTEAM_PREFIX, '');
  const vars = isRecord(result.vars) ? result.vars : {};
  const harm = str(vars.harmCategory) ?? str(metadata.harmCategory);
  if (harm) return harm;
  const grading = isRecord(result.gradingResult) ? result.gradingResult : {};
  const components = Array.isArray(grading.componentResults) ? grading.componentResults : [];
  for (const c of components) {
    const type = isRecord(c) && isRecord(c.assertion) ? str(c.assertion.type) : null;
    if (type?.startsWith(REDTEAM_PREFIX)) return type.slice(REDTEAM_PREFIX.length);
  }
  const asserts = Array.isArray(testCase.assert) ? testCase.assert : [];
  for (const a of asserts) {
    const type = isRecord(a) ? str(a.type) : null;
    if (type?.startsWith(REDTEAM_PREFIX)) return type.slice(REDTEAM_PREFIX.length);
  }
  return null;
}

function strategyOf(result: Record<string, unknown>, redteam: boolean): string | null {
  const testCase = isRecord(result.testCase) ? result.testCase : {};
  const testMeta = isRecord(testCase.metadata) ? testCase.metadata : {};
  const metadata = isRecord(result.metadata) ? result.metadata : {};
  const s = str(testMeta.strategyId) ?? str(metadata.strategyId);
  if (s === 'iterative') return 'jailbreak';
  if (s?.startsWith('iterative:')) return `jailbreak:${s.slice('iterative:'.length)}`;
  return s ?? (redteam ? 'basic' : null);
}

/**
 * The assertions that graded the row (`gradingResult.componentResults`, else the test's `assert`
 * list when the provider failed before grading), else the plugin's red-team grader.
 */
function detectorOf(result: Record<string, unknown>, plugin: string | null): string | null {
  const grading = isRecord(result.gradingResult) ? result.gradingResult : {};
  const testCase = isRecord(result.testCase) ? result.testCase : {};
  const typesOf = (list: unknown, pick: (x: Record<string, unknown>) => unknown) =>
    (Array.isArray(list) ? list : [])
      .map((c) => (isRecord(c) ? str(pick(c)) : null))
      .filter((t): t is string => t !== null);
  let types = typesOf(grading.componentResults, (c) => (isRecord(c.assertion) ? c.assertion.type : null));
  if (types.length === 0) types = typesOf(testCase.assert, (a) => a.type);
  if (types.length > 0) return [...new Set(types)].join(',');
  return plugin ? `${REDTEAM_PREFIX}${plugin}` : null;
}

function outputText(response: unknown): string | null {
  if (!isRecord(response)) return null;
  const out = response.output;
  if (out === undefined || out === null) return null;
  return typeof out === 'string' ? out : JSON.stringify(out);
}

/** One `EvaluateResult` (`results.results[i]` of the JSON file, a line of the JSONL file) as a row. */
function readResult(r: unknown, i: number, where: string, redteamRun: boolean): RawTest {
  if (!isRecord(r)) throw new GenAiImportError(TOOL, 'a result must be an object', where);
  if (typeof r.success !== 'boolean')
    throw new GenAiImportError(TOOL, '"success" must be true or false', `${where}.success`);
  const plugin = pluginOf(r);
  const redteam = redteamRun || plugin !== null;
  const failureReason = num(r.failureReason);
  const outcome = r.success ? 'pass' : failureReason === 2 ? 'error' : 'fail';
  const testCase = isRecord(r.testCase) ? r.testCase : {};
  const prompt = isRecord(r.prompt) ? r.prompt : {};
  const provider = isRecord(r.provider) ? r.provider : {};
  const grading = isRecord(r.gradingResult) ? r.gradingResult : {};
  const testIdx = num(r.testIdx) ?? i;
  const promptIdx = num(r.promptIdx) ?? 0;
  return {
    id: str(r.id) ?? `test${testIdx}-prompt${promptIdx}`,
    probe: plugin ?? str(testCase.description) ?? str(r.description) ?? `test ${testIdx}`,
    strategy: strategyOf(r, redteam),
    detector: detectorOf(r, plugin),
    tool_verdict: outcome,
    tool_score: num(r.score),
    outcome,
    prompt: str(prompt.raw),
    response: outputText(r.response),
    target_model: str(provider.id),
    reason: str(grading.reason) ?? str(r.error),
  };
}

function count(raws: readonly RawTest[]): [number, number, number] {
  const by = (o: string) => raws.filter((r) => r.outcome === o).length;
  return [by('pass'), by('fail'), by('error')];
}

/**
 * `promptfoo eval -o results.jsonl`: one `EvaluateResult` per line, nothing else (no schema
 * version, no promptfoo version, no eval id, no summary). Its rows are read as those of a
 * `results.version` 3 file; promptfoo writes the file once the eval has finished.
 */
function importJsonl(text: string, bytes: Uint8Array, options: ImportOptions): GenAiDocument {
  const raws: RawTest[] = [];
  text.split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    const where = `line ${k + 1}`;
    raws.push(readResult(safeJsonParse(line, TOOL, where), raws.length, where, false));
  });
  return buildDocument({
    tool: TOOL,
    toolVersion: null,
    formatVersion: 'jsonl',
    runId: null,
    sha256: sha256Hex(bytes),
    complete: true,
    startedAt: null,
    raws,
    notes: [
      'a promptfoo JSONL file records no promptfoo version, eval id or summary (the -o JSON file does)',
    ],
    options,
  });
}

/** A JSONL results file: its first line is a whole `EvaluateResult` object. */
function isJsonl(text: string): boolean {
  const first = text.trimStart().split('\n', 1)[0] ?? '';
  if (!first.trimEnd().endsWith('}')) return false;
  try {
    const row = JSON.parse(first) as unknown;
    return (
      isRecord(row) && !('results' in row) && 'success' in row && ('testCase' in row || 'promptIdx' in row)
    );
  } catch {
    return false;
  }
}

/** Reads a promptfoo results file (`-o` JSON, or `-o` JSONL) into an `assay.genai/v1` document. */
export function importPromptfoo(bytes: Uint8Array, options: ImportOptions = {}): GenAiDocument {
  const text = decodeUtf8(bytes, TOOL);
  if (isJsonl(text)) return importJsonl(text, bytes, options);
  const root = safeJsonParse(text, TOOL, 'file');
  if (!isRecord(root)) throw new GenAiImportError(TOOL, 'the file is not a JSON object');
  if (!isRecord(root.results))
    throw new GenAiImportError(TOOL, 'no "results" object: not a promptfoo --output JSON file', 'results');
  const summary = root.results;
  const version = summary.version;
  if (typeof version !== 'number')
    throw new GenAiImportError(
      TOOL,
      'results.version is missing: unknown promptfoo format',
      'results.version',
    );
  if (!(PROMPTFOO_VERSIONS as readonly number[]).includes(version))
    throw new GenAiImportError(
      TOOL,
      `results schema version ${version} is not supported (supported: ${PROMPTFOO_VERSIONS.join(', ')})`,
      'results.version',
    );
  if (!Array.isArray(summary.results))
    throw new GenAiImportError(TOOL, 'results.results must be an array', 'results.results');
  const config = isRecord(root.config) ? root.config : {};
  const redteamRun = isRecord(config.redteam);
  const metadata = isRecord(root.metadata) ? root.metadata : {};
  const raws = summary.results.map((r, i) => readResult(r, i, `results.results[${i}]`, redteamRun));
  const notes: string[] = [];
  if (isRecord(summary.stats)) {
    const s = summary.stats;
    const theirs = [num(s.successes), num(s.failures), num(s.errors)];
    const ours = count(raws);
    if (theirs.some((v, k) => v !== null && v !== ours[k]))
      notes.push(
        `promptfoo's stats (successes ${theirs[0]}, failures ${theirs[1]}, errors ${theirs[2]}) disagree with the rows (${ours[0]}, ${ours[1]}, ${ours[2]}); rates use the rows`,
      );
  }
  return buildDocument({
    tool: TOOL,
    toolVersion: str(metadata.promptfooVersion),
    formatVersion: String(version),
    runId: str(root.evalId),
    sha256: sha256Hex(bytes),
    complete: true,
    startedAt: str(summary.timestamp),
    raws,
    notes,
    options,
  });
}
