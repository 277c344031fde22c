import type { Command } from 'commander';

/** Exit codes of the `assay` CLI (documented in docs/cli.md). */
export const ExitCode = {
  ok: 0,
  /** A check that ran and said no (gate denied, verify found a break). */
  failed: 1,
  /** Bad input: unknown option, unknown column, malformed file. */
  badInput: 2,
  /** The server refused: not authenticated or not permitted. */
  refused: 3,
  /** The server or database could not be reached or failed. */
  unavailable: 4,
  /**
   * verify-package without a trusted key: everything matched the key the package carries, but
   * nothing shows whose key that is (integrity checked, origin not).
   */
  originUnchecked: 5,
} as const;

/** An error that carries the exit code the CLI should end with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Ends the process quietly when the reader of its output goes away (`assay models list | head -1`):
 * a write to a closed pipe fails with EPIPE, which would otherwise surface as an unhandled 'error'
 * event and a stack trace. The exit code already set (a failed check's 1) is kept.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
      throw err;
    });
  }
}

/** Parses argv and turns thrown errors into a message on stderr and the right exit code. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe();
  // Subcommands copy settings when created, so the override must reach every one of them.
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) override(sub);
  };
  override(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) process.exit(ExitCode.badInput);
    if (err instanceof CliError) {
      process.stderr.write(`assay: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    process.stderr.write(`assay: ${e.message ?? String(err)}\n`);
    process.exit(ExitCode.unavailable);
  }
}
