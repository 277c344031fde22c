import { Command } from 'commander';
import { registerCommands } from './commands.ts';
import { runProgram } from './exit.ts';

const program = new Command('assay')
  .description('Assay: AI model risk management: inventory, workflow, validation evidence, audit trail')
  .showHelpAfterError();
registerCommands(program);
await runProgram(program, process.argv);
