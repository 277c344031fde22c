import { Command } from 'commander';
import { runProgram } from './exit.ts';

const program = new Command('assay')
  .description('Assay: AI model risk management: inventory, workflow, validation evidence, audit trail')
  .showHelpAfterError();
if (process.argv[2] === 'validate') {
  // `assay validate` is run in pipelines on big files: load only the engine and its command,
  // not the server and every other command group (saves ~0.3 s of start-up).
  const { registerValidateCommand } = await import('./validate.ts');
  registerValidateCommand(program);
} else {
  const { registerCommands } = await import('./commands.ts');
  registerCommands(program);
}
await runProgram(program, process.argv);
