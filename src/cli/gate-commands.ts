import type { Command } from 'commander';
import { CliError, ExitCode } from './exit.ts';
import { addRemoteOptions, type RemoteOptions, withApi } from './remote.ts';

/** Splits `MODEL@VERSION`; the label may itself contain `@`, the key may not. */
export function parseModelAtVersion(ref: string): { model: string; version: string } {
  const at = ref.indexOf('@');
  if (at <= 0 || at === ref.length - 1)
    throw new CliError(`expected MODEL@VERSION (e.g. credit-score@1.2.0), got '${ref}'`, ExitCode.badInput);
  return { model: ref.slice(0, at), version: ref.slice(at + 1) };
}

/** `assay gate MODEL@VERSION --env production [--json]`: exit 0 when allowed, 1 when denied. */
export function registerGateCommands(program: Command): void {
  addRemoteOptions(
    program
      .command('gate <model@version>')
      .description('Ask the deployment gate whether a version may deploy (exit 0 allowed, 1 denied)')
      .option('--env <env>', 'target environment', 'production')
      .option('--json', 'print exactly { "allowed": bool, "reasons": [...] }'),
  ).action(async (ref: string, opts: RemoteOptions & { env: string; json?: boolean }) => {
    const { model, version } = parseModelAtVersion(ref);
    // the transport and the gate's module only: a CI job's gate does not load the whole SDK
    const result = await withApi(
      opts,
      async () => (await import('../sdk/gate.ts')).gateApi,
      (gate) => gate.check(model, version, opts.env),
    );
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ allowed: result.allowed, reasons: result.reasons }, null, 2)}\n`,
      );
    } else if (result.allowed) {
      process.stdout.write(`ALLOWED: ${model}@${version} may deploy to ${opts.env}\n`);
    } else {
      process.stdout.write(`DENIED: ${model}@${version} may not deploy to ${opts.env}\n`);
      for (const r of result.reasons)
        process.stdout.write(`  - [${r.code}] ${r.message}${r.ref ? ` (${r.ref})` : ''}\n`);
      // The gate's decision stands; a valid recorded exception is said beside it.
      for (const n of result.notes ?? []) process.stdout.write(`  note [${n.code}] ${n.message}\n`);
    }
    if (!result.allowed) process.exitCode = ExitCode.failed;
  });
}
