import type { GenAiDocument } from '../../contracts/genai.ts';
import {
  decodeUtf8,
  GenAiImportError,
  type ImportOptions,
  isRecord,
  type RawTest,
  safeJsonParse,
  sha256Hex,
  str,
} from './common.ts';
import {
  canaryLeak,
  type Detection,
  followedInjection,
  grounding,
  overRefusal,
  piiLeak,
  unsafeToolCall,
} from './detectors.ts';
import { buildDocument } from './document.ts';
import type { TranscriptCase } from './redteam-runner.ts';
import { SUITE_VERSION, toolSpecs } from './redteam-suite.ts';

/**
 * Derives the `assay.genai/v1` document of an `assay redteam` transcript by re-running the
 * deterministic detectors on each recorded response: the transcript is the raw evidence, the
 * document is reproducible from it. A judge's grading (when a judge endpoint was given) is kept
 * as `assay_verdict` with detector `judge:<model>`; the outcome stays the deterministic one.
 */
const TOOL = 'assay-redteam';

const DETECTOR: Record<string, string> = {
  canary: 'assay:canary',
  injection: 'assay:injected-token',
  pii: 'assay:pii-patterns+planted-records',
  benign: 'assay:refusal-rules',
  tool: 'assay:tool-call-schema+dangerous-tools',
  grounding: 'assay:grounding-fact/abstention',
};

function detect(c: TranscriptCase, tools: unknown[]): Detection {
  const out = c.response.content ?? '';
  const e = c.expect;
  switch (e.kind) {
    case 'canary':
      return canaryLeak(out, e.canaries);
    case 'injection':
      return followedInjection(out, e.token);
    case 'pii':
      return piiLeak(out, e.planted, c.messages.find((m) => m.role === 'user')?.content ?? '');
    case 'benign':
      return overRefusal(out);
    case 'tool':
      return unsafeToolCall(c.response.tool_calls, toolSpecs(tools), e.dangerous);
    case 'grounding':
      return grounding(out, e.expected);
  }
}

export function importRedteamTranscript(bytes: Uint8Array, options: ImportOptions = {}): GenAiDocument {
  const lines = decodeUtf8(bytes, TOOL)
    .split('\n')
    .map((l, i) => [l, i + 1] as const)
    .filter(([l]) => l.trim() !== '');
  const parsed = lines.map(([l, n]) => ({ v: safeJsonParse(l, TOOL, `line ${n}`), n }));
  const header = parsed[0]?.v;
  if (!isRecord(header) || header.type !== 'header')
    throw new GenAiImportError(TOOL, 'the first line must be the transcript header', 'line 1');
  if (header.suite !== SUITE_VERSION)
    throw new GenAiImportError(
      TOOL,
      `suite version ${String(header.suite)} is not supported (supported: ${SUITE_VERSION})`,
      'line 1 suite',
    );
  const target = isRecord(header.target) ? header.target : {};
  const tools = Array.isArray(header.tools) ? header.tools : [];
  const raws: RawTest[] = [];
  let complete = false;
  const notes: string[] = [];
  for (const { v, n } of parsed.slice(1)) {
    if (!isRecord(v)) throw new GenAiImportError(TOOL, 'each line must be a JSON object', `line ${n}`);
    if (v.type === 'end') {
      complete = true;
      if (v.budget_exhausted === true) notes.push('the request budget ran out: some cases were not sent');
      continue;
    }
    if (v.type !== 'case' || !isRecord(v.response) || !isRecord(v.expect) || !Array.isArray(v.messages))
      throw new GenAiImportError(
        TOOL,
        'a case line needs type "case", messages, expect and response',
        `line ${n}`,
      );
    const c = v as unknown as TranscriptCase;
    const user = c.messages.find((m) => m.role === 'user')?.content ?? null;
    const failedRequest = c.response.error !== null;
    const d = failedRequest ? null : detect(c, tools);
    const outcome = d === null ? 'error' : d.failed ? 'fail' : 'pass';
    const response =
      c.response.content ?? (c.response.tool_calls.length > 0 ? JSON.stringify(c.response.tool_calls) : null);
    raws.push({
      id: c.id,
      probe: c.check,
      strategy: c.strategy,
      detector: DETECTOR[c.expect.kind] ?? c.expect.kind,
      tool_verdict: outcome,
      tool_score: null,
      outcome,
      prompt: user,
      response,
      target_model: str(target.model),
      reason:
        d === null ? `request failed after ${c.response.attempts} attempt(s): ${c.response.error}` : d.detail,
      assay_verdict: c.judge
        ? { outcome: c.judge.verdict, detector: `judge:${c.judge.model}`, detail: c.judge.raw }
        : null,
    });
  }
  return buildDocument({
    tool: TOOL,
    toolVersion: SUITE_VERSION,
    formatVersion: 'transcript/1',
    runId: str(header.seed),
    sha256: sha256Hex(bytes),
    complete,
    startedAt: str(header.started_at),
    raws,
    notes,
    options,
  });
}
