import type { Command } from 'commander';
import type { AssayApiError, Transport } from '../sdk/client.ts';
import type { AssayClient } from '../sdk/index.ts';
import { CliError, ExitCode } from './exit.ts';

/** --url and --token of every command that talks to a server. */
export interface RemoteOptions {
  url?: string;
  token?: string;
}

/** Adds --url/--token (defaults: ASSAY_URL, ASSAY_TOKEN) to a command. */
export function addRemoteOptions(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'server URL (default ASSAY_URL or http://localhost:7420)')
    .option('--token <token>', 'API token (default ASSAY_TOKEN)');
}

/** The exit code for an API error: 401/403 → 3, 400/404/409/413/422 → 2, no answer or 5xx → 4. */
export function exitCodeOf(err: AssayApiError): number {
  if (err.status === 401 || err.status === 403) return ExitCode.refused;
  if (err.status === 0 || err.status >= 500) return ExitCode.unavailable;
  return ExitCode.badInput;
}

/** Turns an API error into the CLI's message and exit code. */
export function toCliError(err: AssayApiError): CliError {
  const field = err.field ? ` (field: ${err.field})` : '';
  // An import refused as a whole lists its problems: one line per row and field.
  const problems = Array.isArray(err.details.problems)
    ? (err.details.problems as Record<string, unknown>[])
    : [];
  const count = typeof err.details.problemCount === 'number' ? err.details.problemCount : problems.length;
  const extra = problems.length
    ? `\n${problems
        .slice(0, 50)
        .map((p) => `  row ${p.row}${p.line ? ` (line ${p.line})` : ''}, ${p.field}: ${p.message}`)
        .join('\n')}${count > 50 ? `\n  … and ${count - 50} more` : ''}`
    : '';
  const status = err.status ? `${err.status} ` : '';
  return new CliError(`${status}${err.code}: ${err.message}${field}${extra}`, exitCodeOf(err));
}

/** The server URL and token from the flags or environment; exit 2 or 3 when unusable. */
function connection(opts: RemoteOptions): { baseUrl: string; token: string } {
  const baseUrl = opts.url ?? process.env.ASSAY_URL ?? 'http://localhost:7420';
  const token = opts.token ?? process.env.ASSAY_TOKEN;
  if (!/^https?:\/\//.test(baseUrl)) throw new CliError(`--url must be an http(s) URL, got '${baseUrl}'`);
  if (!token) throw new CliError('no API token: pass --token or set ASSAY_TOKEN', ExitCode.refused);
  return { baseUrl, token };
}

/**
 * Runs `fn` with the SDK's transport alone, mapping API errors to exit codes: for a command that
 * needs one feature module (the gate), without loading the whole SDK and every contract.
 */
export async function withTransport<T>(
  opts: RemoteOptions,
  fn: (transport: Transport) => Promise<T>,
): Promise<T> {
  const options = connection(opts);
  const [{ AssayApiError, Transport }, { httpFetch }] = await Promise.all([
    import('../sdk/client.ts'),
    import('./http-fetch.ts'),
  ]);
  try {
    return await fn(new Transport({ ...options, fetch: httpFetch }));
  } catch (err) {
    if (err instanceof AssayApiError) throw toCliError(err);
    throw err;
  }
}

/**
 * Runs `fn` with one feature module of the SDK over the transport, loading that module (and its
 * contracts) when the command runs: `withApi(opts, () => import('../sdk/gate.ts').then((m) =>
 * m.gateApi), (gate) => gate.check(…))`.
 */
export async function withApi<A, T>(
  opts: RemoteOptions,
  load: () => Promise<(transport: Transport) => A>,
  fn: (api: A) => Promise<T>,
): Promise<T> {
  // withTransport refuses a bad --url or a missing token before the module loads
  return withTransport(opts, async (transport) => fn((await load())(transport)));
}

/** Runs `fn` with a client built from the flags or environment, mapping API errors to exit codes. */
export async function withClient<T>(
  opts: RemoteOptions,
  fn: (client: AssayClient) => Promise<T>,
): Promise<T> {
  const options = connection(opts);
  // The SDK (and the zod contracts it checks answers against) loads when a command runs, not when
  // it is registered.
  const [{ AssayApiError, AssayClient }, { httpFetch }] = await Promise.all([
    import('../sdk/index.ts'),
    import('./http-fetch.ts'),
  ]);
  try {
    return await fn(new AssayClient({ ...options, fetch: httpFetch }));
  } catch (err) {
    if (err instanceof AssayApiError) throw toCliError(err);
    throw err;
  }
}

/** Prints a value as indented JSON. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v).replace(/\s+/g, ' ');
}

/** Prints rows as an aligned text table with the given columns. */
export function printTable(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => cell(r[c]).slice(0, 60)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: readonly string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const row of cells) process.stdout.write(`${line(row)}\n`);
}

/** Prints one entity as `field: value` lines. */
export function printRecord(record: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  for (const [k, v] of Object.entries(record)) process.stdout.write(`${k.padEnd(width)}  ${cell(v)}\n`);
}
