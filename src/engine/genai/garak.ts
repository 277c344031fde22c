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
 * garak `garak.<run>.report.jsonl`: typed JSON lines (`entry_type`). Read: `start_run setup`
 * (older: `config`), `init`, `attempt`, `eval`, `completion`, `digest`; others are ignored.
 * An attempt is written twice (status 1 after generation, 2 after detection): only status 2 is
 * kept, de-duplicated by uuid, probe and seq (last wins). One row per attempt × detector × output; a detector
 * score ≥ the run's `eval_threshold` (default 0.5, garak's ThresholdEvaluator) is a hit: the
 * attack succeeded (`fail`); a null score is unscored (`error`). garak's `eval` counts are only
 * cross-checked, never used. Reports of garak 0.9–0.17 are read; other versions are refused.
 */
const TOOL = 'garak';
export const GARAK_MINORS = { min: 9, max: 17 } as const;

function checkVersion(version: string): void {
  const m = /^(\d+)\.(\d+)/.exec(version);
  const ok = m && m[1] === '0' && Number(m[2]) >= GARAK_MINORS.min && Number(m[2]) <= GARAK_MINORS.max;
  if (!ok)
    throw new GenAiImportError(
      TOOL,
      `report version ${version} is not supported (supported: garak 0.${GARAK_MINORS.min} to 0.${GARAK_MINORS.max})`,
      'init.garak_version',
    );
}

function messageText(m: unknown): string | null {
  if (typeof m === 'string') return m;
  if (isRecord(m)) return str(m.text);
  return null;
}

/** The prompt of an attempt: a bare string (old reports) or the last user turn of a Conversation. */
function promptText(p: unknown): string | null {
  if (typeof p === 'string') return p;
  if (isRecord(p) && Array.isArray(p.turns)) {
    const turns = p.turns.filter((t) => isRecord(t) && t.role === 'user');
    const last = turns[turns.length - 1];
    return isRecord(last) ? messageText(last.content) : null;
  }
  return isRecord(p) ? str(p.text) : null;
}

/** Flattens a detector's scores (garak writes `[s, …]`, some detectors `[[s], …]`). */
function scoresOf(v: unknown): (number | null)[] {
  if (!Array.isArray(v)) return [];
  return v.map((s) => (Array.isArray(s) ? num(s[0]) : num(s)));
}

export function importGarak(bytes: Uint8Array, options: ImportOptions = {}): GenAiDocument {
  const lines = decodeUtf8(bytes, TOOL).split('\n');
  let version: string | null = null;
  let runId: string | null = null;
  let startedAt: string | null = null;
  let target: string | null = null;
  let threshold = 0.5;
  let complete = false;
  let sawEntry = false;
  const attempts = new Map<string, { line: number; a: Record<string, unknown> }>();
  const evals: { probe: string; detector: string; fails: number | null; passed: number | null }[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const where = `line ${i + 1}`;
    const entry = safeJsonParse(text, TOOL, where);
    if (!isRecord(entry) || typeof entry.entry_type !== 'string')
      throw new GenAiImportError(TOOL, 'a report line must be a JSON object with an "entry_type"', where);
    sawEntry = true;
    switch (entry.entry_type) {
      case 'start_run setup':
      case 'config': {
        version ??= str(entry['_config.version']);
        const type = str(entry['plugins.target_type']) ?? str(entry['plugins.model_type']);
        const name = str(entry['plugins.target_name']) ?? str(entry['plugins.model_name']);
        target = [type, name].filter((s) => s !== null).join(' ') || null;
        threshold = num(entry['run.eval_threshold']) ?? threshold;
        startedAt ??= str(entry['transient.starttime_iso']);
        break;
      }
      case 'init':
        version = str(entry.garak_version) ?? version;
        runId = str(entry.run) ?? runId;
        startedAt = str(entry.start_time) ?? startedAt;
        break;
      case 'attempt': {
        if (typeof entry.probe_classname !== 'string')
          throw new GenAiImportError(TOOL, 'an attempt needs a "probe_classname"', where);
        if (entry.status !== 2) break;
        // uuid + probe + seq: aggregated reports (garak's aggregate_reports) reuse one uuid.
        const uuid = str(entry.uuid);
        const key =
          uuid === null ? `line${i + 1}` : `${uuid}:${entry.probe_classname}:${String(entry.seq ?? '')}`;
        attempts.set(key, { line: i + 1, a: entry });
        break;
      }
      case 'eval':
        evals.push({
          probe: String(entry.probe),
          detector: String(entry.detector),
          fails: num(entry.fails),
          passed: num(entry.passed),
        });
        break;
      case 'completion':
        complete = true;
        break;
      case 'digest':
        if (isRecord(entry.meta)) version ??= str(entry.meta.garak_version);
        break;
      default:
        break;
    }
  });
  if (!sawEntry) throw new GenAiImportError(TOOL, 'the report is empty');
  if (version !== null) checkVersion(version);
  const raws: RawTest[] = [];
  const ours = new Map<string, { fails: number; passed: number }>();
  for (const [key, { line, a }] of attempts) {
    const probe = a.probe_classname as string;
    const prompt = promptText(a.prompt);
    const outputs = Array.isArray(a.outputs) ? a.outputs : [];
    const results = isRecord(a.detector_results) ? a.detector_results : {};
    for (const detector of Object.keys(results).sort()) {
      const scores = scoresOf(results[detector]);
      const count = ours.get(`${probe}|${detector}`) ?? { fails: 0, passed: 0 };
      scores.forEach((score, k) => {
        const outcome = score === null ? 'error' : score >= threshold ? 'fail' : 'pass';
        if (outcome === 'fail') count.fails++;
        if (outcome === 'pass') count.passed++;
        raws.push({
          id: `${key}:${detector}:${k}`,
          probe,
          strategy: null,
          detector,
          tool_verdict: score === null ? 'none' : `score ${score}`,
          tool_score: score,
          outcome,
          prompt,
          response: messageText(outputs[k]),
          target_model: target,
          reason:
            outcome === 'fail'
              ? `detector ${detector} score ${score} ≥ threshold ${threshold} (line ${line})`
              : null,
        });
      });
      ours.set(`${probe}|${detector}`, count);
    }
  }
  const notes: string[] = [];
  if (version === null) notes.push('the report records no garak version');
  for (const e of evals) {
    const mine = ours.get(`${e.probe}|${e.detector}`) ?? { fails: 0, passed: 0 };
    if (e.fails !== mine.fails || e.passed !== mine.passed)
      notes.push(
        `garak's eval row for ${e.probe} / ${e.detector} (passed ${e.passed}, fails ${e.fails}) disagrees with the attempts (passed ${mine.passed}, fails ${mine.fails}); rates use the attempts`,
      );
  }
  return buildDocument({
    tool: TOOL,
    toolVersion: version,
    formatVersion: 'report.jsonl',
    runId,
    sha256: sha256Hex(bytes),
    complete,
    startedAt,
    raws,
    notes,
    options,
  });
}
