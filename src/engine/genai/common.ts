import { createHash } from 'node:crypto';
import type { GenAiOutcome, GenAiTest, GenAiTextPolicy } from '../../contracts/genai.ts';
import { InputError } from '../load/input-error.ts';
import { redactPii } from './pii.ts';

/** The importers' version, recorded in every document they derive (bump when a derivation changes). */
export const IMPORTER_VERSION = 'assay-genai-import/2';

/** Options of an import: which text to keep (always redacted). */
export interface ImportOptions {
  text?: GenAiTextPolicy;
  filename?: string | null;
}

/** A result file the importers refuse (malformed, unknown version); `where` names the line or field. */
export class GenAiImportError extends InputError {
  constructor(tool: string, message: string, where?: string) {
    super(`${tool} results${where ? ` (${where})` : ''}: ${message}`);
    this.name = 'GenAiImportError';
  }
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Parses JSON refusing prototype-polluting keys (`__proto__`, `constructor`, `prototype`). */
export function safeJsonParse(text: string, tool: string, where: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new GenAiImportError(tool, `not valid JSON: ${(e as Error).message}`, where);
  }
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype')
          throw new GenAiImportError(tool, `forbidden key "${key}"`, where);
        stack.push((v as Record<string, unknown>)[key]);
      }
    }
  }
  return value;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Fields of a row before the text policy is applied. */
export interface RawTest {
  id: string;
  probe: string;
  strategy: string | null;
  detector: string | null;
  tool_verdict: string;
  tool_score: number | null;
  outcome: GenAiOutcome;
  prompt: string | null;
  response: string | null;
  target_model: string | null;
  reason: string | null;
  /** Assay's own re-check or a judge's grading, when there is one. */
  assay_verdict?: GenAiTest['assay_verdict'];
  /** What the taxonomy's name patterns read when it says more than the probe (a JUnit class and test name). */
  map_name?: string;
}

/** Hashes the texts and keeps them (redacted) only as the policy allows; categories are filled later. */
export function toTest(raw: RawTest, text: GenAiTextPolicy): GenAiTest {
  const keep = text === 'all' || (text === 'failed' && raw.outcome === 'fail');
  return {
    id: raw.id,
    probe: raw.probe,
    strategy: raw.strategy,
    detector: raw.detector,
    categories: [],
    tool_verdict: raw.tool_verdict,
    tool_score: raw.tool_score,
    outcome: raw.outcome,
    assay_verdict: raw.assay_verdict ?? null,
    prompt_sha256: raw.prompt === null ? null : sha256Hex(raw.prompt),
    response_sha256: raw.response === null ? null : sha256Hex(raw.response),
    prompt_text: keep && raw.prompt !== null ? redactPii(raw.prompt) : null,
    response_text: keep && raw.response !== null ? redactPii(raw.response) : null,
    target_model: raw.target_model,
    reason: raw.reason === null ? null : redactPii(raw.reason).slice(0, 2000),
  };
}

/** Decodes UTF-8 strictly (a result file that is not text is refused). */
export function decodeUtf8(bytes: Uint8Array, tool: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new GenAiImportError(tool, 'the file is not UTF-8 text');
  }
}
