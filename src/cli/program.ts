import { Command } from 'commander';

/** The root `assay` command, before any command module adds its commands. */
export function createProgram(): Command {
  return new Command('assay')
    .description('Assay: AI model risk management: inventory, workflow, validation evidence, audit trail')
    .showHelpAfterError();
}

/**
 * True when the command line asks only for the program's own help or names no command: no
 * arguments, `--help`/`-h`, `help` alone, or a first word no command claims (commander then
 * answers with a suggestion and the help). `assay help models` and `assay models --help` load the
 * module of `models` as any run of it would.
 */
export function wantsProgramHelp(argv: readonly string[], knownCommands: ReadonlySet<string>): boolean {
  const first = argv[2];
  if (first === undefined || first === '--help' || first === '-h') return true;
  if (first === 'help') return argv.length === 3;
  return !first.startsWith('-') && !knownCommands.has(first);
}
