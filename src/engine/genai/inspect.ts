import type { GenAiDocument } from '../../contracts/genai.ts';
import {
  decodeUtf8,
  GenAiImportError,
  type ImportOptions,
  isRecord,
  type RawTest,
  safeJsonParse,
  str,
} from './common.ts';
import { buildDocument } from './document.ts';

/**
 * Inspect AI `.eval` logs (a ZIP, read by the caller into its members): `header.json` (the EvalLog
 * without samples, written at the end), `_journal/start.json` (`{version, eval, plan}`, a running
 * log has only this), `samples/<id>_epoch_<n>.json` (one EvalSample each; a re-logged sample is a
 * duplicate member and the last one wins — the caller's map keeps the last). Log `version` 1 and
 * 2 are read. One row per sample × scorer. Score values: `C`, `true` or a number ≥ 1 pass; `I`,
 * `P` (partial), `false` or a number < 1 fail; `N` (no answer), null or a non-scalar is `error`.
 */
const TOOL = 'inspect';
export const INSPECT_LOG_VERSIONS = [1, 2] as const;

function parseMember(members: ReadonlyMap<string, Uint8Array>, name: string): Record<string, unknown> | null {
  const bytes = members.get(name);
  if (!bytes) return null;
  const v = safeJsonParse(decodeUtf8(bytes, TOOL), TOOL, name);
  if (!isRecord(v)) throw new GenAiImportError(TOOL, 'must hold a JSON object', name);
  return v;
}

function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((c) => (isRecord(c) && c.type === 'text' ? (str(c.text) ?? '') : ''))
      .filter((s) => s !== '')
      .join('\n');
  return null;
}

function inputText(input: unknown): string | null {
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) {
    const users = input.filter((m) => isRecord(m) && m.role === 'user');
    const last = users[users.length - 1];
    return isRecord(last) ? contentText(last.content) : null;
  }
  return null;
}

function outputText(output: unknown): string | null {
  if (!isRecord(output)) return null;
  const completion = str(output.completion);
  if (completion !== null) return completion;
  const choices = Array.isArray(output.choices) ? output.choices : [];
  const first = choices[0];
  return isRecord(first) && isRecord(first.message) ? contentText(first.message.content) : null;
}

function outcomeOf(value: unknown): 'pass' | 'fail' | 'error' {
  if (value === 'C' || value === true) return 'pass';
  if (value === 'I' || value === 'P' || value === false) return 'fail';
  if (typeof value === 'number' && Number.isFinite(value)) return value >= 1 ? 'pass' : 'fail';
  return 'error';
}

export function importInspect(
  members: ReadonlyMap<string, Uint8Array>,
  sha256: string,
  options: ImportOptions = {},
): GenAiDocument {
  const header = parseMember(members, 'header.json');
  const start = parseMember(members, '_journal/start.json');
  const head = header ?? start;
  if (!head)
    throw new GenAiImportError(TOOL, 'neither header.json nor _journal/start.json: not an Inspect .eval log');
  const version = head.version;
  if (typeof version !== 'number' || !(INSPECT_LOG_VERSIONS as readonly number[]).includes(version))
    throw new GenAiImportError(
      TOOL,
      `log version ${String(version)} is not supported (supported: ${INSPECT_LOG_VERSIONS.join(', ')})`,
      header ? 'header.json version' : '_journal/start.json version',
    );
  if (!isRecord(head.eval)) throw new GenAiImportError(TOOL, '"eval" must be an object', 'eval');
  const evalSpec = head.eval;
  const task = str(evalSpec.task) ?? 'task';
  const model = str(evalSpec.model);
  const packages = isRecord(evalSpec.packages) ? evalSpec.packages : {};
  const sampleNames = [...members.keys()].filter((n) => /^samples\/.+\.json$/.test(n)).sort();
  const raws: RawTest[] = [];
  let unscored = 0;
  for (const name of sampleNames) {
    const sample = parseMember(members, name) as Record<string, unknown>;
    if (sample.id === undefined) throw new GenAiImportError(TOOL, 'a sample needs an "id"', name);
    const scores = isRecord(sample.scores) ? sample.scores : {};
    const metadata = isRecord(sample.metadata) ? sample.metadata : {};
    const prompt = inputText(sample.input);
    const response = outputText(sample.output);
    const sampleModel = isRecord(sample.output) ? (str(sample.output.model) ?? model) : model;
    if (Object.keys(scores).length === 0) unscored++;
    for (const scorer of Object.keys(scores).sort()) {
      const score = scores[scorer];
      const value = isRecord(score) ? score.value : undefined;
      const outcome = outcomeOf(value);
      raws.push({
        id: `${String(sample.id)}:epoch${String(sample.epoch ?? 1)}:${scorer}`,
        probe: str(metadata.probe) ?? task,
        strategy: str(metadata.strategy),
        detector: scorer,
        tool_verdict: JSON.stringify(value ?? null),
        tool_score: typeof value === 'number' ? value : null,
        outcome,
        prompt,
        response,
        target_model: sampleModel,
        reason: isRecord(score) ? str(score.explanation) : null,
      });
    }
  }
  const notes: string[] = [];
  const status = header ? str(header.status) : 'started';
  if (header && status !== 'success') notes.push(`the log's status is "${status}"`);
  // an eval run without a scorer (inspect_ai's own tests hold one): its samples count nowhere
  if (unscored > 0) notes.push(`${unscored} of ${sampleNames.length} samples carry no score (no row)`);
  return buildDocument({
    tool: TOOL,
    toolVersion: str(packages.inspect_ai),
    formatVersion: String(version),
    runId: str(evalSpec.run_id) ?? str(evalSpec.eval_id),
    sha256,
    complete: header !== null && status === 'success',
    startedAt: str(evalSpec.created),
    raws,
    notes,
    options,
  });
}
