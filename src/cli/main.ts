import { Command } from 'commander';
import { registerCommands } from './commands.ts';
import { runProgram } from './exit.ts';

const program = new Command('assay')
  .description('Assay: AI model risk management: inventory, workflow, validation evidence, audit trail')
  .showHelpAfterError();
// Only the module(s) of the command being run are loaded (`assay gate` does not load the server,
// the store or the engine); `assay --help` loads every module's definitions, not their actions.
await registerCommands(program, process.argv[2]);
await runProgram(program, process.argv);
