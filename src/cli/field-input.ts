import fs from 'node:fs';
import { CliError } from './exit.ts';

/** Commander collector for repeatable `--set field=value`. */
export function collectSet(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a `--set` value: JSON when it is valid JSON (true, 3, ["a"]), else the text itself. */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Builds a request body from `--file` (a JSON object), then `--set field=value` pairs, then the
 * command's own flags (later wins). Bad input is exit code 2.
 */
export function collectFields(
  opts: { file?: string; set?: string[] },
  flags: Record<string, unknown> = {},
): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  if (opts.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(opts.file, 'utf8'));
    } catch (err) {
      throw new CliError(`cannot read ${opts.file} as JSON: ${(err as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new CliError(`${opts.file} must hold one JSON object`);
    body = { ...(parsed as Record<string, unknown>) };
  }
  for (const pair of opts.set ?? []) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new CliError(`--set takes field=value, got '${pair}'`);
    body[pair.slice(0, i)] = parseValue(pair.slice(i + 1));
  }
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) body[k] = v;
  return body;
}

/** Parses an integer option (exit 2 when it is not one). */
export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new CliError(`${name} must be a non-negative integer, got '${value}'`);
  return n;
}
