// The command manifest: every command's name, arguments and options as data, written into the
// bundle at build time (dist/cli/commands.json, by scripts/build-cli.mjs through
// write-command-manifest.ts) so that `assay --help` (and `assay help`, a bare `assay`, or an unknown
// command's suggestion) prints commander's own help without loading any command module: their
// definitions import the SDK, the contracts and zod. oclif does the same with its
// oclif.manifest.json. test/cli-manifest.test.ts checks that the help rebuilt from the manifest is
// the help of the real definitions, for every command.
import { Argument, type Command, Option } from 'commander';

export interface ManifestOption {
  flags: string;
  description: string;
  defaultValue?: unknown;
  defaultValueDescription?: string;
  mandatory?: true;
  choices?: readonly string[];
  hidden?: true;
}

export interface ManifestArgument {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  defaultValue?: unknown;
  defaultValueDescription?: string;
  choices?: readonly string[];
}

export interface ManifestCommand {
  name: string;
  aliases?: readonly string[];
  description: string;
  summary?: string;
  usage?: string;
  hidden?: true;
  /** False when commander adds no `help [command]` subcommand (a command with subcommands and its own action). */
  helpCommand?: false;
  arguments: ManifestArgument[];
  options: ManifestOption[];
  commands: ManifestCommand[];
}

// Commander keeps these on its objects without public getters.
interface CommandInternals {
  _usage?: string;
  _hidden?: boolean;
  _getHelpCommand(): Command | null;
  registeredArguments: readonly Argument[];
}

/** The manifest of a command tree (the program and everything under it). */
export function describeCommand(cmd: Command): ManifestCommand {
  const internals = cmd as unknown as CommandInternals;
  const node: ManifestCommand = {
    name: cmd.name(),
    description: cmd.description(),
    arguments: internals.registeredArguments.map(describeArgument),
    options: cmd.options.map(describeOption),
    commands: cmd.commands.map(describeCommand),
  };
  if (cmd.aliases().length > 0) node.aliases = cmd.aliases();
  if (cmd.summary()) node.summary = cmd.summary();
  if (internals._usage) node.usage = internals._usage;
  if (internals._hidden) node.hidden = true;
  if (cmd.commands.length > 0 && !internals._getHelpCommand()) node.helpCommand = false;
  return node;
}

function describeArgument(arg: Argument): ManifestArgument {
  const out: ManifestArgument = {
    name: arg.name(),
    description: arg.description,
    required: arg.required,
    variadic: arg.variadic,
  };
  if (arg.defaultValue !== undefined) out.defaultValue = arg.defaultValue;
  if (arg.defaultValueDescription !== undefined) out.defaultValueDescription = arg.defaultValueDescription;
  if (arg.argChoices) out.choices = arg.argChoices;
  return out;
}

function describeOption(opt: Option): ManifestOption {
  const out: ManifestOption = { flags: opt.flags, description: opt.description };
  if (opt.defaultValue !== undefined) out.defaultValue = opt.defaultValue;
  if (opt.defaultValueDescription !== undefined) out.defaultValueDescription = opt.defaultValueDescription;
  if (opt.mandatory) out.mandatory = true;
  if (opt.argChoices) out.choices = opt.argChoices;
  if (opt.hidden) out.hidden = true;
  return out;
}

/**
 * Adds the manifest's commands to `program` (which keeps its own name, description and settings):
 * the same names, arguments and options, without actions. Parsing with it prints help and usage
 * errors exactly as the real definitions do; it must never run a command (main.ts uses it only when
 * the command line asks for help or names no known command).
 */
export function addManifestCommands(program: Command, manifest: ManifestCommand): Command {
  for (const opt of manifest.options) program.addOption(toOption(opt));
  for (const sub of manifest.commands) addCommand(program, sub);
  return program;
}

function addCommand(parent: Command, node: ManifestCommand): void {
  const cmd = parent.command(node.name, node.hidden ? { hidden: true } : {});
  cmd.description(node.description);
  if (node.summary) cmd.summary(node.summary);
  if (node.usage) cmd.usage(node.usage);
  for (const alias of node.aliases ?? []) cmd.alias(alias);
  if (node.helpCommand === false) cmd.helpCommand(false);
  for (const a of node.arguments) {
    const arg = new Argument(
      a.variadic
        ? a.required
          ? `<${a.name}...>`
          : `[${a.name}...]`
        : a.required
          ? `<${a.name}>`
          : `[${a.name}]`,
      a.description,
    );
    if (a.defaultValue !== undefined) arg.default(a.defaultValue, a.defaultValueDescription);
    if (a.choices) arg.choices(a.choices);
    cmd.addArgument(arg);
  }
  for (const opt of node.options) cmd.addOption(toOption(opt));
  for (const sub of node.commands) addCommand(cmd, sub);
}

function toOption(opt: ManifestOption): Option {
  const option = new Option(opt.flags, opt.description);
  if (opt.defaultValue !== undefined) option.default(opt.defaultValue, opt.defaultValueDescription);
  if (opt.mandatory) option.makeOptionMandatory();
  if (opt.choices) option.choices(opt.choices);
  if (opt.hidden) option.hideHelp();
  return option;
}
