// The entry point of the `assay validate` bundle (dist/cli/validate.mjs, built by `npm run build:cli`):
// only the engine and its command, so a pipeline's validation starts without the TypeScript loader.
import { Command } from 'commander';
import { runProgram } from './exit.ts';
import { registerValidateCommand } from './validate.ts';

const program = new Command('assay')
  .description('Assay: AI model risk management: inventory, workflow, validation evidence, audit trail')
  .showHelpAfterError();
registerValidateCommand(program);
await runProgram(program, process.argv);
